package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's {@code test-filter} runs on the AOT cache trained for it ({@code lib/test-filter.aot},
 * {@code jlink/train-test-filter.sh}), not on the daemon's: read back from the running JVM's own
 * memory map while it reads a log.
 */
class TestFilterCacheEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void testFilterMapsItsOwnCache() throws Exception {
        Path image = ImageUnderTest.built();
        assumeTrue(Files.isReadable(Path.of("/etc/fail2ban/filter.d/sshd.conf")),
                "fail2ban's filters were not there to train test-filter's cache");
        assertTrue(Files.isRegularFile(image.resolve("lib/test-filter.aot")), "the build trained test-filter's cache");

        // a log long enough (~0.5 s of work) to read the running JVM's memory map
        Path log = dir.resolve("auth.log");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 300_000; i++) {
            lines.append("Nov 23 00:00:00 web01 sshd[").append(i).append("]: Failed password for root from 192.0.2.")
                    .append(i % 250 + 1).append(" port 22 ssh2\n");
        }
        Files.writeString(log, lines, StandardCharsets.US_ASCII);
        Process p = new ProcessBuilder(image.resolve("bin/portcullis").toString(), "test-filter", log.toString(), "sshd")
                .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        p.getOutputStream().close();
        try {
            String cache = mappedCache(p);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "test-filter did not end");
            String out = Files.readString(dir.resolve("out"));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("Lines: 300000 lines, 0 ignored, 300000 matched, 0 missed"), out);
            assertTrue(cache.endsWith("/lib/test-filter.aot"), "mapped: " + cache);
        } finally {
            p.destroyForcibly();
        }
    }

    /** The AOT cache file the process maps once its JVM runs (the launcher execs it), or "none". */
    private static String mappedCache(Process p) throws InterruptedException {
        Path maps = Path.of("/proc/" + p.pid() + "/maps");
        while (p.isAlive()) {
            try {
                for (String line : Files.readAllLines(maps)) {
                    int at = line.indexOf('/');
                    if (at >= 0 && line.endsWith(".aot")) {
                        return line.substring(at);
                    }
                }
            } catch (IOException gone) {
                break;
            }
            Thread.sleep(2);
        }
        return "none (the process ended before its map was read)";
    }
}
