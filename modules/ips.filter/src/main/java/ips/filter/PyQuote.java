package ips.filter;

/**
 * Python 3's {@code repr} of a str, as fail2ban's messages and fail2ban-regex's output write
 * strings ({@code %r}): the filter's warnings, test-filter's values and the control socket's
 * replies all use it.
 */
public final class PyQuote {
    private PyQuote() {}

    /**
     * ipdns.py's warning for a host name resolved under {@code usedns = warn}, with the addresses
     * as Python prints their set: {@code Determined IP using DNS Lookup: web = {'192.0.2.1'}}.
     */
    public static String dnsLookupWarning(String name, java.util.List<?> addresses) {
        StringBuilder set = new StringBuilder("{");
        for (Object a : addresses) {
            set.append(set.length() == 1 ? "" : ", ").append(repr(a.toString()));
        }
        return "Determined IP using DNS Lookup: " + name + " = " + set.append('}');
    }

    /**
     * ipdns.py's warning for a host name without an address, with the resolver's reason when it
     * gave one: {@code Unable to find a corresponding IP address for web: [Errno -2] Name or service
     * not known}.
     */
    public static String dnsUnresolvedWarning(String name, String reason) {
        return "Unable to find a corresponding IP address for " + name + (reason == null ? "" : ": " + reason);
    }

    /** Python's {@code repr} of a str: single quotes unless it holds one and no double quote. */
    public static String repr(String s) {
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
