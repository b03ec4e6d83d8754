package ips.filter.regex;

import java.util.Arrays;

/**
 * The text a line's regexes run on: a reusable {@code char[]} that counts every {@link #charAt}
 * and aborts the running match with {@link BudgetExceeded} once the line's budget is spent. This
 * bounds the work any single line can cost, whatever the regex and however hostile the text.
 */
public final class BudgetedText implements BulkChars {
    private char[] chars = new char[512];
    private int length;
    private long remaining = Long.MAX_VALUE;
    private boolean ascii = true;

    /** Thrown (preallocated, no stack trace) when a line spent its matching budget. */
    public static final class BudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public static final BudgetExceeded INSTANCE = new BudgetExceeded();

        private BudgetExceeded() {
            super("regex budget exceeded", null, false, false);
        }
    }

    /** Empties the text. */
    public BudgetedText clear() {
        length = 0;
        ascii = true;
        return this;
    }

    /** Sets the number of {@code charAt} calls allowed until the next call of this method. */
    public void budget(long charReads) {
        remaining = charReads;
    }

    public long remaining() {
        return remaining;
    }

    /** Counts {@code steps} of work done without {@link #charAt} (a {@link FastMatcher}'s) against the budget. */
    void spend(long steps) {
        remaining -= steps;
    }

    public BudgetedText append(CharSequence s, int from, int to) {
        int n = to - from;
        ensure(length + n);
        char[] c = chars;
        int l = length;
        int hi = 0;
        if (s instanceof BudgetedText bt) {
            System.arraycopy(bt.chars, from, c, l, n);
            for (int i = l; !bt.ascii && i < l + n; i++) { // an ASCII text's parts are ASCII
                hi |= c[i];
            }
        } else if (s instanceof String || s instanceof BulkChars) {
            // one call, not an interface call per character (the tester's lines are BulkChars)
            s.getChars(from, to, c, l);
            for (int i = l; i < l + n; i++) {
                hi |= c[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                char ch = s.charAt(from + i);
                hi |= ch;
                c[l + i] = ch;
            }
        }
        if (hi >= 0x80) {
            ascii = false;
        }
        length = l + n;
        return this;
    }

    /** Appends {@code n} chars of {@code src} from {@code off}. */
    public BudgetedText append(char[] src, int off, int n) {
        ensure(length + n);
        System.arraycopy(src, off, chars, length, n);
        if (ascii) {
            int hi = 0;
            for (int i = off; i < off + n; i++) {
                hi |= src[i];
            }
            if (hi >= 0x80) {
                ascii = false;
            }
        }
        length += n;
        return this;
    }

    /** Copies {@code [from, to)} into {@code dst} at {@code at} (not counted against the budget). */
    @Override
    public void getChars(int from, int to, char[] dst, int at) {
        System.arraycopy(chars, from, dst, at, to - from);
    }

    /** Appends ASCII bytes (each byte one char). */
    public BudgetedText appendAscii(byte[] b, int off, int n) {
        ensure(length + n);
        char[] c = chars;
        int l = length;
        for (int i = 0; i < n; i++) {
            c[l + i] = (char) (b[off + i] & 0xFF);
        }
        length = l + n;
        return this;
    }

    public BudgetedText append(CharSequence s) {
        return append(s, 0, s.length());
    }

    public BudgetedText append(char ch) {
        ensure(length + 1);
        chars[length++] = ch;
        if (ch >= 0x80) {
            ascii = false;
        }
        return this;
    }

    /** Every character is below 0x80. */
    public boolean isAscii() {
        return ascii;
    }

    private void ensure(int n) {
        if (n > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(n, chars.length * 2));
        }
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (--remaining < 0) {
            throw BudgetExceeded.INSTANCE;
        }
        if (index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return chars[index];
    }

    /**
     * The backing array ({@code [0, length())} is the text), for uncounted bulk scans such as the
     * literal gate; valid until the next append or clear.
     */
    public char[] array() {
        return chars;
    }

    /** Reads without counting (for the engine's own bookkeeping, not for regexes). */
    public char at(int index) {
        return chars[index];
    }

    @Override
    public String subSequence(int start, int end) {
        if (start < 0 || end > length || start > end) {
            throw new IndexOutOfBoundsException(start + ".." + end + " of " + length);
        }
        return new String(chars, start, end - start);
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
