package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A second {@code portcullis run} on the same configuration (a manual start beside the service)
 * is refused before it touches the firewall or the ledger, and the running daemon keeps its
 * control socket and goes on banning.
 */
class SecondDaemonEndToEndTest {
    @Test
    void aSecondDaemonOnTheSameStateIsRefusedAndTheFirstRunsOn() throws Exception {
        DaemonInNamespace.assumeRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcsecond", "pcsecond")) {
            Path auth = daemon.startWithSshdJail("", null);

            Shell.Result second = Shell.run(60, "ip", "netns", "exec", "pcsecond",
                    daemon.image().resolve("bin/portcullis").toString(), "run", "--config", daemon.etc().toString());
            assertEquals(1, second.status(), second.out());
            assertTrue(second.out().contains("ERROR   another Portcullis runs on state directory " + daemon.work().resolve("state")),
                    second.out());

            // the same state but another socket: still refused, by the state directory's lock
            Path otherEtc = Files.createDirectories(daemon.work().resolve("etc2"));
            Files.writeString(otherEtc.resolve("jail.conf"), Files.readString(daemon.etc().resolve("jail.conf")));
            Files.createSymbolicLink(otherEtc.resolve("filter.d"), daemon.etc().resolve("filter.d").toRealPath());
            Files.writeString(otherEtc.resolve("portcullis.conf"), "[portcullis]\nstatedir = " + daemon.work().resolve("state")
                    + "\nsocket = " + daemon.work().resolve("other.sock") + "\ntable = pcsecond2\n");
            Shell.Result third = Shell.run(60, "ip", "netns", "exec", "pcsecond",
                    daemon.image().resolve("bin/portcullis").toString(), "run", "--config", otherEtc.toString());
            assertEquals(1, third.status(), third.out());

            Shell.Result status = daemon.cli("status", "sshd");
            assertTrue(status.ok() && status.out().contains("Status for the jail: sshd"), "the first still answers: " + status.out());
            DaemonInNamespace.append(auth, DaemonInNamespace.failedPasswords(4242, "192.0.2.30", 50000, 3));
            assertTrue(daemon.awaitOutput("NOTICE  [sshd] Ban 192.0.2.30", 10_000), daemon.output());
        }
    }
}
