package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The daemon's own log file (fail2ban's {@code logtarget}) across logrotate's rename-and-create:
 * the "Ban" lines a {@code recidive} jail reads go on into the new file, without a restart or a
 * {@code flushlogs}, and {@code portcullis flushlogs} reopens it on demand as fail2ban-client's does.
 */
class LogRotationEndToEndTest {
    private static boolean waitFor(Path file, String text, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return true;
            }
            DaemonInNamespace.sleep(50);
        }
        return false;
    }

    @Test
    void banLinesGoOnIntoTheNewFileAfterRotation() throws Exception {
        DaemonInNamespace.assumeRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcrotate", "pcrotate")) {
            Path target = daemon.work().resolve("fail2ban.log");
            Path auth = daemon.startWithSshdJail("", "[Definition]\nlogtarget = " + target + "\n");
            DaemonInNamespace.append(auth, DaemonInNamespace.failedPasswords(4242, "192.0.2.10", 50000, 3));
            assertTrue(waitFor(target, "Ban 192.0.2.10", 10_000), "first ban in " + target);

            Path rotated = daemon.work().resolve("fail2ban.log.1");
            Files.move(target, rotated);
            Files.createFile(target);
            DaemonInNamespace.sleep(1500); // the daemon looks once a second
            DaemonInNamespace.append(auth, DaemonInNamespace.failedPasswords(4243, "192.0.2.11", 51000, 3));
            assertTrue(waitFor(target, "Ban 192.0.2.11", 10_000), "the ban after rotation is in the new file: "
                    + Files.readString(target) + "\nold file:\n" + Files.readString(rotated));
            assertFalse(Files.readString(rotated).contains("192.0.2.11"), "not in the rotated file");

            Shell.Result flush = daemon.cli("flushlogs");
            assertTrue(flush.ok() && flush.out().contains("rollover performed"), flush.out());
        }
    }
}
