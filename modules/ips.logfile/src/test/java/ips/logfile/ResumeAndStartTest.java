package ips.logfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.LogSourceSpec;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeAndStartTest {
    @TempDir
    Path dir;

    private Path state() {
        return dir.resolve("state");
    }

    @Test
    void tailStartSkipsWhatIsThereAndDeliversWhatComes() throws Exception {
        Path log = dir.resolve("auth.log");
        Sources.appendLines(log, 0, 10);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, null, log)) {
            Sources.appendLines(log, 10, 12); // written after open, before the first poll: new
            assertEquals(Sources.numbered(10, 12), new Collected().pollUntil(source, 2, 5_000).pollFor(source, 100).texts());
        }
    }

    @Test
    void headStartDeliversTheWholeFile() throws Exception {
        Path log = dir.resolve("auth.log");
        Sources.appendLines(log, 0, 10);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, log)) {
            assertEquals(Sources.numbered(0, 10), new Collected().pollUntil(source, 10, 5_000).texts());
        }
    }

    @Test
    void headOrTailAfterTheLogpathEntryOverridesTheDefault() throws Exception {
        Path a = dir.resolve("a.log");
        Path b = dir.resolve("b.log");
        Files.writeString(a, "a0\na1\n");
        Files.writeString(b, "b0\nb1\n");
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, null, a + " head", b + "  tail")) {
            Files.writeString(b, "b2\n", StandardOpenOption.APPEND);
            List<String> got = new Collected().pollUntil(source, 3, 5_000).pollFor(source, 100).texts();
            assertEquals(List.of("a0", "a1", "b2"), got);
        }
    }

    @Test
    void tailStartInsideAPartialLastLineDeliversThatLineWholeOnceItEnds() throws Exception {
        Path log = dir.resolve("auth.log");
        Files.writeString(log, "old\nhalf a li");
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, null, log)) {
            Collected c = new Collected().pollFor(source, 100);
            assertEquals(List.of(), c.texts(), "a partial line is held");
            Files.writeString(log, "ne\n", StandardOpenOption.APPEND);
            assertEquals(List.of("half a line"), c.pollUntil(source, 1, 5_000).texts());
        }
    }

    @Test
    void theFirstPollSavesThePositionsBeforeAnyTrafficIsRead() throws Exception {
        Path log = dir.resolve("auth.log");
        Sources.appendLines(log, 0, 3);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state(), log)) {
            source.poll(new Collected(), 0);
            // handed to the state writer at once, not 5 s later: the save path's one-time work
            // (class loading, the writer thread) is done before lines arrive
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!hasStateFile() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(hasStateFile(), "a position file after the first poll");
        }
    }

    private boolean hasStateFile() throws java.io.IOException {
        if (!Files.exists(state())) {
            return false;
        }
        try (Stream<Path> files = Files.walk(state())) {
            return files.anyMatch(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".state"));
        }
    }

    @Test
    void aSourceClosedBeforeItsFirstPollSavesNothing() throws Exception {
        Path log = dir.resolve("auth.log");
        Sources.appendLines(log, 0, 10);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state(), log)) {
            // opened by a reload that is then refused: never polled
        }
        if (Files.exists(state())) {
            try (Stream<Path> written = Files.walk(state())) {
                assertEquals(List.of(), written.filter(Files::isRegularFile).toList(), "no position file written");
            }
        }

        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            new Collected().pollUntil(source, 10, 5_000); // read to line 10, saved on close
        }
        Sources.appendLines(log, 10, 12);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state(), log)) {
            // opened and closed unread: the saved position stays at line 10
        }
        Sources.appendLines(log, 12, 14);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state(), log)) {
            assertEquals(Sources.numbered(10, 14), new Collected().pollUntil(source, 4, 5_000).pollFor(source, 100).texts());
        }
    }

    @Test
    void aBacklogIsReadInSlicesAndAStopAfterOneResumesAtTheFirstLineNotDelivered() throws Exception {
        Path log = dir.resolve("auth.log");
        int total = 3 * LineReader.MAX_LINES_PER_READ + 123;
        Sources.appendLines(log, 0, total);
        Collected first = new Collected();
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            int n = source.poll(first, 0);
            // one slice per poll: the reader commits it and sees a stop before reading on
            assertTrue(n >= LineReader.MAX_LINES_PER_READ && n < total / 2, "first poll delivered " + n);
            assertEquals(n, first.size());
        } // stopped after one slice: the position is saved at the first line not delivered
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state(), log)) {
            Collected rest = new Collected();
            int polls = 0;
            while (rest.size() < total - first.size() && polls < 100) {
                source.poll(rest, 0);
                polls++;
            }
            assertTrue(polls >= 2, "read in slices: " + polls + " polls");
            List<String> all = new ArrayList<>(first.texts());
            all.addAll(rest.pollFor(source, 100).texts());
            assertEquals(Sources.numbered(0, total), all);
        }
    }

    @Test
    void resumesWhereItStoppedWithoutRepeatingOrLosingALine() throws Exception {
        Path log = dir.resolve("auth.log");
        Sources.appendLines(log, 0, 10);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            new Collected().pollUntil(source, 10, 5_000);
        }
        Sources.appendLines(log, 10, 15); // written while stopped
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state(), log)) {
            assertEquals(Sources.numbered(10, 15), new Collected().pollUntil(source, 5, 5_000).pollFor(source, 100).texts());
        }
    }

    @Test
    void resumesAtTheHeldPartialLine() throws Exception {
        Path log = dir.resolve("auth.log");
        Files.writeString(log, "one\ntw");
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            assertEquals(List.of("one"), new Collected().pollUntil(source, 1, 5_000).pollFor(source, 50).texts());
        }
        Files.writeString(log, "o\nthree\n", StandardOpenOption.APPEND);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            assertEquals(List.of("two", "three"), new Collected().pollUntil(source, 2, 5_000).texts());
        }
    }

    @Test
    void aFileRenamedAwayWhileStoppedIsFinishedFromItsRotatedNameThenTheNewFileReadFromItsStart() throws Exception {
        Path log = dir.resolve("auth.log");
        Sources.appendLines(log, 0, 10);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            new Collected().pollUntil(source, 10, 5_000);
        }
        Sources.appendLines(log, 10, 13);
        Files.move(log, dir.resolve("auth.log.1"));
        Sources.appendLines(log, 13, 17);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state(), log)) {
            assertEquals(Sources.numbered(10, 17), new Collected().pollUntil(source, 7, 5_000).pollFor(source, 100).texts());
            assertEquals(1, source.rotationsSeen());
        }
    }

    @Test
    void aFileCopyTruncatedWhileStoppedIsFinishedFromTheCopy() throws Exception {
        Path log = dir.resolve("auth.log");
        Sources.appendLines(log, 0, 10);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            new Collected().pollUntil(source, 10, 5_000);
        }
        Sources.appendLines(log, 10, 13);
        Files.copy(log, dir.resolve("auth.log-20261123"));
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        Sources.appendLines(log, 13, 30); // longer than before: only the head tells it is another file
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state(), log)) {
            assertEquals(Sources.numbered(10, 30), new Collected().pollUntil(source, 20, 5_000).pollFor(source, 100).texts());
        }
    }

    @Test
    void aFileReplacedWhileStoppedWithNoRotatedCopyIsReadFromItsStart() throws Exception {
        Path log = dir.resolve("auth.log");
        Sources.appendLines(log, 0, 10);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            new Collected().pollUntil(source, 10, 5_000);
        }
        Files.delete(log);
        Files.writeString(log, "fresh 0\nfresh 1\nfresh 2\nfresh 3\nfresh 4\nfresh 5\nfresh 6\nfresh 7\nfresh 8\nfresh 9\nfresh 10\n");
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state(), log)) {
            List<String> got = new Collected().pollUntil(source, 11, 5_000).texts();
            assertEquals(11, got.size());
            assertEquals("fresh 0", got.getFirst());
        }
    }

    @Test
    void checkpointWritesTheStateAtomicallyAndLeavesNoTemporaryFile() throws Exception {
        Path log = dir.resolve("a b%.log"); // a name that needs encoding
        Sources.appendLines(log, 0, 3);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            new Collected().pollUntil(source, 3, 5_000);
            source.checkpoint();
            List<Path> files;
            try (Stream<Path> s = Files.list(state())) {
                files = s.toList();
            }
            assertEquals(List.of(state().resolve("logfile-test-jail.state")), files);
            List<String> lines = Files.readAllLines(files.getFirst(), StandardCharsets.UTF_8);
            assertEquals(ResumeFile.HEADER, lines.get(0));
            assertTrue(lines.get(1).startsWith("21 0 21 "), lines.get(1));
            assertTrue(lines.get(1).endsWith("a+b%25.log"), lines.get(1));
        }
    }

    @Test
    void aCorruptStateFileIsReportedAndTheSpecStartUsed() throws Exception {
        Path log = dir.resolve("auth.log");
        Sources.appendLines(log, 0, 3);
        Files.createDirectories(state());
        Files.writeString(state().resolve("logfile-test-jail.state"), "garbage\n\u0000\u0001");
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            assertEquals(Sources.numbered(0, 3), new Collected().pollUntil(source, 3, 5_000).texts());
        }
        assertFalse(Files.readString(state().resolve("logfile-test-jail.state")).contains("garbage"));
    }

    @Test
    void stateOfSeveralFilesIsKeptPerFile() throws Exception {
        Path a = dir.resolve("a.log");
        Path b = dir.resolve("b.log");
        Sources.appendLines(a, 0, 2);
        Sources.appendLines(b, 100, 103);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), a, b)) {
            new Collected().pollUntil(source, 5, 5_000);
        }
        Sources.appendLines(a, 2, 3);
        Sources.appendLines(b, 103, 104);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), a, b)) {
            List<String> got = new ArrayList<>(new Collected().pollUntil(source, 2, 5_000).pollFor(source, 100).texts());
            got.sort(null);
            assertEquals(List.of("line 103", "line 2"), got);
        }
    }

    @Test
    void generationsRotatedAwayWhileStoppedAreReadOldestFirstAndOlderRotatedFilesAreNot() throws Exception {
        Path log = dir.resolve("auth.log");
        Files.writeString(dir.resolve("auth.log.3"), "from last week\n");
        Files.setLastModifiedTime(dir.resolve("auth.log.3"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L));
        Sources.appendLines(log, 0, 10);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            new Collected().pollUntil(source, 10, 5_000);
        }
        Thread.sleep(30);
        Sources.appendLines(log, 10, 13);
        Files.move(log, dir.resolve("auth.log.1"));
        Sources.appendLines(log, 13, 16);
        Thread.sleep(30);
        Files.move(dir.resolve("auth.log.1"), dir.resolve("auth.log.2"));
        Files.move(log, dir.resolve("auth.log.1"));
        Sources.appendLines(log, 16, 19);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state(), log)) {
            assertEquals(Sources.numbered(10, 19), new Collected().pollUntil(source, 9, 5_000).pollFor(source, 200).texts());
        }
    }

    @Test
    void copyTruncatedTwiceWhileStoppedReadsBothCopiesThenTheFile() throws Exception {
        Path log = dir.resolve("auth.log");
        Sources.appendLines(log, 0, 10);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            new Collected().pollUntil(source, 10, 5_000);
        }
        Thread.sleep(30);
        Sources.appendLines(log, 10, 13);
        Files.copy(log, dir.resolve("auth.log-1"));
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        Sources.appendLines(log, 13, 16);
        Thread.sleep(30);
        Files.copy(log, dir.resolve("auth.log-2"));
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        Sources.appendLines(log, 16, 19);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state(), log)) {
            assertEquals(Sources.numbered(10, 19), new Collected().pollUntil(source, 9, 5_000).pollFor(source, 200).texts());
        }
    }

    @Test
    void aRestartWithoutRotationReadsNoRotatedFileEvenIfOneWasTouchedMeanwhile() throws Exception {
        Path log = dir.resolve("auth.log");
        Files.writeString(dir.resolve("auth.log.1"), "older generation\n");
        Sources.appendLines(log, 0, 5);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, state(), log)) {
            new Collected().pollUntil(source, 5, 5_000);
        }
        Thread.sleep(30);
        Files.writeString(dir.resolve("auth.log.1"), "touched by someone\n", StandardOpenOption.APPEND);
        Sources.appendLines(log, 5, 7);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, state(), log)) {
            assertEquals(Sources.numbered(5, 7), new Collected().pollUntil(source, 2, 5_000).pollFor(source, 200).texts());
        }
    }
}
