package ips.filter.date;

/**
 * What a line must contain for a default template to match anywhere in it, found in one pass without
 * allocation. Each default template's regex can only match a line holding its bit (a necessary, not a
 * sufficient condition), so a template whose bit is missing is skipped with the same answer as its regex.
 * "Digit" is what {@code \d} matches under {@link java.util.regex.Pattern#UNICODE_CHARACTER_CLASS}
 * ({@link Character#isDigit(int)}), counted in code points.
 */
final class LineShape {

    /** {@code D:D{1,2}:D}: every {@code %H:%M:%S}, {@code %k:%M:%S}, {@code %I:%M:%S} ({@code %M} is 1-2 digits). */
    static final int TIME = 1;
    /** 8 digits in a row: {@code %ExY%Exm%Exd}. */
    static final int DIGITS_8 = 2;
    /** 10 digits in a row: {@code \d{10,11}} of EPOCH and LEPOCH. */
    static final int DIGITS_10 = 4;
    /** {@code @} and 24 of {@code [0-9a-f]}: TAI64N. */
    static final int TAI64N = 8;
    /**
     * {@code D:D{1,2}:D} whose hour, 1-2 digits, follows a space: every {@code " %k:%M:%S"} (also {@code %H},
     * {@code %I}) after a literal space.
     */
    static final int SPACE_TIME = 16;
    /** 4 digits then one of {@code -/.}: {@code %ExY(?P<_sep>[-/.])}. */
    static final int YEAR_SEP = 32;
    /** A digit, one of {@code -/}, a digit: {@code %m/%d/%ExY}, {@code %d-%m-...}. */
    static final int DIGIT_SEP_DIGIT = 64;
    /** 6 digits in a row: {@code %Exy%Exm%Exd}. */
    static final int DIGITS_6 = 128;

    private static final int DIGIT = -1;

    private LineShape() {
    }

    /** The bits the line holds. */
    static int of(CharSequence line) {
        int n = line.length();
        int shape = 0;
        int state = 0; // 0 none, 1 D, 2 D:, 3 D:D, 4 D:DD, 5 D:D{1,2}:
        int run = 0;
        int beforeRun = 0;
        boolean spaced = false;
        int prev = 0; // the char before, DIGIT for any digit, 0x80 for anything non-ASCII
        int prev2 = 0;
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            boolean digit;
            if (c < 0x80) {
                digit = c >= '0' && c <= '9';
                if (c == '@' && (shape & TAI64N) == 0 && hex24(line, i + 1, n)) {
                    shape |= TAI64N;
                }
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(line.charAt(i + 1))) {
                digit = Character.isDigit(Character.toCodePoint(c, line.charAt(i + 1)));
                i++;
            } else {
                digit = Character.isDigit(c);
            }
            if (digit) {
                if (run == 0) {
                    beforeRun = prev;
                    if ((prev == '-' || prev == '/') && prev2 == DIGIT) {
                        shape |= DIGIT_SEP_DIGIT;
                    }
                }
                run++;
                if (run >= 6) {
                    shape |= run >= 10 ? DIGITS_6 | DIGITS_8 | DIGITS_10 : run >= 8 ? DIGITS_6 | DIGITS_8 : DIGITS_6;
                }
                state = switch (state) {
                    case 2 -> 3;
                    case 3 -> 4;
                    case 5 -> {
                        shape |= spaced ? TIME | SPACE_TIME : TIME;
                        yield 1;
                    }
                    default -> 1;
                };
                prev2 = prev;
                prev = DIGIT;
            } else {
                if (run >= 4 && (c == '-' || c == '/' || c == '.')) {
                    shape |= YEAR_SEP;
                }
                if (c == ':') {
                    switch (state) {
                        case 1 -> {
                            state = 2;
                            spaced = run <= 2 && beforeRun == ' ';
                        }
                        case 3, 4 -> state = 5;
                        default -> state = 0;
                    }
                } else {
                    state = 0;
                }
                run = 0;
                prev2 = prev;
                prev = c < 0x80 ? c : 0x80;
            }
        }
        return shape;
    }

    private static boolean hex24(CharSequence line, int from, int n) {
        if (n - from < 24) {
            return false;
        }
        for (int i = from; i < from + 24; i++) {
            char c = line.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
