package ips.journal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.LogLine;
import ips.api.LogSource;
import ips.api.LogSourceSpec;
import ips.api.LogSourceSpec.Start;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalSourceTest {

    private static final List<String> SSHD = List.of("_SYSTEMD_UNIT=sshd.service + _COMM=sshd");
    private static final long T0 = 1_700_000_000_000_000L;

    private final SystemdJournalProvider provider = new SystemdJournalProvider();

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsJournalRemote() {
        assumeTrue(ExportJournal.available(), "needs systemd-journal-remote (apt package systemd-journal-remote)");
    }

    private Path journalDir() throws IOException {
        return Files.createDirectories(tmp.resolve("journal"));
    }

    private Path stateDir() {
        return tmp.resolve("state"); // never inside the journal directory (inotify wake-ups)
    }

    private LogSource open(Path path, List<String> match, Start start, Path state) throws IOException {
        return provider.open(new LogSourceSpec("sshd", List.of(path.toString()), match, start, state));
    }

    private static List<LogLine> pollAll(LogSource source, long timeoutMillis) throws Exception {
        List<LogLine> lines = new ArrayList<>();
        source.poll(lines::add, timeoutMillis);
        return lines;
    }

    private static List<String> messages(List<LogLine> lines) {
        return lines.stream().map(l -> l.fields().get("MESSAGE")).toList();
    }

    @Test
    void journalflagsReachSdJournalOpen() throws Exception {
        // flags libsystemd does not know are refused by sd_journal_open itself: they reach it
        IOException refused = assertThrows(IOException.class, () -> provider.open(new LogSourceSpec("sshd", List.of(),
                List.of("_COMM=sshd"), Start.TAIL, null, LogSourceSpec.NO_SINCE, null, 1 << 14)));
        assertTrue(refused.getMessage().contains("sd_journal_open(flags 16384)"), refused.getMessage());
        // SD_JOURNAL_SYSTEM: the local journal's system files, whether or not this host has any
        try (LogSource source = provider.open(new LogSourceSpec("sshd", List.of(), List.of("_COMM=sshd"), Start.TAIL, null,
                LogSourceSpec.NO_SINCE, null, 4))) {
            assertTrue(source.description().contains("journalflags 4"), source.description());
        }
    }

    @Test
    void readsEveryEntryFromHeadAsFail2banFormatsIt() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0);
        w.entry("sshd.service", "sshd", 4242, "Failed password for root from 192.0.2.7 port 22 ssh2");
        w.entry("sshd.service", "sshd", 4242, "two\nlines");
        w.writeTo(file);
        try (LogSource source = open(file, List.of(), Start.HEAD, null)) {
            List<LogLine> lines = pollAll(source, 0);
            assertEquals(2, lines.size());
            LogLine first = lines.getFirst();
            assertEquals("web1 sshd[4242]: Failed password for root from 192.0.2.7 port 22 ssh2", first.text());
            assertEquals((T0 + 1000) / 1000, first.timeMillis());
            assertEquals("journal", first.source());
            assertEquals("sshd.service", first.fields().get("_SYSTEMD_UNIT"));
            assertEquals("4242", first.fields().get("_PID"));
            assertEquals("syslog", first.fields().get("_TRANSPORT"));
            assertEquals("web1 sshd[4242]: two\\nlines", lines.get(1).text());
            assertEquals(java.util.Map.of("_HOSTNAME", "web1", "_SYSTEMD_UNIT", "sshd.service", "SYSLOG_IDENTIFIER", "sshd",
                    "_COMM", "sshd", "_PID", "4242", "PRIORITY", "6", "_TRANSPORT", "syslog", "_BOOT_ID", ExportJournal.BOOT_ID,
                    "MESSAGE", "two\nlines"), lines.get(1).fields());
            assertEquals(lines.get(1).fields(), java.util.Map.copyOf(lines.get(1).fields()));
            assertEquals("two\nlines", lines.get(1).fields().get("MESSAGE"));
        }
    }

    @Test
    void stopWaitingEndsAWaitingPollAtOnce() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0);
        w.entry("sshd.service", "sshd", 1, "already there");
        w.writeTo(file);
        try (LogSource source = open(file, List.of(), Start.HEAD, null)) {
            assertEquals(List.of("already there"), messages(pollAll(source, 0)));
            CompletableFuture<Integer> poll = CompletableFuture.supplyAsync(() -> {
                try {
                    return source.poll(l -> { }, 60_000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300); // the poll is waiting
            source.stopWaiting();
            // not a speed claim: "ended by the call, not by its 60 s timeout", even on a busy CI machine
            assertEquals(0, poll.get(10, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            assertEquals(0, source.poll(l -> { }, 60_000), "later polls do not wait");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
        }
    }

    @Test
    void sourceRealtimeTimestampDatesTheLineWhenPresent() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0);
        w.entry(java.util.Map.of("MESSAGE", "hello", "SYSLOG_IDENTIFIER", "app",
                "_SOURCE_REALTIME_TIMESTAMP", "1600000000123456"));
        w.writeTo(file);
        try (LogSource source = open(file, List.of(), Start.HEAD, null)) {
            LogLine line = pollAll(source, 0).getFirst();
            assertEquals(1600000000123L, line.timeMillis());
            assertEquals("app: hello", line.text());
        }
    }

    @Test
    void journalmatchOrsTheGroupsSeparatedByPlus() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0);
        w.entry("sshd.service", "sshd", 1, "by unit");
        w.entry("cron.service", "cron", 2, "neither");
        w.entry("ssh.service", "sshd", 3, "by comm");
        w.entry("cron.service", "CRON", 4, "neither again");
        w.writeTo(file);
        try (LogSource source = open(file, SSHD, Start.HEAD, null)) {
            assertEquals(List.of("by unit", "by comm"), messages(pollAll(source, 0)));
            assertTrue(source.description().contains("_SYSTEMD_UNIT=sshd.service + _COMM=sshd"), source.description());
        }
        try (LogSource source = open(file, List.of("_SYSTEMD_UNIT=ssh.service _COMM=sshd"), Start.HEAD, null)) {
            assertEquals(List.of("by comm"), messages(pollAll(source, 0)), "terms of one group are ANDed");
        }
    }

    @Test
    void tailDeliversOnlyWhatIsAppendedAfterOpening() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0);
        w.entry("sshd.service", "sshd", 1, "old 1").entry("sshd.service", "sshd", 1, "old 2");
        w.writeTo(file);
        try (LogSource source = open(file, SSHD, Start.TAIL, null)) {
            assertEquals(List.of(), pollAll(source, 0));
            w.entry("sshd.service", "sshd", 1, "new 1");
            w.writeTo(file);
            assertEquals(List.of("new 1"), messages(pollAll(source, 5000)));
        }
    }

    @Test
    void tailWithAStartTimeBeginsWithTheEntriesFromThatTimeLikeFail2bansNowMinusFindtime() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0); // entry k at T0 + k ms
        for (int k = 1; k <= 5; k++) {
            w.entry("sshd.service", "sshd", 1, "entry " + k);
        }
        w.writeTo(file);
        long since = T0 / 1000 + 3;
        try (LogSource source = provider.open(new LogSourceSpec("sshd", List.of(file.toString()), SSHD, Start.TAIL,
                null, since))) {
            assertEquals(List.of("entry 3", "entry 4", "entry 5"), messages(pollAll(source, 0)));
            w.entry("sshd.service", "sshd", 1, "entry 6");
            w.writeTo(file);
            assertEquals(List.of("entry 6"), messages(pollAll(source, 5000)));
        }
        Path state = stateDir();
        try (LogSource source = provider.open(new LogSourceSpec("sshd", List.of(file.toString()), SSHD, Start.TAIL,
                state, T0 / 1000 + 7))) {
            assertEquals(List.of(), pollAll(source, 0), "nothing that recent yet");
            w.entry("sshd.service", "sshd", 1, "entry 7");
            w.writeTo(file);
            assertEquals(List.of("entry 7"), messages(pollAll(source, 5000)), "appended after the seek, at the start time");
        }
    }

    @Test
    void tailOnAJournalWithNoMatchingEntryDeliversTheFirstMatchingOne() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0);
        w.entry("cron.service", "cron", 1, "other");
        w.writeTo(file);
        try (LogSource source = open(file, SSHD, Start.TAIL, null)) {
            assertEquals(List.of(), pollAll(source, 0));
            w.entry("sshd.service", "sshd", 1, "first sshd");
            w.writeTo(file);
            assertEquals(List.of("first sshd"), messages(pollAll(source, 5000)));
        }
    }

    @Test
    void followModeDeliversEntriesAppendedWhilePollIsWaiting() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0);
        w.entry("sshd.service", "sshd", 1, "before");
        w.writeTo(file);
        try (LogSource source = open(file, SSHD, Start.HEAD, null)) {
            assertEquals(1, pollAll(source, 0).size());
            CompletableFuture<List<LogLine>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return pollAll(source, 10_000);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            long appended = System.nanoTime();
            w.entry("sshd.service", "sshd", 1, "while waiting");
            w.writeTo(file);
            List<LogLine> got = waiting.get(10, TimeUnit.SECONDS);
            long latencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - appended);
            assertEquals(List.of("while waiting"), messages(got));
            assertTrue(latencyMillis < 5000, "delivered " + latencyMillis + " ms after the append started");
        }
    }

    @Test
    void anIdlePollSleepsInsteadOfSpinning() throws Exception {
        Path file = journalDir().resolve("a.journal");
        new ExportJournal(T0).entry("sshd.service", "sshd", 1, "x").writeTo(file);
        try (LogSource source = open(file, SSHD, Start.TAIL, null)) {
            long cpuBefore = processCpuMillis();
            long start = System.nanoTime();
            assertEquals(0, source.poll(l -> {}, 1500));
            long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long cpu = processCpuMillis() - cpuBefore;
            assertTrue(wall >= 1400, "returned after " + wall + " ms");
            assertTrue(cpu < 400, "used " + cpu + " ms CPU while idle for " + wall + " ms");
        }
    }

    /** utime + stime of this process, from /proc/self/stat (clock ticks of 10 ms). */
    private static long processCpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    @Test
    void kernelEntriesCarryTheirMonotonicSecondsLikeFail2ban() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0);
        w.entry(java.util.Map.of("_HOSTNAME", "web1", "SYSLOG_IDENTIFIER", "kernel", "_TRANSPORT", "kernel",
                "MESSAGE", "IN=eth0 SRC=192.0.2.9"));
        w.writeTo(file);
        try (LogSource source = open(file, List.of("_TRANSPORT=kernel"), Start.HEAD, null)) {
            // the writer's __MONOTONIC_TIMESTAMP for its first entry is T0 / 10 + 1000 µs
            String seconds = String.format(java.util.Locale.ROOT, "[%12.6f]", (T0 / 10 + 1000) / 1e6);
            assertEquals("web1 kernel: " + seconds + " IN=eth0 SRC=192.0.2.9", pollAll(source, 0).getFirst().text());
        }
    }

    @Test
    void aMessageLargerThanTheFieldBufferArrivesWhole() throws Exception {
        Path file = journalDir().resolve("a.journal");
        String big = "Failed password for " + "x".repeat(20_000) + " from 192.0.2.1";
        new ExportJournal(T0).entry("sshd.service", "sshd", 5, big).entry("sshd.service", "sshd", 5, "small")
                .writeTo(file);
        try (LogSource source = open(file, SSHD, Start.HEAD, null)) {
            assertEquals(List.of(big, "small"), messages(pollAll(source, 0)));
        }
    }

    @Test
    void anInterruptedPollerStopsWaiting() throws Exception {
        Path file = journalDir().resolve("a.journal");
        new ExportJournal(T0).entry("sshd.service", "sshd", 1, "x").writeTo(file);
        try (LogSource source = open(file, SSHD, Start.TAIL, null)) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> source.poll(l -> {}, 10_000));
            assertFalse(Thread.interrupted());
        }
    }

    @Test
    void closeFromAnotherThreadWaitsForTheRunningPollAndLaterPollsFail() throws Exception {
        Path file = journalDir().resolve("a.journal");
        new ExportJournal(T0).entry("sshd.service", "sshd", 1, "x").writeTo(file);
        LogSource source = open(file, SSHD, Start.TAIL, null);
        CompletableFuture<Integer> polling = CompletableFuture.supplyAsync(() -> {
            try {
                return source.poll(l -> {}, 700);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        source.close(); // must not free the handle under sd_journal_wait
        assertEquals(0, polling.get(5, TimeUnit.SECONDS));
        assertThrows(IOException.class, () -> source.poll(l -> {}, 0));
        source.close();
    }

    @Test
    void aBacklogLargerThanOneBatchArrivesOverSeveralPollsAndResumesMidway() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0);
        for (int i = 0; i < 5; i++) {
            w.entry("sshd.service", "sshd", 1, "m" + i);
        }
        w.writeTo(file);
        try (LogSource source = open(file, SSHD, Start.HEAD, stateDir())) {
            ((JournalSource) source).maxLinesPerPoll(2);
            assertEquals(List.of("m0", "m1"), messages(pollAll(source, 0)));
        }
        try (LogSource source = open(file, SSHD, Start.HEAD, stateDir())) {
            ((JournalSource) source).maxLinesPerPoll(2);
            assertEquals(List.of("m2", "m3"), messages(pollAll(source, 0)));
            assertEquals(List.of("m4"), messages(pollAll(source, 0)));
            assertEquals(List.of(), messages(pollAll(source, 0)));
        }
    }

    @Test
    void resumesAfterTheSavedCursorWithoutLosingOrRepeatingAnEntry() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0);
        for (int i = 0; i < 10; i++) {
            w.entry("sshd.service", "sshd", 1, "m" + i);
        }
        w.writeTo(file);
        try (LogSource source = open(file, SSHD, Start.HEAD, stateDir())) {
            assertEquals(10, pollAll(source, 0).size());
        }
        assertTrue(Files.exists(stateDir().resolve("sshd.journal-cursor")));
        try (LogSource source = open(file, SSHD, Start.HEAD, stateDir())) {
            assertEquals(List.of(), pollAll(source, 0), "nothing new after a restart");
        }
        for (int i = 10; i < 15; i++) {
            w.entry("sshd.service", "sshd", 1, "m" + i);
        }
        w.writeTo(file);
        try (LogSource source = open(file, SSHD, Start.TAIL, stateDir())) {
            assertEquals(List.of("m10", "m11", "m12", "m13", "m14"), messages(pollAll(source, 0)),
                    "the cursor wins over start=tail");
            w.entry("sshd.service", "sshd", 1, "m15");
            w.writeTo(file);
            assertEquals(List.of("m15"), messages(pollAll(source, 5000)));
            source.checkpoint();
        }
        try (LogSource source = open(file, SSHD, Start.HEAD, stateDir())) {
            assertEquals(List.of(), pollAll(source, 0));
        }
    }

    @Test
    void theCursorIsSavedPeriodicallyInTheBackgroundAlsoWhenNoEntryCame() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0);
        for (int i = 0; i < 3; i++) {
            w.entry("sshd.service", "sshd", 1, "m" + i);
        }
        w.writeTo(file);
        Path cursorFile = stateDir().resolve("sshd.journal-cursor");
        try (LogSource source = open(file, SSHD, Start.HEAD, stateDir())) {
            JournalSource journal = (JournalSource) source;
            journal.checkpointInterval(TimeUnit.HOURS.toNanos(1));
            assertEquals(3, pollAll(source, 0).size());
            assertFalse(Files.exists(cursorFile), "not due yet");
            journal.checkpointInterval(0);
            // polls that find nothing still save the last delivered cursor, through the state writer
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!Files.exists(cursorFile) && System.nanoTime() - deadline < 0) {
                assertEquals(List.of(), pollAll(source, 10));
            }
            assertEquals(journal.cursor() + "\n", Files.readString(cursorFile));
        }
    }

    @Test
    void anUnreadableCursorFileFallsBackToTheStartPosition() throws Exception {
        Path file = journalDir().resolve("a.journal");
        new ExportJournal(T0).entry("sshd.service", "sshd", 1, "m0").writeTo(file);
        Files.createDirectories(stateDir());
        Files.writeString(stateDir().resolve("sshd.journal-cursor"), "not a cursor\n");
        try (LogSource source = open(file, SSHD, Start.HEAD, stateDir())) {
            assertEquals(List.of("m0"), messages(pollAll(source, 0)));
        }
    }

    @Test
    void followsRotationIntoANewFileAndSurvivesVacuumingOfTheOldOne() throws Exception {
        Path dir = journalDir();
        Path old = dir.resolve("system@0001.journal");
        ExportJournal w = new ExportJournal(T0);
        for (int i = 0; i < 5; i++) {
            w.entry("sshd.service", "sshd", 1, "m" + i);
        }
        w.writeTo(old);
        try (LogSource source = open(dir, SSHD, Start.HEAD, stateDir())) {
            assertEquals(5, pollAll(source, 0).size());
            for (int i = 5; i < 10; i++) {
                w.entry("sshd.service", "sshd", 1, "m" + i);
            }
            w.writeTo(dir.resolve("system.journal")); // rotated: a new active file
            Files.delete(old); // vacuumed
            List<LogLine> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.size() < 5 && System.nanoTime() < deadline) {
                source.poll(got::add, 1000);
            }
            assertEquals(List.of("m5", "m6", "m7", "m8", "m9"), messages(got));
            w.entry("sshd.service", "sshd", 1, "m10");
            w.writeTo(dir.resolve("system.journal"));
            assertEquals(List.of("m10"), messages(pollAll(source, 5000)));
        }
        try (LogSource source = open(dir, SSHD, Start.HEAD, stateDir())) {
            assertEquals(List.of(), pollAll(source, 0), "resumed after m10 in the new file");
        }
    }

    @Test
    void aTailSourceRotatedBeforeItsFirstLineMissesNothingAppendedAfterOpening() throws Exception {
        Path dir = journalDir();
        Path old = dir.resolve("system@0001.journal");
        ExportJournal w = new ExportJournal(T0);
        w.entry("sshd.service", "sshd", 1, "old").writeTo(old);
        try (LogSource source = open(dir, SSHD, Start.TAIL, stateDir())) {
            w.entry("sshd.service", "sshd", 1, "m1").entry("sshd.service", "sshd", 1, "m2");
            w.writeTo(dir.resolve("system.journal"));
            Files.delete(old);
            List<LogLine> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.size() < 2 && System.nanoTime() < deadline) {
                source.poll(got::add, 1000);
            }
            assertEquals(List.of("m1", "m2"), messages(got));
        }
    }

    @Test
    void aTailSourceClosedBeforeItsFirstLineResumesWhereItOpened() throws Exception {
        Path file = journalDir().resolve("a.journal");
        ExportJournal w = new ExportJournal(T0);
        w.entry("sshd.service", "sshd", 1, "old").writeTo(file);
        try (LogSource source = open(file, SSHD, Start.TAIL, stateDir())) {
            assertEquals(List.of(), pollAll(source, 0));
        }
        w.entry("sshd.service", "sshd", 1, "while down").writeTo(file);
        try (LogSource source = open(file, SSHD, Start.TAIL, stateDir())) {
            assertEquals(List.of("while down"), messages(pollAll(source, 0)));
        }
    }

    @Test
    void resumesAtTheNextEntryWhenTheCursorsEntryWasVacuumed() throws Exception {
        Path dir = journalDir();
        Path old = dir.resolve("system@0001.journal");
        ExportJournal w = new ExportJournal(T0);
        w.entry("sshd.service", "sshd", 1, "m0").writeTo(old);
        try (LogSource source = open(dir, SSHD, Start.HEAD, stateDir())) {
            assertEquals(List.of("m0"), messages(pollAll(source, 0)));
        }
        w.entry("sshd.service", "sshd", 1, "m1").entry("sshd.service", "sshd", 1, "m2");
        w.writeTo(dir.resolve("system.journal"));
        Files.delete(old);
        try (LogSource source = open(dir, SSHD, Start.TAIL, stateDir())) {
            assertEquals(List.of("m1", "m2"), messages(pollAll(source, 0)));
        }
    }

    @Test
    void openingAndClosingManyTimesLeaksNoFileDescriptor() throws Exception {
        Path file = journalDir().resolve("a.journal");
        new ExportJournal(T0).entry("sshd.service", "sshd", 1, "x").writeTo(file);
        for (int i = 0; i < 5; i++) { // warm up: class loading opens jars once
            try (LogSource source = open(file, SSHD, Start.HEAD, stateDir())) {
                source.poll(l -> {}, 1);
            }
        }
        long before = openDescriptors();
        for (int i = 0; i < 300; i++) {
            try (LogSource source = open(file, SSHD, Start.HEAD, null)) {
                source.poll(l -> {}, 1);
            }
            try (LogSource source = open(journalDir(), SSHD, Start.TAIL, stateDir())) {
                source.poll(l -> {}, 0);
                source.poll(l -> {}, 3); // waits: its wake-up descriptor is made, and closed with it
                if (i % 2 == 0) {
                    source.stopWaiting();
                }
            }
        }
        long after = openDescriptors();
        assertTrue(after <= before, "descriptors before " + before + ", after 600 cycles " + after);
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void aBadJournalmatchIsRefusedWithTheTermNamed() throws Exception {
        Path file = journalDir().resolve("a.journal");
        new ExportJournal(T0).entry("sshd.service", "sshd", 1, "x").writeTo(file);
        IOException e = assertThrows(IOException.class,
                () -> open(file, List.of("_systemd_unit=sshd.service"), Start.HEAD, null));
        assertTrue(e.getMessage().contains("_systemd_unit=sshd.service"), e.getMessage());
        assertThrows(IOException.class, () -> open(file, List.of("sshd"), Start.HEAD, null));
    }

    @Test
    void aMissingJournalPathIsReportedClearly() {
        IOException e = assertThrows(IOException.class,
                () -> open(tmp.resolve("none-*.journal"), SSHD, Start.HEAD, null));
        assertTrue(e.getMessage().contains("no journal file matches"), e.getMessage());
    }

    @Test
    void journalFilesAreGlobbed() throws Exception {
        Path dir = journalDir();
        ExportJournal w = new ExportJournal(T0);
        w.entry("sshd.service", "sshd", 1, "a").writeTo(dir.resolve("a.journal"));
        w.entry("sshd.service", "sshd", 1, "b").writeTo(dir.resolve("b.journal"));
        try (LogSource source = open(dir.resolve("*.journal"), SSHD, Start.HEAD, null)) {
            assertEquals(List.of("a", "b"), messages(pollAll(source, 0)));
        }
    }

}
