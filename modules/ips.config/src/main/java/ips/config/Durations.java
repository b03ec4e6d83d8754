package ips.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fail2ban's {@code MyTime.str2seconds}: {@code 10m}, {@code 1h30m}, {@code 1d 12h}, {@code 1w},
 * {@code 6 months}, {@code 1year-6mo}, {@code -1}, plain seconds. Abbreviations are rewritten into an
 * arithmetic expression (as fail2ban does before its eval) which we evaluate with + - * / and
 * parentheses only.
 */
public final class Durations {
    private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS;
    /** mytime._str2sec_prep: "1d12h" becomes "1d 12h". */
    private static final Pattern PREP = Pattern.compile("(?<=[a-z])(\\d)", CI);
    /** mytime._str2sec_fini: "1*3600 30*60" becomes "1*3600+30*60". */
    private static final Pattern FINI = Pattern.compile("(\\d)\\s+(\\d)", Pattern.UNICODE_CHARACTER_CLASS);
    private static Pattern part(String alternatives) {
        return Pattern.compile("(?<=[\\d\\s])(" + alternatives + ")\\b", CI);
    }

    /** mytime._str2sec_parts, in fail2ban's order (minutes after months: "m" is minutes). */
    private static final Pattern[] PARTS = {
        part("days?|da|dd?"),
        part("weeks?|wee?|ww?"),
        part("months?|mon?"),
        part("years?|yea?|yy?"),
        part("seconds?|sec?|ss?"),
        part("minutes?|min?|mm?"),
        part("hours?|hou?|hh?"),
    };
    private static final String[] FACTORS = {
        "*86400", "*604800", "*2629800.0", "*31557600.0", "*1", "*60", "*3600",
    };

    private Durations() {}

    /** Seconds (fractions truncated as Python's int() does); IllegalArgumentException when not a duration. */
    public static long toSeconds(String value) {
        double v = evaluate(value);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("not a duration: '" + value + "'");
        }
        return (long) v;
    }

    /** The value fail2ban's str2seconds computes (may be fractional, e.g. months). */
    public static double evaluate(String value) {
        return evaluatePrepared(prepare(value), value);
    }

    /**
     * What Python prints for str2seconds's value ({@code fail2ban-client --str2sec}): an int
     * ({@code 93600}) unless the expression has a float in it (a fraction, a month or a year, a
     * division), then Python's float repr ({@code 90.0}, {@code 2629800.0}).
     */
    public static String pythonText(String value) {
        String prepared = prepare(value);
        double v = evaluatePrepared(prepared, value);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("not a duration: '" + value + "'");
        }
        if (prepared.indexOf('.') < 0 && prepared.indexOf('/') < 0) {
            // a Python int; a double holds it exactly below 2^53
            return Math.abs(v) < 0x1p53 ? Long.toString((long) v) : new java.math.BigDecimal(v).toBigInteger().toString();
        }
        return pythonFloat(v);
    }

    /** Python's repr of a finite float. */
    static String pythonFloat(double v) {
        double a = Math.abs(v);
        if (a == 0 || (a >= 1e-4 && a < 1e16)) {
            String plain = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
            return plain.indexOf('.') < 0 ? plain + ".0" : plain;
        }
        String j = Double.toString(v); // d.dddE[-]n
        int e = j.indexOf('E');
        String mantissa = j.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        int exp = Integer.parseInt(j.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** fail2ban's rewriting of the abbreviations into an expression. */
    private static String prepare(String value) {
        if (value == null) {
            throw new IllegalArgumentException("no duration");
        }
        String v = PREP.matcher(value).replaceAll(" $1");
        for (int i = 0; i < PARTS.length; i++) {
            v = PARTS[i].matcher(v).replaceAll(Matcher.quoteReplacement(FACTORS[i]));
        }
        return FINI.matcher(v).replaceAll("$1+$2");
    }

    private static double evaluatePrepared(String v, String value) {
        Expr e = new Expr(v, value);
        double r = e.sum();
        e.skipSpace();
        if (e.pos != v.length()) {
            throw e.error();
        }
        return r;
    }

    /** A tiny recursive-descent evaluator for what str2seconds leaves: numbers, + - * / ( ). */
    private static final class Expr {
        final String s;
        final String original;
        int pos;

        Expr(String s, String original) {
            this.s = s;
            this.original = original;
        }

        IllegalArgumentException error() {
            return new IllegalArgumentException("not a duration: '" + original + "'");
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        double sum() {
            double v = product();
            while (true) {
                skipSpace();
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    char op = s.charAt(pos++);
                    double r = product();
                    v = op == '+' ? v + r : v - r;
                } else {
                    return v;
                }
            }
        }

        double product() {
            double v = unary();
            while (true) {
                skipSpace();
                if (pos < s.length() && (s.charAt(pos) == '*' || s.charAt(pos) == '/')
                        && !(pos + 1 < s.length() && s.charAt(pos + 1) == s.charAt(pos))) {
                    char op = s.charAt(pos++);
                    double r = unary();
                    v = op == '*' ? v * r : v / r;
                } else {
                    return v;
                }
            }
        }

        double unary() {
            skipSpace();
            if (pos < s.length() && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
                char op = s.charAt(pos++);
                double v = unary();
                return op == '-' ? -v : v;
            }
            return atom();
        }

        double atom() {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '(') {
                pos++;
                double v = sum();
                skipSpace();
                if (pos >= s.length() || s.charAt(pos) != ')') {
                    throw error();
                }
                pos++;
                return v;
            }
            int start = pos;
            while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                pos++;
            }
            if (start == pos) {
                throw error();
            }
            try {
                return Double.parseDouble(s.substring(start, pos));
            } catch (NumberFormatException e) {
                throw error();
            }
        }
    }
}
