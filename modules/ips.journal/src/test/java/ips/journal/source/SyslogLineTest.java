package ips.journal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected texts are what fail2ban 1.0.2's FilterSystemd.formatJournalEntry produces for the same fields. */
class SyslogLineTest {

    private static String format(Map<String, String> fields, long monotonicMicros) {
        String[] values = new String[EntryFields.NAMES.length];
        fields.forEach((k, v) -> values[java.util.Arrays.asList(EntryFields.NAMES).indexOf(k)] = v);
        return SyslogLine.format(values, monotonicMicros, new StringBuilder());
    }

    @Test
    void prefixesHostIdentifierAndPidLikeSyslog() {
        assertEquals("web1 sshd[42]: Failed password",
                format(Map.of("_HOSTNAME", "web1", "SYSLOG_IDENTIFIER", "sshd", "_PID", "42", "MESSAGE", "Failed password"), 0));
    }

    @Test
    void prefersSyslogPidAndIdentifierOverPidAndComm() {
        assertEquals("h app[7]: m", format(Map.of("_HOSTNAME", "h", "SYSLOG_IDENTIFIER", "app", "_COMM", "python3",
                "SYSLOG_PID", "7", "_PID", "99", "MESSAGE", "m"), 0));
        assertEquals("h python3[99]: m", format(Map.of("_HOSTNAME", "h", "SYSLOG_IDENTIFIER", "", "_COMM", "python3",
                "_PID", "99", "MESSAGE", "m"), 0));
    }

    @Test
    void leavesOutWhatIsMissing() {
        assertEquals("h m", format(Map.of("_HOSTNAME", "h", "MESSAGE", "m"), 0));
        assertEquals("app: m", format(Map.of("SYSLOG_IDENTIFIER", "app", "MESSAGE", "m"), 0));
        assertEquals("app: ", format(Map.of("SYSLOG_IDENTIFIER", "app", "MESSAGE", ""), 0));
        assertEquals("", format(Map.of(), 0));
    }

    @Test
    void printsPidsAsPythonIntegers() {
        assertEquals("a[12]: m", format(Map.of("SYSLOG_IDENTIFIER", "a", "_PID", "012", "MESSAGE", "m"), 0));
        assertEquals("a[31]: m", format(Map.of("SYSLOG_IDENTIFIER", "a", "_PID", "0x1f", "MESSAGE", "m"), 0));
        assertEquals("a: m", format(Map.of("SYSLOG_IDENTIFIER", "a", "_PID", "0", "MESSAGE", "m"), 0));
        assertEquals("a[abc]: m", format(Map.of("SYSLOG_IDENTIFIER", "a", "_PID", "abc", "MESSAGE", "m"), 0));
    }

    @Test
    void kernelLinesCarryMonotonicSecondsLikeDmesg() {
        assertEquals("h kernel: [    5.123456] oops",
                format(Map.of("_HOSTNAME", "h", "SYSLOG_IDENTIFIER", "kernel", "MESSAGE", "oops"), 5_123_456));
        assertEquals("h kernel: [   12.000001] oops", format(Map.of("_HOSTNAME", "h", "SYSLOG_IDENTIFIER", "kernel",
                "_SOURCE_MONOTONIC_TIMESTAMP", "12000001", "MESSAGE", "oops"), 5_123_456));
    }

    @Test
    void newlinesBecomeBackslashN() {
        assertEquals("a: x\\ny\\n", format(Map.of("SYSLOG_IDENTIFIER", "a", "MESSAGE", "x\ny\n"), 0));
    }
}
