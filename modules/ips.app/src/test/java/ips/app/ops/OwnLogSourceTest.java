package ips.app.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.LogLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jail that reads the logtarget the daemon could not open gets the daemon's own log lines
 * instead: each line logged (DEBUG lines excepted) in order, across a reload's new source, waited
 * for without a busy loop, and a queue that overflows says how many lines it dropped.
 */
class OwnLogSourceTest {
    @TempDir
    Path dir;

    private EventLog unwritable() throws IOException {
        Path target = Files.createFile(dir.resolve("a-file")).resolve("fail2ban.log");
        List<String> problems = new ArrayList<>();
        EventLog log = EventLog.forTargetOrStderr(target.toString(), problems::add);
        assertEquals(target.toString(), log.unwritableTarget());
        assertEquals(1, problems.size(), problems.toString());
        return log;
    }

    private static List<LogLine> poll(OwnLogSource s, long timeoutMillis) throws InterruptedException {
        List<LogLine> got = new ArrayList<>();
        s.poll(got::add, timeoutMillis);
        return got;
    }

    @Test
    void theJailGetsEveryLineLoggedFromItsCreationOnButDebugLines() throws Exception {
        EventLog log = unwritable();
        log.info("portcullis.server", "before the jail reads: not copied");
        OwnLogSource recidive = log.ownLines("recidive");
        assertEquals(log.unwritableTarget(), recidive.description());
        log.setDebug(true);
        log.found("sshd", "192.0.2.1", System.currentTimeMillis());
        log.debug("fail2ban.filter", "a DEBUG line: a jail reading them would feed itself");
        log.ban("sshd", "192.0.2.1");
        log.action("fail2ban.actions", "[sshd] Unban 192.0.2.1");
        List<LogLine> got = new ArrayList<>(poll(recidive, 0));
        assertEquals(2, got.size(), "Found and Ban (whose line flushes the log); the buffered Unban comes with the next"
                + " flush, as it reaches a file: " + got);
        log.flush();
        got.addAll(poll(recidive, 0));
        assertEquals(3, got.size(), got.toString());
        String pid = "[" + ProcessHandle.current().pid() + "]: ";
        assertTrue(got.get(0).text().contains("fail2ban.filter         " + pid + "INFO    [sshd] Found 192.0.2.1 - "), got.get(0).text());
        assertTrue(got.get(1).text().endsWith("fail2ban.actions        " + pid + "NOTICE  [sshd] Ban 192.0.2.1"), got.get(1).text());
        assertTrue(got.get(2).text().endsWith("NOTICE  [sshd] Unban 192.0.2.1"), got.get(2).text());
        for (LogLine l : got) {
            assertEquals(log.unwritableTarget(), l.source());
            assertTrue(!l.hasTime() && l.fields().isEmpty(), "dated by its text, as the file's lines: " + l);
            assertTrue(l.text().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} .*"), l.text());
        }
        assertEquals(List.of(), poll(recidive, 0));
    }

    @Test
    void aPollWaitsForTheNextLineAndStopWaitingEndsItsWait() throws Exception {
        EventLog log = unwritable();
        OwnLogSource s = log.ownLines("recidive");
        Thread logger = Thread.ofPlatform().start(() -> {
            sleep(200);
            log.ban("sshd", "192.0.2.2");
        });
        long t0 = System.nanoTime();
        List<LogLine> got = poll(s, 10_000);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        logger.join();
        assertEquals(1, got.size(), got.toString());
        assertTrue(waited >= 150 && waited < 5_000, "woken by the line, not the timeout: " + waited + " ms");

        Thread stopper = Thread.ofPlatform().start(() -> {
            sleep(200);
            s.stopWaiting();
        });
        t0 = System.nanoTime();
        assertEquals(List.of(), poll(s, 10_000));
        waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        stopper.join();
        assertTrue(waited < 5_000, "stopWaiting ends the wait: " + waited + " ms");
        t0 = System.nanoTime();
        assertEquals(List.of(), poll(s, 10_000));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 1_000, "and no later poll waits");
    }

    @Test
    void aReloadsNewSourceReadsOnWhereTheClosedOneStoppedAndDroppedJailsGetNoMore() throws Exception {
        EventLog log = unwritable();
        OwnLogSource first = log.ownLines("recidive");
        OwnLogSource other = log.ownLines("watcher");
        log.ban("sshd", "192.0.2.3");
        assertEquals(1, poll(first, 0).size());
        first.close();
        log.ban("sshd", "192.0.2.4"); // between the old source's close and the new one's open
        OwnLogSource second = log.ownLines("recidive");
        List<LogLine> got = poll(second, 0);
        assertEquals(1, got.size(), got.toString());
        assertTrue(got.get(0).text().endsWith("Ban 192.0.2.4"), got.get(0).text());

        log.keepOwnLinesFor(List.of("recidive")); // the reload dropped jail 'watcher'
        log.ban("sshd", "192.0.2.5");
        assertEquals(1, poll(second, 0).size());
        assertEquals(2, poll(other, 0).size(), "what it had before, nothing after");
        assertEquals(List.of(), poll(other, 0));
        log.keepOwnLinesFor(List.of());
        log.ban("sshd", "192.0.2.6");
        assertEquals(List.of(), poll(second, 0));
    }

    @Test
    void aFullQueueDropsTheOldestLinesAndTheNextPollSaysHowMany() throws Exception {
        EventLog log = unwritable();
        OwnLogSource.Lines lines = new OwnLogSource.Lines(3);
        OwnLogSource s = new OwnLogSource("/var/log/fail2ban.log", "recidive", lines, log);
        OwnLogSource watch = log.ownLines("recidive"); // the warning is itself a line of the log
        for (int i = 1; i <= 5; i++) {
            lines.add("line " + i);
        }
        List<LogLine> got = poll(s, 0);
        assertEquals(List.of("line 3", "line 4", "line 5"), got.stream().map(LogLine::text).toList());
        List<LogLine> warned = poll(watch, 0);
        assertEquals(1, warned.size(), warned.toString());
        assertTrue(warned.get(0).text().endsWith("WARNING [recidive] 2 of this daemon's own log lines were dropped before"
                + " the jail read them (more than " + OwnLogSource.CAPACITY + " waiting)"), warned.get(0).text());
        lines.add("line 6");
        poll(s, 0);
        assertEquals(List.of(), poll(watch, 0), "said once per overflow");
    }

    @Test
    void aLogThatWritesItsLogtargetHasNoOwnLinesToGive() {
        EventLog log = new EventLog(new ByteArrayOutputStream());
        assertNull(log.unwritableTarget());
        assertThrows(IllegalStateException.class, () -> log.ownLines("recidive"));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
