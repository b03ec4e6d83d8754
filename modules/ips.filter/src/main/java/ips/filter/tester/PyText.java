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

    /** Python's {@code repr} of a str ({@link ips.filter.PyQuote#repr}). */
    static String quote(String s) {
        return ips.filter.PyQuote.repr(s);
    }
}
