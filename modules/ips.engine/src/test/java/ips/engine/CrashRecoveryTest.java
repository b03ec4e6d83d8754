package ips.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during a ban flood, many times: after each restart, the one reconcile call holds every
 * ban that was acknowledged before the kill, and no ban twice.
 */
class CrashRecoveryTest {
    private static final int ITERATIONS = 20;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedBanIsRestoredExactlyOnceAfterSigkill() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(null);
        String modulePath = System.getProperty("jdk.module.path");
        Path testClasses = Path.of("target", "test-classes").toAbsolutePath();
        assumeTrue(java != null && modulePath != null && Files.isDirectory(testClasses),
                "needs the java binary, jdk.module.path and target/test-classes (skipped)");
        Path ledger = dir.resolve("bans.ledger");
        Set<String> acknowledged = new HashSet<>();
        SplittableRandom random = new SplittableRandom(2026);
        long totalAcked = 0;
        int[] compactions = {0};
        for (int i = 0; i <= ITERATIONS; i++) {
            boolean last = i == ITERATIONS;
            List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    "--module-path", modulePath, "--patch-module", "ips.engine=" + testClasses,
                    "-m", "ips.engine/ips.engine.CrashFloodChild", ledger.toString(), Integer.toString(i)));
            if (last) {
                cmd.add("restore-only");
            }
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<String> restored = new ArrayList<>();
            List<String> acked = new ArrayList<>();
            boolean[] restoreDone = {false};
            Thread reader = Thread.ofPlatform().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (!line.endsWith(" .")) {
                            continue; // torn by the kill
                        }
                        String body = line.substring(0, line.length() - 2);
                        synchronized (restored) {
                            if (body.startsWith("R ")) {
                                restored.add(body.substring(2));
                            } else if (body.startsWith("RESTORED ")) {
                                restoreDone[0] = true;
                                restored.notifyAll();
                            } else if (body.startsWith("C ")) {
                                compactions[0]++;
                            } else if (body.startsWith("A ")) {
                                acked.add(body.substring(2));
                            }
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the child died
                }
            });
            synchronized (restored) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!restoreDone[0] && System.nanoTime() < deadline && (p.isAlive() || reader.isAlive())) {
                    restored.wait(100);
                }
            }
            assertTrue(restoreDone[0], "child " + i + " did not finish its restore");
            if (!last) {
                Thread.sleep(50 + random.nextInt(650));
                p.destroyForcibly();
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            reader.join(10_000);
            synchronized (restored) {
                Set<String> restoredSet = new HashSet<>(restored);
                assertEquals(restored.size(), restoredSet.size(), "iteration " + i + ": a ban was restored twice");
                for (String a : acknowledged) {
                    assertTrue(restoredSet.contains(a), "iteration " + i + ": acknowledged ban lost: " + a);
                }
                acknowledged.addAll(acked);
                totalAcked += acked.size();
            }
        }
        System.out.println("crash test: " + ITERATIONS + " SIGKILLs, " + totalAcked + " acknowledged bans, all restored once; " + compactions[0]
                + " compactions; ledger " + Files.size(ledger) + " bytes");
        assertTrue(totalAcked > ITERATIONS, "the flood acknowledged only " + totalAcked + " bans");
    }
}
