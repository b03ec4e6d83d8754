package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * fail2ban.conf's logtarget names a file the daemon cannot write (as Debian's
 * {@code /var/log/fail2ban.log} is for the packaged service's unprivileged user): the daemon
 * starts anyway, says why on stderr, logs there, and bans.
 */
class UnwritableLogTargetEndToEndTest {
    @Test
    void theDaemonStartsLogsToStderrAndBans() throws Exception {
        DaemonInNamespace.assumeRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pclogtgt", "pclogtgt")) {
            Path notADirectory = Files.createFile(daemon.work().resolve("a-file"));
            Path target = notADirectory.resolve("fail2ban.log"); // cannot be created, even by root
            // a jail that reads the daemon's own log, as fail2ban's recidive jail reads /var/log/fail2ban.log
            Path auth = daemon.startWithSshdJail(DaemonInNamespace.sshdJail("watcher", target, 3, "1h"),
                    "[Definition]\nlogtarget = " + target + "\n");
            assertTrue(daemon.output().contains("WARNING logtarget " + target + " cannot be opened for writing ("),
                    daemon.output());
            assertTrue(daemon.output().contains("WARNING jail 'watcher' reads " + target + ", which this daemon cannot write:"
                    + " it will see none of our bans"), daemon.output());
            DaemonInNamespace.append(auth, DaemonInNamespace.failedPasswords(4242, "192.0.2.20", 50000, 3));
            assertTrue(daemon.awaitOutput("NOTICE  [sshd] Ban 192.0.2.20", 10_000), daemon.output());
        }
    }
}
