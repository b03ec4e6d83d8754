package ips.logfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.LogLine;
import ips.api.LogSourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobTest {
    @TempDir
    Path dir;

    @Test
    void followsEveryFileAGlobMatchesAndNamesEachLineByItsFile() throws Exception {
        Files.writeString(dir.resolve("a.log"), "a\n");
        Files.writeString(dir.resolve("b.log"), "b\n");
        Files.writeString(dir.resolve("c.txt"), "c\n");
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, dir.resolve("*.log"))) {
            Collected c = new Collected().pollUntil(source, 2, 5_000).pollFor(source, 100);
            assertEquals(Set.of(dir.resolve("a.log") + ":a", dir.resolve("b.log") + ":b"),
                    c.lines.stream().map(l -> l.source() + ":" + l.text()).collect(Collectors.toSet()));
            assertEquals(List.of(dir.resolve("a.log"), dir.resolve("b.log")), source.files());
        }
    }

    @Test
    void aFileThatAppearsLaterIsFollowedFromItsFirstLineWithoutWaitingForTheRescan() throws Exception {
        Files.writeString(dir.resolve("a.log"), "old\n");
        try (FileLogSource source = new FileLogSource(new LogSourceSpec("j", List.of(dir.resolve("*.log").toString()),
                List.of(), LogSourceSpec.Start.TAIL, null), new TailContext.Timing(300_000_000L, 60_000_000_000L, 60_000_000_000L))) {
            Collected c = new Collected().pollFor(source, 50);
            Files.writeString(dir.resolve("new.log"), "first\nsecond\n");
            long t0 = System.nanoTime();
            c.pollUntil(source, 2, 5_000);
            assertEquals(List.of("first", "second"), c.texts());
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "picked up through the directory event");
        }
    }

    @Test
    void aGlobOverDirectoriesPicksUpADirectoryCreatedLater() throws Exception {
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, dir.resolve("*/access.log"))) {
            Collected c = new Collected().pollFor(source, 50);
            Files.createDirectory(dir.resolve("site1"));
            Files.writeString(dir.resolve("site1/access.log"), "hit 1\n");
            Files.writeString(dir.resolve("site1/error.log"), "not matched\n");
            c.pollUntil(source, 1, 5_000);
            assertEquals(List.of("hit 1"), c.texts());
            Files.writeString(dir.resolve("site1/access.log"), "hit 2\n", java.nio.file.StandardOpenOption.APPEND);
            assertEquals(List.of("hit 1", "hit 2"), c.pollUntil(source, 2, 5_000).texts());
        }
    }

    @Test
    void aMissingPlainPathIsFollowedOnceItIsCreated() throws Exception {
        Path log = dir.resolve("later.log");
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, null, log)) {
            Collected c = new Collected().pollFor(source, 50);
            Files.writeString(log, "one\ntwo\n");
            assertEquals(List.of("one", "two"), c.pollUntil(source, 2, 5_000).texts());
            assertEquals(0, source.readErrors());
        }
    }

    @Test
    void whatTheSourceCannotFollowYetIsNamedUntilItAppears() throws Exception {
        Path later = dir.resolve("later.log");
        Files.writeString(dir.resolve("a.log"), "a\n");
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.TAIL, null, later, dir.resolve("*.err"),
                dir.resolve("a.log"))) {
            assertEquals(List.of(later + ": no such file; read once it appears",
                    dir.resolve("*.err") + ": no file matches; read once one appears"),
                    source.notFollowed());
            Collected c = new Collected().pollFor(source, 50);
            Files.writeString(later, "one\n");
            Files.writeString(dir.resolve("x.err"), "two\n");
            c.pollUntil(source, 2, 5_000);
            assertEquals(List.of(), source.notFollowed());
        }
    }

    @Test
    void bracesAreLiteralAsInPythonGlob() throws Exception {
        Files.writeString(dir.resolve("{a,b}.log"), "literal\n");
        Files.writeString(dir.resolve("a.log"), "not this\n");
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, dir.resolve("{a,b}*.log"))) {
            assertEquals(List.of("literal"), new Collected().pollUntil(source, 1, 5_000).pollFor(source, 100).texts());
        }
    }

    @Test
    void aRotatedFileMatchedByTheGlobIsNotAlsoReadAsACopy() throws Exception {
        Path log = dir.resolve("app.log");
        Sources.appendLines(log, 0, 3);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, dir.resolve("app.log*"))) {
            Collected c = new Collected().pollUntil(source, 3, 5_000);
            Files.copy(log, dir.resolve("app.log.1"));
            try (var ch = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            Sources.appendLines(log, 3, 5);
            c.pollFor(source, 500);
            long fromLog = c.lines.stream().map(LogLine::source).filter(s -> s.equals(log.toString())).count();
            assertEquals(5, fromLog, c.lines.toString());
        }
    }

    @Test
    void aFileRenamedToANameTheGlobAlsoMatchesIsReadOnFromWhereItStoodNotAgain() throws Exception {
        Path log = dir.resolve("app.log");
        Sources.appendLines(log, 0, 10);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, dir.resolve("app.log*"))) {
            Collected c = new Collected().pollUntil(source, 10, 5_000);
            Sources.appendLines(log, 10, 12); // not read yet when the file is renamed
            Files.move(log, dir.resolve("app.log.1"));
            Sources.appendLines(dir.resolve("app.log.1"), 12, 14); // the writer has not reopened yet
            Sources.appendLines(log, 14, 16);
            c.pollUntil(source, 16, 5_000).pollFor(source, 500);
            List<String> texts = new java.util.ArrayList<>(c.texts());
            texts.sort(java.util.Comparator.comparingInt(t -> Integer.parseInt(t.substring(5))));
            assertEquals(Sources.numbered(0, 16), texts);
            assertEquals(Set.of(log, dir.resolve("app.log.1")), Set.copyOf(source.files()));
        }
    }
}
