package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's {@code test-filter systemd-journal[journalfiles=FILE] sshd}, as fail2ban-regex reads
 * the journal: a real journal file (written by systemd-journal-remote from the export format),
 * read through libsystemd with the filter's journalmatch, each entry as fail2ban formats it.
 */
class TestFilterJournalEndToEndTest {
    private static final Path JOURNAL_REMOTE = Path.of("/lib/systemd/systemd-journal-remote");

    @TempDir
    Path dir;

    private static String entry(long micros, String unit, String comm, int pid, String message) {
        return "__REALTIME_TIMESTAMP=" + micros + "\n__MONOTONIC_TIMESTAMP=" + micros / 10
                + "\n_BOOT_ID=5f1c0d4a2b3e4f60718293a4b5c6d7e8\n_HOSTNAME=web1\n_SYSTEMD_UNIT=" + unit
                + "\nSYSLOG_IDENTIFIER=" + comm + "\n_COMM=" + comm + "\n_PID=" + pid + "\nPRIORITY=6\nMESSAGE=" + message + "\n\n";
    }

    @Test
    void readsAJournalFileThroughTheFiltersJournalmatch() throws IOException {
        Path image = ImageUnderTest.built();
        assumeTrue(Files.isRegularFile(Path.of("/etc/fail2ban/filter.d/sshd.conf")), "fail2ban's filter.d is not installed");
        assumeTrue(Files.isExecutable(JOURNAL_REMOTE), "needs systemd-journal-remote");
        long t = 1_733_470_000_000_000L;
        Path export = Files.writeString(dir.resolve("entries.export"),
                entry(t, "ssh.service", "sshd", 7, "Failed password for bob from 192.0.2.1 port 22 ssh2")
                + entry(t + 1000, "cron.service", "CRON", 8, "Failed password for eve from 192.0.2.66 port 22 ssh2")
                + entry(t + 2000, "ssh.service", "sshd", 9, "Invalid user x from 2001:db8::1 port 22")
                + entry(t + 3000, "ssh.service", "sshd", 10, "Accepted publickey for amy from 192.0.2.2 port 22 ssh2"));
        Path journal = dir.resolve("test.journal");
        Shell.Result made = Shell.run(60, JOURNAL_REMOTE.toString(), "-o", journal.toString(), export.toString());
        assertEquals(0, made.status(), made.out());
        String log = "systemd-journal[journalfiles=" + journal + "]";

        Shell.Result ip = Shell.run(60, image.resolve("bin/portcullis").toString(), "test-filter", "-o", "ip", log, "sshd");
        assertEquals(0, ip.status(), ip.out());
        // the CRON entry is not sshd's: the filter's journalmatch (_COMM=sshd) leaves it out
        assertEquals("192.0.2.1\n2001:db8::1\n", ip.out());

        Shell.Result summary = Shell.run(60, image.resolve("bin/portcullis").toString(), "test-filter", log, "sshd");
        assertEquals(0, summary.status(), summary.out());
        assertTrue(summary.out().contains("Use         systemd journal\n"), summary.out());
        assertTrue(summary.out().contains("Use    journal match : _SYSTEMD_UNIT=sshd.service + _COMM=sshd\n"), summary.out());
        assertTrue(summary.out().contains("Lines: 3 lines, 1 ignored, 2 matched, 0 missed"), summary.out());
        assertTrue(summary.out().contains("\nPrefregex: 3 total\n"), summary.out());

        // -m overrides the filter's journalmatch: the CRON entry is read too (and missed: not sshd's prefix)
        Shell.Result all = Shell.run(60, image.resolve("bin/portcullis").toString(), "test-filter", "-m", "_HOSTNAME=web1",
                log, "sshd");
        assertTrue(all.out().contains("Use    journal match : _HOSTNAME=web1\n"), all.out());
        assertTrue(all.out().contains("Lines: 4 lines, 1 ignored, 2 matched, 1 missed"), all.out());
    }
}
