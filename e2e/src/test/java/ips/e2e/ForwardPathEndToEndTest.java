package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Traffic the host forwards (to a container, as Docker's published ports are) never passes the
 * INPUT hook, so a ban there does not stop it: fail2ban's usual pain. With portcullis.conf's
 * {@code forward = true} the jail's sets are also matched in a forward chain, ahead of the
 * filter chains Docker and firewalls add. Three scratch namespaces: an attacker and a bystander,
 * the host running the daemon and routing, and a "container" behind it. The setting is turned on
 * by a reload, as an operator would after reading why the container still gets the attacks.
 */
class ForwardPathEndToEndTest {
    private static final String HOST = "pcfw-host";
    private static final String CLIENT = "pcfw-cli";
    private static final String CONTAINER = "pcfw-ctr";
    private static final String HOST_ADDR = "10.232.0.1";
    private static final String ATTACKER = "10.232.0.2";
    private static final String BYSTANDER = "10.232.0.3";
    private static final String CONTAINER_ADDR = "10.233.0.2";

    @Test
    void forwardedTrafficFromABannedAddressIsDroppedOnceForwardIsOn() throws Exception {
        DaemonInNamespace.assumeRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace(HOST, "pcfw")) {
            daemon.addNamespace(CLIENT);
            daemon.addNamespace(CONTAINER);
            Shell.must("ip", "-n", HOST, "link", "add", "veth-h", "type", "veth", "peer", "name", "veth-c", "netns", CLIENT);
            Shell.must("ip", "-n", HOST, "link", "add", "veth-k", "type", "veth", "peer", "name", "veth-ctr", "netns", CONTAINER);
            Shell.must("ip", "-n", HOST, "addr", "add", HOST_ADDR + "/24", "dev", "veth-h");
            Shell.must("ip", "-n", HOST, "addr", "add", "10.233.0.1/24", "dev", "veth-k");
            Shell.must("ip", "-n", CLIENT, "addr", "add", ATTACKER + "/24", "dev", "veth-c");
            Shell.must("ip", "-n", CLIENT, "addr", "add", BYSTANDER + "/24", "dev", "veth-c");
            Shell.must("ip", "-n", CONTAINER, "addr", "add", CONTAINER_ADDR + "/24", "dev", "veth-ctr");
            for (String[] l : new String[][] {{HOST, "veth-h"}, {HOST, "veth-k"}, {CLIENT, "veth-c"}, {CONTAINER, "veth-ctr"}}) {
                Shell.must("ip", "-n", l[0], "link", "set", l[1], "up");
            }
            Shell.must("ip", "-n", CLIENT, "route", "add", "10.233.0.0/24", "via", HOST_ADDR);
            Shell.must("ip", "-n", CONTAINER, "route", "add", "default", "via", "10.233.0.1");
            Shell.must("ip", "netns", "exec", HOST, "sysctl", "-qw", "net.ipv4.ip_forward=1");

            Path auth = daemon.createLog("auth.log");
            Files.writeString(daemon.etc().resolve("jail.conf"), DaemonInNamespace.ALL_PORTS_DEFAULT
                    + DaemonInNamespace.sshdJail("sshd", auth, 3, "1h"));
            daemon.writePortcullisConf("forward = false\n");
            daemon.start();
            assertTrue(ping(ATTACKER, CONTAINER_ADDR), "before the ban the attacker reaches the container through the host");

            DaemonInNamespace.append(auth, DaemonInNamespace.failedPasswords(4242, ATTACKER, 50000, 3));
            assertTrue(daemon.waitForSet("sshd-v4", ATTACKER, 5_000), daemon.set("sshd-v4") + "\n" + daemon.output());
            assertFalse(ping(ATTACKER, HOST_ADDR), "the host itself is closed to it (input)");
            assertTrue(ping(ATTACKER, CONTAINER_ADDR), "with forward off, what the host forwards still passes: the pain");

            daemon.writePortcullisConf("forward = true\n");
            assertTrue(daemon.cli("reload").ok(), daemon.output());
            assertTrue(daemon.awaitOutput("firewall now drop by default, forward chain on", 5_000), daemon.output());
            assertTrue(daemon.ruleset().contains("\"hook\": \"forward\""), daemon.ruleset());
            assertFalse(ping(ATTACKER, CONTAINER_ADDR), "with forward on, the banned address no longer reaches the container");
            assertTrue(ping(BYSTANDER, CONTAINER_ADDR), "an unbanned address still does");
            assertTrue(daemon.set("sshd-v4").contains("\"" + ATTACKER + "\""), "the ban stayed across the reload");
        }
    }

    private static boolean ping(String from, String to) {
        return Shell.run("ip", "netns", "exec", CLIENT, "ping", "-c", "1", "-W", "1", "-I", from, to).ok();
    }
}
