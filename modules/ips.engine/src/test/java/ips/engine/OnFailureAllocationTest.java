package ips.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** onFailure allocates nothing when it does not ban, also while the tracker evicts at its ceiling. */
class OnFailureAllocationTest {
    @Test
    void countingFailuresAllocatesNothingEvenAtTheCeiling() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(null);
        String modulePath = System.getProperty("jdk.module.path");
        Path testClasses = Path.of("target", "test-classes").toAbsolutePath();
        assumeTrue(java != null && modulePath != null && Files.isDirectory(testClasses),
                "needs the java binary, jdk.module.path and target/test-classes (skipped)");
        Process p = new ProcessBuilder(List.of(java, "-XX:-UseTLAB", "-XX:+UseSerialGC", "-Xmn256m", "-Xmx512m",
                "--module-path", modulePath, "--patch-module", "ips.engine=" + testClasses,
                "-m", "ips.engine/ips.engine.AllocationProbeChild")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.lines().filter(l -> l.startsWith("ALLOCATED ")).toArray(String[]::new);
        assertEquals(3, lines.length, out);
        // the first round warms up (class loading, JIT); the later ones must allocate nothing
        for (int i = 1; i < 3; i++) {
            String[] f = lines[i].split(" ");
            long bytes = Long.parseLong(f[1]);
            assertTrue(Long.parseLong(f[2]) > 0, "the tracker should be evicting: " + lines[i]);
            assertTrue(bytes < 64 * 1024, "1,000,000 failures allocated " + bytes + " bytes: " + out);
        }
    }
}
