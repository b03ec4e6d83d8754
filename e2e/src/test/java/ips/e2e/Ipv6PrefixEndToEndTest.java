package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code ipv6mask = 64}: an IPv6 attacker that moves through the addresses of its /64 (as any host
 * given a /64 can) is counted and banned as one, and the kernel drops every address of that /64,
 * including ones it never used, while a jail on the same log without the mask, counting per
 * address as fail2ban does, never reaches maxretry. Packets go over a veth pair between two
 * scratch namespaces; the set is read back with nft.
 */
class Ipv6PrefixEndToEndTest {
    private static final String SERVER = "pcv6-srv";
    private static final String CLIENT = "pcv6-cli";

    @Test
    void anAttackerMovingThroughItsSlash64IsCountedAndBannedAsOne() throws Exception {
        DaemonInNamespace.assumeRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace(SERVER, "pcv6")) {
            daemon.addNamespace(CLIENT);
            Shell.must("ip", "-n", SERVER, "link", "add", "veth-s", "type", "veth", "peer", "name", "veth-c", "netns", CLIENT);
            // two /64s on one link: the attacker's and a bystander's; nodad: usable at once
            Shell.must("ip", "-n", SERVER, "addr", "add", "fd42:1::1/64", "dev", "veth-s", "nodad");
            Shell.must("ip", "-n", SERVER, "addr", "add", "fd42:2::1/64", "dev", "veth-s", "nodad");
            for (String a : new String[] {"fd42:1::a", "fd42:1::b", "fd42:1::c", "fd42:1::d"}) {
                Shell.must("ip", "-n", CLIENT, "addr", "add", a + "/64", "dev", "veth-c", "nodad");
            }
            Shell.must("ip", "-n", CLIENT, "addr", "add", "fd42:2::b/64", "dev", "veth-c", "nodad");
            Shell.must("ip", "-n", SERVER, "link", "set", "veth-s", "up");
            Shell.must("ip", "-n", CLIENT, "link", "set", "veth-c", "up");

            Path auth = daemon.createLog("auth.log");
            Files.writeString(daemon.etc().resolve("jail.conf"), DaemonInNamespace.ALL_PORTS_DEFAULT
                    + DaemonInNamespace.sshdJail("sshd", auth, 3, "1h") + "ipv6mask = 64\n"
                    + DaemonInNamespace.sshdJail("per-address", auth, 3, "1h"));
            daemon.writePortcullisConf("");
            daemon.start();
            assertTrue(waitForPing(daemon, "fd42:1::d", "fd42:1::1"), "before the ban the attacker's /64 reaches the server");

            // one failure from each of three addresses of one /64
            for (String a : new String[] {"fd42:1::a", "fd42:1::b", "fd42:1::c"}) {
                DaemonInNamespace.append(auth, DaemonInNamespace.failedPasswords(4242, a, 50000, 1));
            }
            // prefixes go to the jail's interval set, single addresses to its plain one
            assertTrue(daemon.waitForSet("sshd-v6-net", "fd42:1::", 5_000), "the /64 is not in the kernel set: "
                    + daemon.ruleset() + "\n" + daemon.output());
            assertTrue(daemon.set("sshd-v6-net").contains("\"len\": 64"), daemon.set("sshd-v6-net"));
            assertTrue(daemon.output().contains("NOTICE  [sshd] Ban fd42:1::/64"), daemon.output());

            assertFalse(ping(daemon, "fd42:1::d", "fd42:1::1"), "an address of the banned /64 it never used is dropped too");
            assertFalse(ping(daemon, "fd42:1::a", "fd42:1::1"), "and one it attacked from");
            assertTrue(ping(daemon, "fd42:2::b", "fd42:2::1"), "another /64 on the same link still passes");
            String banned = daemon.cli("banned", "fd42:1::ffff").out();
            assertTrue(banned.contains("sshd"), "banned ADDR names the jail whose /64 covers it: " + banned);

            // per address, as fail2ban counts: three addresses with one failure each are no attacker
            DaemonInNamespace.sleep(500);
            assertFalse(daemon.output().contains("[per-address] Ban"), daemon.output());
            for (String set : new String[] {"per-address-v6", "per-address-v6-net"}) {
                assertFalse(daemon.set(set).contains("fd42:1::"), daemon.set(set));
            }
        }
    }

    private static boolean ping(DaemonInNamespace daemon, String from, String to) {
        return Shell.run("ip", "netns", "exec", CLIENT, "ping", "-6", "-c", "1", "-W", "1", "-I", from, to).ok();
    }

    /** The first ping on a fresh link may wait for neighbour discovery: a few tries. */
    private static boolean waitForPing(DaemonInNamespace daemon, String from, String to) {
        for (int i = 0; i < 5; i++) {
            if (ping(daemon, from, to)) {
                return true;
            }
        }
        return false;
    }
}
