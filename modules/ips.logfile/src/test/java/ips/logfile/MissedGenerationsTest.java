package ips.logfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ips.api.LogSourceSpec;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several rotations between two polls: every generation is read, oldest first. */
class MissedGenerationsTest {
    @TempDir
    Path dir;

    @Test
    void readsAGenerationCreatedAndRenamedAwayBetweenTwoPolls() throws Exception {
        Path log = dir.resolve("app.log");
        Sources.appendLines(log, 0, 3);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, log)) {
            Collected c = new Collected().pollUntil(source, 3, 5_000);
            Sources.appendLines(log, 3, 5);
            Files.move(log, dir.resolve("app.log.1"));
            Sources.appendLines(log, 5, 9);
            Thread.sleep(20);
            Files.move(dir.resolve("app.log.1"), dir.resolve("app.log.2"));
            Files.move(log, dir.resolve("app.log.1"));
            Sources.appendLines(log, 9, 12);
            c.pollUntil(source, 12, 5_000);
            assertEquals(Sources.numbered(0, 12), c.texts());
        }
    }

    @Test
    void readsACopyTruncatedGenerationThatWasCopiedAndTruncatedAgainBetweenTwoPolls() throws Exception {
        Path log = dir.resolve("app.log");
        Sources.appendLines(log, 0, 3);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, log)) {
            Collected c = new Collected().pollUntil(source, 3, 5_000);
            Sources.appendLines(log, 3, 5);
            copyTruncate(log, dir.resolve("app.log-1"));
            Sources.appendLines(log, 5, 9);
            Thread.sleep(20);
            copyTruncate(log, dir.resolve("app.log-2"));
            Sources.appendLines(log, 9, 12);
            c.pollUntil(source, 12, 5_000);
            assertEquals(Sources.numbered(0, 12), c.texts());
        }
    }

    @Test
    void doesNotReadRotatedFilesThatWereThereBeforeItStarted() throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(dir.resolve("app.log.1"), "old 1\n");
        Files.writeString(dir.resolve("app.log.2"), "old 2\n");
        Sources.appendLines(log, 0, 2);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, log)) {
            Collected c = new Collected().pollUntil(source, 2, 5_000);
            Files.move(dir.resolve("app.log.2"), dir.resolve("app.log.3"));
            Files.move(dir.resolve("app.log.1"), dir.resolve("app.log.2"));
            Files.move(log, dir.resolve("app.log.1"));
            Sources.appendLines(log, 2, 4);
            c.pollUntil(source, 4, 5_000).pollFor(source, 200);
            assertEquals(Sources.numbered(0, 4), c.texts());
        }
    }

    private static void copyTruncate(Path log, Path copy) throws Exception {
        Files.copy(log, copy);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

}
