package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's {@code check-config} names each logpath that matches no file, as the linked file
 * source judges it (fail2ban refuses such a jail; Portcullis reads the file once it appears), and
 * says the stock fail2ban.conf settings it does not use in one notice.
 */
class CheckConfigEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void namesTheLogpathsThatMatchNoFileYet() throws IOException {
        Path image = ImageUnderTest.built();
        Path filters = Path.of(System.getProperty("portcullis.filters", "/etc/fail2ban/filter.d"));
        assumeTrue(Files.isRegularFile(filters.resolve("sshd.conf")), "fail2ban's filter.d is not installed");
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.createSymbolicLink(etc.resolve("filter.d"), filters);
        Path present = Files.writeString(dir.resolve("auth.log"), "");
        Files.writeString(etc.resolve("jail.conf"), """
                [DEFAULT]
                banaction = nftables-multiport
                filter = sshd
                port = ssh
                [present]
                enabled = true
                logpath = %s
                [absent]
                enabled = true
                logpath = %s
                          %s
                [journal]
                enabled = true
                backend = systemd
                """.formatted(present, dir.resolve("later.log"), dir.resolve("web/*error.log")));
        Files.writeString(etc.resolve("fail2ban.conf"), "[Definition]\nloglevel = INFO\ndbfile = /var/lib/fail2ban/fail2ban.sqlite3\n"
                + "dbpurgeage = 1d\npidfile = /var/run/fail2ban/fail2ban.pid\n");
        Shell.Result r = Shell.run(60, image.resolve("bin/portcullis").toString(), "check-config", etc.toString());
        assertEquals(0, r.status(), r.out());
        String absent = section(r.out(), "[absent]");
        assertTrue(absent.contains("  missing    " + dir.resolve("later.log") + ": no such file; read once it appears\n"), r.out());
        assertTrue(absent.contains("  missing    " + dir.resolve("web/*error.log") + ": no file matches; read once one appears\n"), r.out());
        String presentJail = section(r.out(), "[present]");
        assertFalse(presentJail.contains("missing"), r.out());
        // the journal jail: judged by the linked journal source, as the daemon judges it at start
        String journalJail = section(r.out(), "[journal]");
        if (!systemJournalFileExists()) {
            assertTrue(journalJail.contains("  missing    system journal: no journal file under /run/log/journal or"
                    + " /var/log/journal (is systemd-journald running?)\n"), r.out());
        } else {
            assertFalse(journalJail.contains("missing"), r.out());
        }
        assertTrue(r.out().contains("  fail2ban.conf: dbfile = /var/lib/fail2ban/fail2ban.sqlite3, dbpurgeage = 1d,"
                + " pidfile = /var/run/fail2ban/fail2ban.pid: not used"), r.out());
    }

    private static boolean systemJournalFileExists() throws IOException {
        for (Path root : new Path[] {Path.of("/run/log/journal"), Path.of("/var/log/journal")}) {
            if (Files.isDirectory(root)) {
                try (var found = Files.find(root, 2, (p, a) -> p.toString().endsWith(".journal"))) {
                    if (found.findAny().isPresent()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A jail's block of check-config's output: from its header to the blank line after it. */
    private static String section(String out, String header) {
        int from = out.indexOf(header + "\n");
        assertTrue(from >= 0, out);
        int to = out.indexOf("\n\n", from);
        return out.substring(from, to < 0 ? out.length() : to + 1);
    }
}
