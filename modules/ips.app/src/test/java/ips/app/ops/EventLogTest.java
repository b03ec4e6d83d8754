package ips.app.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes EventLog writes: fail2ban's line layout, UTF-8 whatever the text, lines of any length. */
class EventLogTest {
    @Test
    void writesAsciiAndNonAsciiLinesOfAnyLengthAsUtf8() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EventLog log = new EventLog(bytes);
        String longId = "x".repeat(1000);
        log.found("sshd", "192.0.2.1", 1_700_000_000_000L);
        log.info("portcullis.server", "jail café: naïve ünïcode → ok");
        log.found("sshd", longId, 1_700_000_000_000L);
        log.warning("portcullis.config", "short");
        log.flush();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size(), lines.toString());
        String found = "fail2ban.filter         [" + ProcessHandle.current().pid() + "]: INFO    [sshd] Found 192.0.2.1 - ";
        assertTrue(lines.get(0).substring(24).startsWith(found), lines.get(0));
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} .*"), lines.get(0));
        assertTrue(lines.get(1).endsWith("INFO    jail café: naïve ünïcode → ok"), lines.get(1));
        assertTrue(lines.get(2).contains("] Found " + longId + " - "), "a line longer than the buffer");
        assertTrue(lines.get(3).endsWith("WARNING short"), lines.get(3));
    }
}
