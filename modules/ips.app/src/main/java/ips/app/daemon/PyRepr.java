package ips.app.daemon;

import java.util.List;

/**
 * Python's {@code repr} of the strings and lists fail2ban-client prints as they come from its
 * server ({@code banned}, {@code get JAIL banned}): {@code [{'sshd': ['192.0.2.1']}]}.
 */
final class PyRepr {
    private PyRepr() {}

    /** repr(str): single quotes unless the text holds one and no double quote; escapes as Python's. */
    static String str(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder(s.length() + 2).append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == q) {
                        sb.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append(q).toString();
    }

    /** repr(list of str). */
    static String list(List<String> items) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(str(items.get(i)));
        }
        return sb.append(']').toString();
    }
}
