package ips.logfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.LogSourceSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostileInputTest {
    @TempDir
    Path dir;

    @Test
    void aFileThatGrowsByAGibibyteWithoutNewlineIsReadInBoundedMemoryAsOneCutLine() throws Exception {
        Path log = dir.resolve("huge.log");
        Files.createFile(log);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, log)) {
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
                f.setLength(1L << 30); // sparse: a gibibyte of NUL bytes, no newline
                f.seek(1L << 30);
                f.write("\nafter the flood\n".getBytes());
            }
            Runtime rt = Runtime.getRuntime();
            Collected c = new Collected().pollUntil(source, 2, 60_000);
            assertEquals(2, c.size());
            assertEquals(LineReader.MAX_LINE_BYTES, c.lines.get(0).text().length());
            assertEquals("after the flood", c.lines.get(1).text());
            assertEquals(1, source.longLinesCut());
            assertTrue(rt.totalMemory() - rt.freeMemory() < 512L << 20, "heap stayed far below the file's size");
        }
    }

    @Test
    void aLogpathThatIsADirectoryIsReportedOnceAndReadWhenItBecomesAFile() throws Exception {
        // chmod 000 does not stop root; a directory cannot be read by anyone (EISDIR)
        Path log = dir.resolve("app.log");
        Files.createDirectory(log);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, log)) {
            new Collected().pollFor(source, 400);
            assertEquals(1, source.readErrors(), "reported once, however often it is retried");
            assertEquals(List.of(), source.files());
            Files.delete(log);
            Sources.appendLines(log, 0, 3);
            Collected c = new Collected().pollUntil(source, 3, 5_000);
            assertEquals(Sources.numbered(0, 3), c.texts());
            assertEquals(1, source.readErrors());
        }
    }

    @Test
    void aFifoIsNeverOpenedSoPollingNeverBlocksOnIt() throws Exception {
        Path fifo = dir.resolve("fifo.log");
        Path plain = dir.resolve("plain.log");
        assumeTrue(mkfifo(fifo), "mkfifo not available");
        Files.createFile(plain);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, fifo, plain)) {
            Sources.appendLines(plain, 0, 2);
            Collected c = new Collected().pollUntil(source, 2, 5_000);
            assertEquals(Sources.numbered(0, 2), c.texts());
            assertEquals(1, source.readErrors());
        }
    }

    @Test
    void aFileWithoutReadPermissionIsReportedOnceAndReadOnceAllowed() throws Exception {
        Path log = dir.resolve("secret.log");
        Sources.appendLines(log, 0, 2);
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(log), "mode 000 does not stop root (CAP_DAC_OVERRIDE): see aLogpathThatIsADirectory…");
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, log)) {
            new Collected().pollFor(source, 300);
            assertEquals(1, source.readErrors());
            Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-------"));
            assertEquals(Sources.numbered(0, 2), new Collected().pollUntil(source, 2, 5_000).texts());
        }
    }

    @Test
    void aDanglingSymlinkIsWaitedForNotReportedAndFollowedOnceItsTargetAppears() throws Exception {
        Path target = dir.resolve("real.log");
        Path link = dir.resolve("link.log");
        Files.createSymbolicLink(link, target);
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, link)) {
            new Collected().pollFor(source, 200);
            Sources.appendLines(target, 0, 2);
            assertEquals(Sources.numbered(0, 2), new Collected().pollUntil(source, 2, 5_000).texts());
            assertEquals(0, source.readErrors());
        }
    }

    /** Tests may spawn processes; production code never does. */
    private static boolean mkfifo(Path p) {
        try {
            return new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
