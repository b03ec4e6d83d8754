package ips.config.ini;

/**
 * A CharSequence that lets a regex read at most a budget of characters, so that a pattern with
 * nested quantifiers (fail2ban's OPTION_SPLIT_CRE backtracks exponentially on some malformed
 * action lists, in Python as in Java) fails with {@link TooComplex} instead of hanging a reload.
 */
final class BoundedText implements CharSequence {
    /** Character reads allowed per match; sane specs need a few thousand. */
    static final long BUDGET = 1_000_000L;

    /** Thrown when the budget is spent. */
    static final class TooComplex extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooComplex() {
            super("too complex to parse", null, false, false);
        }
    }

    private final String text;
    private long left;

    BoundedText(String text) {
        this.text = text;
        this.left = BUDGET;
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public char charAt(int index) {
        if (--left < 0) {
            throw new TooComplex();
        }
        return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.substring(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
