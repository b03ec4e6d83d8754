package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * fail2ban.conf's logtarget names a file the daemon cannot write (as Debian's
 * {@code /var/log/fail2ban.log} is for the packaged service's unprivileged user): the daemon
 * starts anyway, says why on stderr, logs there, and bans; and fail2ban's recidive jail, which
 * reads that file, reads the daemon's own log lines instead, so a repeat offender is still banned
 * by it; so does a recidive jail on the journal of fail2ban.service.
 */
class UnwritableLogTargetEndToEndTest {
    @Test
    void theDaemonLogsToStderrBansAndRecidiveReadsItsOwnLines() throws Exception {
        DaemonInNamespace.assumeRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pclogtgt", "pclogtgt")) {
            Path notADirectory = Files.createFile(daemon.work().resolve("a-file"));
            Path target = notADirectory.resolve("fail2ban.log"); // cannot be created, even by root
            // fail2ban's recidive jail as jail.conf has it, banning at the first ban elsewhere
            String recidive = """
                    [recidive]
                    enabled = true
                    filter = recidive
                    action = %%(banaction_allports)s
                    logpath = %s
                    maxretry = 1
                    findtime = 1d
                    bantime = 1w
                    ignoreself = false
                    [recidive-journal]
                    enabled = true
                    filter = recidive
                    backend = systemd
                    action = %%(banaction_allports)s
                    maxretry = 1
                    findtime = 1d
                    bantime = 1w
                    ignoreself = false
                    """.formatted(target);
            Path auth = daemon.startWithSshdJail(recidive, "[Definition]\nloglevel = DEBUG\nlogtarget = " + target + "\n");
            assertTrue(daemon.output().contains("WARNING logtarget " + target + " cannot be opened for writing ("),
                    daemon.output());
            assertTrue(daemon.output().contains("INFO    jail 'recidive' reads " + target + ", which this daemon cannot write:"
                    + " it reads this daemon's own log lines instead"), daemon.output());
            assertTrue(daemon.cli("status", "recidive").out().contains("File list:\t" + target), daemon.cli("status", "recidive").out());

            DaemonInNamespace.append(auth, DaemonInNamespace.failedPasswords(4242, "192.0.2.20", 50000, 3));
            assertTrue(daemon.awaitOutput("NOTICE  [sshd] Ban 192.0.2.20", 10_000), daemon.output());
            assertTrue(daemon.awaitOutput("NOTICE  [recidive] Ban 192.0.2.20", 10_000), daemon.output());
            assertTrue(daemon.waitForSet("recidive-v4", "192.0.2.20", 5_000), daemon.set("recidive-v4"));
            // recidive on the journal of fail2ban.service (the filter's journalmatch) reads our lines too
            assertTrue(daemon.output().contains("jail 'recidive-journal' reads the journal of fail2ban.service"), daemon.output());
            assertTrue(daemon.waitForSet("recidive-journal-v4", "192.0.2.20", 5_000), daemon.set("recidive-journal-v4"));

            // across a reload the jail reads on: a ban by hand in sshd reaches recidive
            assertTrue(daemon.cli("reload").ok(), daemon.output());
            assertTrue(daemon.cli("ban", "sshd", "192.0.2.21").ok(), daemon.output());
            assertTrue(daemon.awaitOutput("NOTICE  [recidive] Ban 192.0.2.21", 10_000), daemon.output());
            assertTrue(daemon.waitForSet("recidive-v4", "192.0.2.21", 5_000), daemon.set("recidive-v4"));
            // recidive's own bans are not counted again (the filter leaves out [recidive]), and
            // at loglevel DEBUG it does not feed itself
            DaemonInNamespace.sleep(1_000);
            String text = daemon.output();
            assertEquals(countOf(text, "NOTICE  [sshd] Ban 192.0.2.20") + countOf(text, "NOTICE  [recidive-journal] Ban 192.0.2.20"),
                    countOf(text, "[recidive] Found 192.0.2.20 - "), "one Found per other jail's Ban, none for its own: " + text);
        }
    }

    private static int countOf(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
