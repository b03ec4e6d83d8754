package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A jail on a central log host: {@code backend = systemd[journalpath=DIR]}, DIR being where
 * systemd-journal-remote writes the journals it receives. The image reads the journal files there
 * (not the host's own journal), picks up a file that appears after the start, and bans in the
 * kernel from its entries.
 */
class JournalRemoteEndToEndTest {
    private static final Path JOURNAL_REMOTE = Path.of("/lib/systemd/systemd-journal-remote");

    private static String entry(long micros, String host, String comm, int pid, String message) {
        return "__REALTIME_TIMESTAMP=" + micros + "\n__MONOTONIC_TIMESTAMP=" + micros / 10
                + "\n_BOOT_ID=5f1c0d4a2b3e4f60718293a4b5c6d7e8\n_HOSTNAME=" + host + "\n_SYSTEMD_UNIT=ssh.service"
                + "\nSYSLOG_IDENTIFIER=" + comm + "\n_COMM=" + comm + "\n_PID=" + pid + "\nPRIORITY=6\nMESSAGE=" + message + "\n\n";
    }

    /** Writes {@code entries} (export format) as the journal file {@code journal}, as journal-remote does. */
    private static void journal(Path dir, Path journal, String entries) throws IOException {
        Path export = Files.writeString(dir.resolve(journal.getFileName() + ".export"), entries);
        Shell.Result made = Shell.run(60, JOURNAL_REMOTE.toString(), "-o", journal.toString(), export.toString());
        assertEquals(0, made.status(), made.out());
    }

    @Test
    void aJailOnJournalRemotesDirectoryBansFromTheJournalsWrittenThere() throws Exception {
        DaemonInNamespace.assumeRunnable();
        assumeTrue(Files.isExecutable(JOURNAL_REMOTE), "needs systemd-journal-remote");
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcjremote", "pcjremote")) {
            Path remote = Files.createDirectories(daemon.work().resolve("remote"));
            Path scratch = Files.createDirectories(daemon.work().resolve("export"));
            long now = System.currentTimeMillis() * 1000;
            // the directory holds one host's journal when the daemon starts
            journal(scratch, remote.resolve("remote-web1.journal"),
                    entry(now, "web1", "sshd", 7, "Accepted publickey for amy from 192.0.2.2 port 22 ssh2"));
            daemon.writePortcullisConf("");
            Files.writeString(daemon.etc().resolve("jail.conf"), DaemonInNamespace.ALL_PORTS_DEFAULT + """
                    [sshd]
                    enabled = true
                    filter = sshd
                    backend = systemd[journalpath=%s]
                    action = %%(banaction_allports)s
                    maxretry = 3
                    findtime = 10m
                    bantime = 1h
                    ignoreself = false
                    usedns = no
                    """.formatted(remote));
            daemon.start();
            Shell.Result status = daemon.cli("status", "sshd");
            assertTrue(status.out().contains("Journal matches:"), status.out());

            // a second host's journal appears in the directory: three failures from one address
            now = System.currentTimeMillis() * 1000;
            StringBuilder failures = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                failures.append(entry(now + i, "web2", "sshd", 20 + i,
                        "Failed password for root from 192.0.2.20 port " + (40000 + i) + " ssh2"));
            }
            journal(scratch, remote.resolve("remote-web2.journal"), failures.toString());
            assertTrue(daemon.waitForSet("sshd-v4", "192.0.2.20", true, 15_000),
                    "192.0.2.20 not banned from the journal in " + remote + ": " + daemon.set("sshd-v4") + "\n" + daemon.output());
            assertFalse(daemon.set("sshd-v4").contains("192.0.2.2\""), "the accepted login is no failure");
        }
    }
}
