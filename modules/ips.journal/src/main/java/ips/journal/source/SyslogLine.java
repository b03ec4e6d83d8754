package ips.journal.source;

import java.util.Locale;

/**
 * The text fail2ban's journal backend feeds its failregex (filtersystemd.py, formatJournalEntry):
 *
 * <pre>
 *   [_HOSTNAME ]IDENT[[PID]]: MESSAGE          IDENT = SYSLOG_IDENTIFIER, else _COMM
 *                                              PID   = SYSLOG_PID, else _PID (omitted when 0)
 *   host kernel: [    5.123456] MESSAGE        for IDENT "kernel" without PID: monotonic seconds, %12.6f
 * </pre>
 *
 * Each part is left out when its field is missing or empty (no identifier: no colon either); several
 * MESSAGE fields are joined with spaces; newlines in the result become the two characters {@code \n}.
 * The date is not part of the text: fail2ban takes it from _SOURCE_REALTIME_TIMESTAMP, else
 * __REALTIME_TIMESTAMP, and so does {@code LogLine.timeMillis}.
 */
public final class SyslogLine {

    private SyslogLine() {}

    /**
     * @param values fields indexed like {@link EntryFields#NAMES}
     * @param monotonicMicros the entry's __MONOTONIC_TIMESTAMP (used for kernel lines without _SOURCE_MONOTONIC_TIMESTAMP)
     */
    static String format(String[] values, long monotonicMicros, StringBuilder b) {
        b.setLength(0);
        String host = values[EntryFields.HOSTNAME];
        if (host != null && !host.isEmpty()) {
            b.append(host);
        }
        String ident = values[EntryFields.SYSLOG_IDENTIFIER];
        if (ident == null || ident.isEmpty()) {
            ident = values[EntryFields.COMM];
        }
        if (ident != null && !ident.isEmpty()) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            int identStart = b.length();
            b.append(ident);
            String pid = values[EntryFields.SYSLOG_PID];
            if (pid == null || pid.isEmpty()) {
                pid = values[EntryFields.PID];
            }
            if (pid != null && !pid.isEmpty()) {
                appendPid(pid, b);
            }
            b.append(':');
            if (b.length() - identStart == 7 && b.indexOf("kernel:", identStart) == identStart) {
                String source = values[EntryFields.SOURCE_MONOTONIC];
                long usec = source != null ? parseDecimal(source, monotonicMicros) : monotonicMicros;
                b.append(' ').append(String.format(Locale.ROOT, "[%12.6f]", usec / 1e6));
            }
        }
        String message = values[EntryFields.MESSAGE];
        if (!b.isEmpty()) {
            b.append(' ');
        }
        b.append(message == null ? "" : message);
        for (int i = 0; i < b.length(); i++) { // the whole line, as fail2ban does (a hostname could hold one too)
            if (b.charAt(i) == '\n') {
                b.replace(i, i + 1, "\\n");
                i++;
            }
        }
        return b.toString();
    }

    /**
     * Python-systemd converts _PID/SYSLOG_PID with {@code int()}; fail2ban then prints {@code [%i]},
     * leaves a 0 out (falsy), retries {@code int(v, 0)} for values like {@code 0x1f}, and otherwise
     * prints the text as it is.
     */
    private static void appendPid(String pid, StringBuilder b) {
        if (isCanonicalDecimal(pid)) { // the usual case: print it as it is
            b.append('[').append(pid).append(']');
            return;
        }
        String t = pid.strip().replace("_", "");
        long v = parseDecimal(t, Long.MIN_VALUE);
        if (v == Long.MIN_VALUE) {
            v = parsePrefixed(t);
        }
        if (v == 0) {
            return; // int 0 is falsy: fail2ban prints no brackets
        }
        b.append('[');
        if (v == Long.MIN_VALUE) {
            b.append(pid);
        } else {
            b.append(v);
        }
        b.append(']');
    }

    private static boolean isCanonicalDecimal(String s) {
        if (s.isEmpty() || s.length() > 18 || s.charAt(0) < '1' || s.charAt(0) > '9') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long parseDecimal(String t, long otherwise) {
        if (t.isEmpty() || t.length() > 18) {
            return otherwise;
        }
        int i = t.charAt(0) == '-' || t.charAt(0) == '+' ? 1 : 0;
        if (i == t.length()) {
            return otherwise;
        }
        long v = 0;
        for (; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return otherwise;
            }
            v = v * 10 + (c - '0');
        }
        return t.charAt(0) == '-' ? -v : v;
    }

    private static long parsePrefixed(String t) {
        if (t.length() < 3 || t.length() > 18 || t.charAt(0) != '0') {
            return Long.MIN_VALUE;
        }
        int radix = switch (Character.toLowerCase(t.charAt(1))) {
            case 'x' -> 16;
            case 'o' -> 8;
            case 'b' -> 2;
            default -> 0;
        };
        if (radix == 0) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(t.substring(2), radix);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
