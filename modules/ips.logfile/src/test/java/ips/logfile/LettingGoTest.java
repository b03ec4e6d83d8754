package ips.logfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.LogSourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens to files the path no longer names, and to positions between checkpoints. */
class LettingGoTest {
    @TempDir
    Path dir;

    @Test
    void aRotatedFileEndingInAPartialLineDeliversItOnceTheFileHasBeenQuietForTheGraceTime() throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "one\nunfinished");
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, log)) {
            Collected c = new Collected().pollUntil(source, 1, 5_000);
            Files.move(log, dir.resolve("app.log.1"));
            Files.writeString(log, "two\n");
            c.pollUntil(source, 2, 5_000);
            assertEquals(List.of("one", "two"), c.texts(), "held while the old file may still grow");
            c.pollUntil(source, 3, 5_000);
            assertEquals(List.of("one", "two", "unfinished"), c.texts());
        }
    }

    @Test
    void aFileRotatedWhileItsBacklogIsReadInSlicesIsReadToItsEndThenTheNewOne() throws Exception {
        Path log = dir.resolve("app.log");
        int old = 3 * LineReader.MAX_LINES_PER_READ + 77;
        Sources.appendLines(log, 0, old);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, log)) {
            Collected c = new Collected();
            int first = source.poll(c, 0);
            assertTrue(first < old, "one slice, not the whole backlog: " + first);
            Files.move(log, dir.resolve("app.log.1")); // logrotate's rename, mid-backlog
            Sources.appendLines(log, old, old + 5);
            assertSameLines(Sources.numbered(0, old + 5), c.pollUntil(source, old + 5, 10_000).pollFor(source, 600).texts());
        }
    }

    @Test
    void aCopyTruncatedFileWhoseBacklogIsReadInSlicesLosesAndRepeatsNoLine() throws Exception {
        Path log = dir.resolve("app.log");
        int old = 2 * LineReader.MAX_LINES_PER_READ + 500;
        Sources.appendLines(log, 0, old);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, log)) {
            Collected c = new Collected();
            assertTrue(source.poll(c, 0) < old);
            Files.copy(log, dir.resolve("app.log.1"), StandardCopyOption.REPLACE_EXISTING); // copytruncate
            Files.write(log, new byte[0]);
            Sources.appendLines(log, old, old + 3);
            assertSameLines(Sources.numbered(0, old + 3), c.pollUntil(source, old + 3, 10_000).pollFor(source, 600).texts());
        }
    }

    @Test
    void aDeletedFileIsClosedAfterTheGraceTimeSoItsSpaceIsFreed() throws Exception {
        Path log = dir.resolve("app.log");
        Sources.appendLines(log, 0, 2);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, log)) {
            Collected c = new Collected().pollUntil(source, 2, 5_000);
            assertEquals(List.of(log), source.files());
            Files.delete(log);
            c.pollFor(source, 800);
            assertEquals(List.of(), source.files());
            assertEquals(1, source.rotationsSeen());
            Sources.appendLines(log, 2, 4);
            assertEquals(Sources.numbered(0, 4), c.pollUntil(source, 4, 5_000).texts());
        }
    }

    @Test
    void positionsAreSavedPeriodicallyWithoutAnExplicitCheckpoint() throws Exception {
        Path log = dir.resolve("app.log");
        Path state = dir.resolve("state");
        Sources.appendLines(log, 0, 3);
        try (FileLogSource source = new FileLogSource(new LogSourceSpec("periodic", List.of(log.toString()), List.of(),
                LogSourceSpec.Start.HEAD, state), new TailContext.Timing(300_000_000L, 100_000_000L, 100_000_000L))) {
            Collected c = new Collected().pollUntil(source, 3, 5_000);
            Path file = state.resolve("logfile-periodic.state");
            // the periodic save is written by the state writer thread, a little after poll() queued it
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!(Files.exists(file) && Files.readString(file).contains("\n21 0 21 "))
                    && System.nanoTime() - deadline < 0) {
                c.pollFor(source, 50);
            }
            assertTrue(Files.exists(file));
            assertTrue(Files.readString(file).contains("\n21 0 21 "), Files.readString(file));
        }
    }

    @Test
    void afterACrashLinesSinceTheLastCheckpointComeAgainAndNoneIsLost() throws Exception {
        Path log = dir.resolve("app.log");
        Path state = dir.resolve("state");
        Path stateFile = state.resolve("logfile-test-jail.state");
        Sources.appendLines(log, 0, 3);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state, log)) {
            Collected c = new Collected().pollUntil(source, 3, 5_000);
            source.checkpoint();
            Files.copy(stateFile, dir.resolve("at-checkpoint"));
            Sources.appendLines(log, 3, 5);
            c.pollUntil(source, 5, 5_000);
        }
        Files.copy(dir.resolve("at-checkpoint"), stateFile, StandardCopyOption.REPLACE_EXISTING); // as if killed
        Sources.appendLines(log, 5, 6);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state, log)) {
            assertEquals(Sources.numbered(3, 6), new Collected().pollUntil(source, 3, 5_000).pollFor(source, 100).texts());
        }
    }

    /** Lists of many lines compared without printing them whole: the first difference and the sizes. */
    private static void assertSameLines(List<String> expected, List<String> actual) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new AssertionError("line " + i + ": expected '" + expected.get(i) + "' but got '" + actual.get(i)
                        + "' (" + actual.size() + " lines, " + expected.size() + " expected)");
            }
        }
        assertEquals(expected.size(), actual.size(), "lines delivered");
    }
}
