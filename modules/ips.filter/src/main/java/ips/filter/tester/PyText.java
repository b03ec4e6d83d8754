package ips.filter.tester;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * How Python 3 writes the values of a failure's fields, for output that must read as
 * fail2ban-regex's: {@link #str} as {@code print(v)} does, {@link #repr} as {@code %r} does.
 * Values are what the matcher puts in a failure: strings, whole numbers, booleans, null, lists, sets
 * and maps of those, and lines ({@link ips.filter.LogTuple}, written whole).
 */
public final class PyText {
    private PyText() {}

    /** {@code str(v)}. */
    static String str(Object v) {
        return v instanceof String s ? s : v instanceof ips.filter.LogTuple t ? t.toString() : repr(v);
    }

    /** {@code repr(v)}. */
    static String repr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Double d) {
            return floatRepr(d);
        }
        if (v instanceof Number n) {
            return n.toString();
        }
        if (v instanceof java.util.Set<?> set) { // a Python set: its order is Python's hash order, ours insertion
            return set.isEmpty() ? "set()" : items(set, '{', '}');
        }
        if (v instanceof List<?> l) {
            return items(l, '[', ']');
        }
        if (v instanceof ips.filter.LogTuple t) { // fail2ban's tuple line (prefix, date text, suffix)
            return "(" + quote(t.prefix()) + ", " + quote(t.timeText()) + ", " + quote(t.suffix()) + ")";
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
            }
            return sb.append('}').toString();
        }
        return quote(String.valueOf(v));
    }

    private static String items(Iterable<?> items, char open, char close) {
        StringBuilder sb = new StringBuilder().append(open);
        for (Object o : items) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(repr(o));
        }
        return sb.append(close).toString();
    }

    /** A float as Python writes it: the shortest digits that read back, ".0" for a whole number. */
    static String floatRepr(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return (long) d + ".0";
        }
        return BigDecimal.valueOf(d).toPlainString();
    }

    /** Python's {@code repr} of a str: single quotes unless it holds one and no double quote. */
    public static String quote(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == q) {
                        sb.append('\\');
                    }
                    if (printable(c)) {
                        sb.appendCodePoint(c);
                    } else if (c < 0x100) {
                        sb.append(String.format("\\x%02x", c));
                    } else if (c < 0x10000) {
                        sb.append(String.format("\\u%04x", c));
                    } else {
                        sb.append(String.format("\\U%08x", c));
                    }
                }
            }
        }
        return sb.append(q).toString();
    }

    /**
     * Python's {@code str.isprintable()} of one character: not a control, format, surrogate,
     * private-use, unassigned or separator character, but for the space.
     */
    private static boolean printable(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }
}
