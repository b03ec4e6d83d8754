package ips.config.ini;

/** Python 3 {@code str} behaviours the config dialect depends on (isspace, strip, int()). */
public final class PyText {
    private PyText() {}

    /** Python's {@code str.isspace()} for one character (Unicode whitespace as CPython defines it). */
    public static boolean isSpace(char c) {
        return switch (c) {
            case ' ', '\t', '\n', '\u000b', '\u000c', '\r', '\u001c', '\u001d', '\u001e', '\u001f',
                 '\u0085', '\u00a0', '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200a';
        };
    }

    public static String strip(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isSpace(s.charAt(b))) {
            b++;
        }
        while (e > b && isSpace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }

    public static String rstrip(String s) {
        int e = s.length();
        while (e > 0 && isSpace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(0, e);
    }

    /** Python's {@code str.lower()}, which the parser applies to option names (optionxform). */
    public static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Python's {@code int(str)}: surrounding whitespace, one sign, decimal digits with single
     * underscores between them. Returns null where Python raises ValueError (or on overflow of long).
     */
    public static Long parseInt(String s) {
        String t = strip(s);
        int i = 0;
        boolean neg = false;
        if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
            neg = t.charAt(i) == '-';
            i++;
        }
        if (i >= t.length()) {
            return null;
        }
        long v = 0;
        boolean lastDigit = false;
        for (; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '_') {
                if (!lastDigit) {
                    return null;
                }
                lastDigit = false;
                continue;
            }
            int d = Character.digit(c, 10);
            if (d < 0) {
                return null;
            }
            try {
                v = Math.addExact(Math.multiplyExact(v, 10), d);
            } catch (ArithmeticException overflow) {
                return null;
            }
            lastDigit = true;
        }
        if (!lastDigit) {
            return null;
        }
        return neg ? -v : v;
    }

    /** fail2ban's {@code _as_bool}: true for 1, on, true, yes (any case). */
    public static boolean asBool(String s) {
        if (s == null) {
            return false;
        }
        String l = lower(s);
        return l.equals("1") || l.equals("on") || l.equals("true") || l.equals("yes");
    }
}
