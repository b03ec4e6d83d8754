package ips.logfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.LogSourceSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source the kernel gives no inotify instance (fs.inotify.max_user_instances reached: one per
 * file jail) still reads its files, by looking at them every {@link DirectoryWatch#POLL_MILLIS} ms,
 * follows a file that appears later, and stops waiting when asked.
 */
class PollingFallbackTest {
    @TempDir
    Path dir;

    private FileLogSource withoutInotify(LogSourceSpec.Start start, Path... files) throws IOException {
        List<String> paths = java.util.Arrays.stream(files).map(Path::toString).toList();
        return new FileLogSource(new LogSourceSpec("polled", paths, List.of(), start, null), Sources.FAST,
                () -> {
                    throw new IOException("User limit of inotify instances reached or too many open files");
                });
    }

    @Test
    void aSourceWithoutAWatchReadsItsFilesByPolling() throws Exception {
        Path log = dir.resolve("auth.log");
        Sources.appendLines(log, 0, 2);
        try (FileLogSource source = withoutInotify(LogSourceSpec.Start.HEAD, log, dir.resolve("later.log"))) {
            assertEquals(Sources.numbered(0, 2), new Collected().pollUntil(source, 2, 5_000).texts());
            Sources.appendLines(log, 2, 5);
            long t0 = System.nanoTime();
            assertEquals(Sources.numbered(2, 5), new Collected().pollUntil(source, 3, 5_000).texts());
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "read within a few polls");
            Sources.appendLines(dir.resolve("later.log"), 10, 12);
            assertEquals(Sources.numbered(10, 12), new Collected().pollUntil(source, 2, 5_000).texts(),
                    "a file that appears later is followed");
        }
    }

    @Test
    void stopWaitingEndsAPollingWait() throws Exception {
        Path log = dir.resolve("quiet.log");
        Sources.appendLines(log, 0, 1);
        try (FileLogSource source = withoutInotify(LogSourceSpec.Start.TAIL, log)) {
            Thread stopper = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                source.stopWaiting();
            });
            long t0 = System.nanoTime();
            source.poll(line -> { }, 10_000);
            stopper.join();
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the wait ended when asked");
        }
    }
}
