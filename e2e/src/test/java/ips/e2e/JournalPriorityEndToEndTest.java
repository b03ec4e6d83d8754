package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Under systemd the daemon's stderr is the journal's stream, named by {@code JOURNAL_STREAM}
 * (its device and inode): each line then starts with its syslog priority ({@code <5>} for a Ban,
 * {@code <4>} for a warning), which the journal reads and strips, so {@code journalctl -p warning}
 * finds our warnings. Here stderr is a file whose device and inode the variable names, as
 * systemd's stream would be; the rest of each line is fail2ban's.
 */
class JournalPriorityEndToEndTest {
    @Test
    void linesCarryTheirPriorityWhenStderrIsTheJournalsStream() throws Exception {
        DaemonInNamespace.assumeRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcprio", "pcprio")) {
            Path auth = daemon.createLog("auth.log");
            Files.writeString(daemon.etc().resolve("jail.conf"), DaemonInNamespace.ALL_PORTS_DEFAULT
                    + DaemonInNamespace.sshdJail("sshd", auth, 3, "1h") + "[nolog]\nenabled = true\nfilter = sshd\n"
                    + "logpath = " + daemon.work().resolve("absent.log") + "\n");
            daemon.writePortcullisConf("");
            Path out = Files.createFile(daemon.out());
            String stream = Files.getAttribute(out, "unix:dev") + ":" + Files.getAttribute(out, "unix:ino");
            daemon.start(Map.of("JOURNAL_STREAM", stream));
            DaemonInNamespace.append(auth, DaemonInNamespace.failedPasswords(4242, "192.0.2.30", 50000, 3));
            assertTrue(daemon.awaitOutput("NOTICE  [sshd] Ban 192.0.2.30", 10_000), daemon.output());
            String text = daemon.output();
            assertTrue(text.lines().anyMatch(l -> l.startsWith("<5>") && l.endsWith("NOTICE  [sshd] Ban 192.0.2.30")), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("<6>") && l.contains("INFO    [sshd] Found 192.0.2.30 - ")), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("<4>") && l.contains("WARNING [nolog] ")), text);
            assertTrue(text.lines().filter(l -> l.contains(" fail2ban.") || l.contains(" portcullis."))
                    .allMatch(l -> l.matches("<[2-7]>\\d{4}-\\d\\d-\\d\\d .*")), text);

            // the same variable with stderr elsewhere (inherited, redirected): no prefixes
            daemon.stop();
            Files.writeString(out, "");
            daemon.start(Map.of("JOURNAL_STREAM", "1:1"));
            assertFalse(daemon.output().startsWith("<"), daemon.output());
            assertTrue(daemon.output().contains("Portcullis started"), daemon.output());
        }
    }
}
