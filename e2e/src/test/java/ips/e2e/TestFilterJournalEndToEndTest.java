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

    /**
     * The same journal read by the real fail2ban-regex (python3-systemd): the same text, line for
     * line but for the time taken, in every mode: the filter set up for the journal ({@code
     * logtype = journal}: common.conf's short prefix), each entry listed as fail2ban writes it (its
     * time in the host's zone to the microsecond, then the line), {@code -o} values with that time,
     * and a date template list only when the filter names a datepattern.
     */
    @Test
    void readsAJournalAsFail2banRegexDoes() throws Exception {
        Path image = ImageUnderTest.built();
        assumeTrue(Files.isExecutable(JOURNAL_REMOTE), "needs systemd-journal-remote");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/fail2ban-regex"))
                && Shell.run(30, "/usr/bin/python3", "-c", "import systemd.journal").status() == 0,
                "needs fail2ban-regex and python3-systemd");
        long t = 1_733_470_000_123_456L; // microseconds, as the journal keeps them
        String nginx = "2024/12/06 07:26:45 [error] 816#816: *1 user \"admin\" was not found in \"/etc/nginx/.htpasswd\","
                + " client: 192.0.2.31, server: example.com, request: \"GET /admin HTTP/1.1\", host: \"example.com\"";
        Path export = Files.writeString(dir.resolve("entries.export"),
                entry(t, "ssh.service", "sshd", 7, "Failed password for bob from 192.0.2.1 port 22 ssh2")
                + entry(t + 1, "ssh.service", "sshd", 7, "Failed password for bob from 192.0.2.1 port 22 ssh2")
                + entry(t + 877_544, "cron.service", "CRON", 8, "Failed password for eve from 192.0.2.66 port 22 ssh2")
                + entry(t + 1_000_000, "ssh.service", "sshd", 9, "Invalid user x from 2001:db8::1 port 22")
                + entry(t + 2_000_123, "ssh.service", "sshd", 10, "Accepted publickey for amy from 192.0.2.2 port 22 ssh2")
                + entry(t + 3_000_000, "ssh.service", "sshd", 11,
                        "Connection closed by authenticating user root 192.0.2.9 port 50009 [preauth]")
                + entry(t + 4_000_000, "ssh.service", "sshd", 12, "Received disconnect from 192.0.2.10 port 5: 3:"
                        + " com.jcraft.jsch.JSchException: Auth fail [preauth]")
                + entry(t + 5_000_000, "nginx.service", "nginx", 14, nginx)
                + entry(t + 6_000_000, "ssh.service", "sshd", 15, "Something unrelated happened"));
        Path journal = dir.resolve("cmp.journal");
        Shell.Result made = Shell.run(60, JOURNAL_REMOTE.toString(), "-o", journal.toString(), export.toString());
        assertEquals(0, made.status(), made.out());
        String log = "systemd-journal[journalfiles=" + journal + "]";
        for (String filter : new String[] {"sshd", "sshd[mode=aggressive]", "nginx-http-auth"}) {
            for (String[] options : new String[][] {{}, {"-v"}, {"-o", "ip"}, {"-o", "msg"}, {"-o", "row"},
                    {"-m", "_HOSTNAME=web1"}, {"-v", "--VD"}, {"--print-all-matched"}, {"--print-all-missed"}}) {
                java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(options));
                args.addAll(java.util.List.of(log, filter));
                java.util.List<String> theirs = new java.util.ArrayList<>(java.util.List.of("/usr/bin/fail2ban-regex"));
                theirs.addAll(args);
                java.util.List<String> ours = new java.util.ArrayList<>(
                        java.util.List.of(image.resolve("bin/portcullis").toString(), "test-filter"));
                ours.addAll(args);
                Shell.Result a = Shell.run(60, theirs.toArray(new String[0]));
                Shell.Result b = Shell.run(60, ours.toArray(new String[0]));
                assertEquals(0, b.status(), b.out());
                assertEquals(withoutTime(a.out()), withoutTime(b.out()), String.join(" ", args));
            }
        }
    }

    private static String withoutTime(String out) {
        return out.replaceAll("(?m)^\\[processed in [0-9.]+ sec\\]\n", "");
    }
}
