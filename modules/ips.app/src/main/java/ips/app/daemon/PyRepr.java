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
        return ips.filter.PyQuote.repr(s);
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
