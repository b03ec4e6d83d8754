package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A stopped daemon leaves its bans in the kernel (a restart loses none); {@code portcullis
 * remove-firewall} takes its table out for good, for a host that stops using Portcullis, and is
 * refused while the daemon runs. Read back with nft in a scratch namespace.
 */
class RemoveFirewallEndToEndTest {
    @Test
    void aStoppedDaemonsTableAndBansAreRemovedAndARunningOnesAreNot() throws Exception {
        DaemonInNamespace.assumeRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcrmfw", "pcrmfw")) {
            Path auth = daemon.startWithSshdJail("", null);
            DaemonInNamespace.append(auth, DaemonInNamespace.failedPasswords(4242, "192.0.2.40", 50000, 3));
            assertTrue(daemon.waitForSet("sshd-v4", "192.0.2.40", 5_000), daemon.set("sshd-v4"));

            Shell.Result refused = removeFirewall(daemon);
            assertEquals(1, refused.status(), refused.out());
            assertTrue(refused.out().contains("stop it first"), refused.out());
            assertTrue(daemon.set("sshd-v4").contains("\"192.0.2.40\""), "nothing removed while it runs");

            daemon.stop();
            assertTrue(daemon.set("sshd-v4").contains("\"192.0.2.40\""), "a stopped daemon's bans stay in the kernel");
            Shell.Result removed = removeFirewall(daemon);
            assertEquals(0, removed.status(), removed.out());
            assertTrue(removed.out().contains("nftables: removed table inet pcrmfw, with every ban in it"), removed.out());
            assertFalse(daemon.inNamespace("nft", "list", "tables").out().contains("pcrmfw"), "the table is gone");

            Shell.Result again = removeFirewall(daemon);
            assertEquals(0, again.status(), again.out());
            assertTrue(again.out().contains("nothing to remove"), again.out());
        }
    }

    private static Shell.Result removeFirewall(DaemonInNamespace daemon) {
        return daemon.inNamespace(daemon.image().resolve("bin/portcullis").toString(), "remove-firewall", "--config",
                daemon.etc().toString());
    }
}
