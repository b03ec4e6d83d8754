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

    /** Heads are cached per logger and level: alternating three, and a logger name that is another string, keep each its own. */
    @Test
    void eachLineHasItsOwnLoggerAndLevelWhateverCameBefore() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EventLog log = new EventLog(bytes);
        String pid = "[" + ProcessHandle.current().pid() + "]: ";
        String[][] lines = {
            {"fail2ban.filter", "INFO"}, {"fail2ban.actions", "NOTICE"}, {"portcullis.server", "WARNING"},
            {"fail2ban.actions", "NOTICE"}, {"fail2ban.filter", "INFO"}, {"portcullis.server", "INFO"},
            {new String("fail2ban.filter".toCharArray()), "INFO"}, {"a.logger.name.longer.than.24", "ERROR"},
        };
        for (String[] l : lines) {
            switch (l[1]) {
                case "INFO" -> log.info(l[0], "m");
                case "NOTICE" -> log.action(l[0], "m");
                case "WARNING" -> log.warning(l[0], "m");
                default -> log.error(l[0], "m");
            }
        }
        log.flush();
        List<String> out = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(lines.length, out.size(), out.toString());
        for (int i = 0; i < lines.length; i++) {
            String want = String.format("%-24s%s%-7s m", lines[i][0], pid, lines[i][1]);
            assertEquals(want, out.get(i).substring(24), "line " + i);
        }
    }

    @Test
    void aLogFileThatLogrotateMovesIsFollowedToItsNewFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path target = dir.resolve("fail2ban.log");
        EventLog log = EventLog.forTarget(target.toString());
        log.ban("sshd", "192.0.2.1");
        assertEquals(false, log.reopen(false), "the same file: nothing to do");
        // logrotate's default: rename, create a new empty file
        java.nio.file.Files.move(target, dir.resolve("fail2ban.log.1"));
        java.nio.file.Files.createFile(target);
        log.ban("sshd", "192.0.2.2"); // buffered: belongs to the file it was written for
        assertTrue(log.reopen(false));
        log.ban("sshd", "192.0.2.3");
        log.flush();
        String old = java.nio.file.Files.readString(dir.resolve("fail2ban.log.1"));
        String now = java.nio.file.Files.readString(target);
        assertTrue(old.contains("Ban 192.0.2.1") && old.contains("Ban 192.0.2.2") && !old.contains("192.0.2.3"), old);
        assertTrue(now.contains("Ban 192.0.2.3") && now.contains("log file " + target + " reopened"), now);
        // rotated without a new file (missingok, no create): the path is created again
        java.nio.file.Files.move(target, dir.resolve("fail2ban.log.2"));
        assertTrue(log.reopen(false));
        log.ban("sshd", "192.0.2.4");
        log.flush();
        assertTrue(java.nio.file.Files.readString(target).contains("Ban 192.0.2.4"));
        // the directory gone: said once, not every second, and the old file written on
        java.nio.file.Path sub = java.nio.file.Files.createDirectories(dir.resolve("sub"));
        EventLog inSub = EventLog.forTarget(sub.resolve("f.log").toString());
        java.nio.file.Files.move(sub, dir.resolve("sub.old"));
        assertEquals(false, inSub.reopen(false));
        assertEquals(false, inSub.reopen(false));
        inSub.flush();
        String kept = java.nio.file.Files.readString(dir.resolve("sub.old/f.log"));
        assertEquals(1, kept.split("cannot reopen log file", -1).length - 1, kept);
        // flushlogs: reopened whatever the file is; stderr has nothing to reopen
        assertTrue(log.reopen(true));
        assertEquals(false, new EventLog(new ByteArrayOutputStream()).reopen(true));
    }

    @Test
    void aLogtargetThatCannotBeWrittenFallsBackToStderrAndSaysWhy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createFile(dir.resolve("a-file"));
        java.util.List<String> problems = new java.util.ArrayList<>();
        String target = file.resolve("fail2ban.log").toString(); // below a file: never writable, even for root
        EventLog log = EventLog.forTargetOrStderr(target, problems::add);
        assertEquals(false, log.reopen(true), "stderr: no file to reopen");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("logtarget " + target + " cannot be opened for writing (")
                && problems.get(0).endsWith("); logging to stderr instead (the journal under systemd)"), problems.get(0));
        assertTrue(EventLog.forTargetOrStderr(dir.resolve("ok.log").toString(), problems::add).reopen(true));
        assertEquals(1, problems.size(), "a writable file is no problem");
    }

    @Test
    void underTheJournalEachLineStartsWithItsSyslogPriorityAndCopiesForOwnLogJailsDoNot() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EventLog log = EventLog.forTest(bytes, true, "/var/log/fail2ban.log");
        OwnLogSource recidive = log.ownLines("recidive");
        log.setDebug(true);
        log.error("portcullis.server", "e");
        log.warning("portcullis.config", "w");
        log.ban("sshd", "192.0.2.1");
        log.info("fail2ban.jail", "i");
        log.found("sshd", "192.0.2.1", 1_700_000_000_000L);
        log.debug("fail2ban.filter", "d");
        log.flush();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("<3>", "<4>", "<5>", "<6>", "<6>", "<7>"), lines.stream().map(l -> l.substring(0, 3)).toList());
        for (String l : lines) {
            assertTrue(l.substring(3).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} .*"), "then fail2ban's line: " + l);
        }
        List<String> copied = new java.util.ArrayList<>();
        recidive.poll(l -> copied.add(l.text()), 0);
        assertEquals(5, copied.size(), copied.toString());
        assertTrue(copied.stream().allMatch(l -> Character.isDigit(l.charAt(0))), "the recidive filter reads fail2ban's line: " + copied);
    }

    @Test
    void stderrIsTheJournalOnlyWhenItsDeviceAndInodeAreJournalStreams(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createFile(dir.resolve("stream"));
        long dev = (Long) java.nio.file.Files.getAttribute(f, "unix:dev");
        long ino = (Long) java.nio.file.Files.getAttribute(f, "unix:ino");
        assertTrue(EventLog.stderrIsJournal(Long.toUnsignedString(dev) + ":" + Long.toUnsignedString(ino), f));
        assertTrue(!EventLog.stderrIsJournal(Long.toUnsignedString(dev) + ":" + (ino + 1), f), "another stream");
        assertTrue(!EventLog.stderrIsJournal(null, f));
        assertTrue(!EventLog.stderrIsJournal("garbage", f));
        assertTrue(!EventLog.stderrIsJournal("1:2", dir.resolve("absent")));
    }
}
