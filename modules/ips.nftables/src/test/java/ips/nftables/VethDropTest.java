package ips.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.Ban;
import ips.api.EnforcerSettings;
import ips.api.IpPrefix;
import ips.api.JailRule;
import ips.api.PortRange;
import ips.api.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two namespaces joined by a veth pair: the attacker side holds two addresses, the host side runs
 * the enforcer and listens on TCP ports (sockets opened on a thread inside the namespace belong
 * to it, so no ping or nc is needed). A banned source cannot connect, an unbanned one can, and
 * the banned one can again once the kernel has expired its ban.
 */
class VethDropTest {

    private static boolean connects(NetNs from, String source, String to, int port) throws Exception {
        return outcome(from, source, to, port).equals("connected");
    }

    /** "connected", "refused" (an answer came back: reset or ICMP unreachable), "timed out" (silence) or another failure. */
    private static String outcome(NetNs from, String source, String to, int port) throws Exception {
        return from.inside(() -> {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(source, 0));
                s.connect(new InetSocketAddress(to, port), 700);
                return "connected";
            } catch (java.net.SocketTimeoutException e) {
                return "timed out";
            } catch (java.net.ConnectException e) {
                return "refused";
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
    }

    private static ServerSocket listen(NetNs ns, String address, int port) throws Exception {
        return ns.inside(() -> {
            ServerSocket ss = new ServerSocket();
            ss.bind(new InetSocketAddress(address, port), 64);
            return ss;
        });
    }

    private static void link(NetNs attacker, NetNs host, String net) throws Exception {
        attacker.exec(true, "ip", "link", "add", "va", "type", "veth", "peer", "name", "vh", "netns", host.name);
        attacker.exec(true, "ip", "addr", "add", net + ".1/24", "dev", "va");
        attacker.exec(true, "ip", "addr", "add", net + ".3/24", "dev", "va");
        attacker.exec(true, "ip", "link", "set", "va", "up");
        host.exec(true, "ip", "addr", "add", net + ".2/24", "dev", "vh");
        host.exec(true, "ip", "link", "set", "vh", "up");
    }

    @Test
    void bannedSourceIsDroppedUnbannedPassesAndExpiredBanLetsItBackIn() throws Exception {
        NetNs.assumeRoot();
        try (NetNs attacker = NetNs.create("a"); NetNs host = NetNs.create("h")) {
            link(attacker, host, "10.231.0");
            try (ServerSocket ss = listen(host, "10.231.0.2", 2222);
                    NftablesEnforcer enforcer = host.inside(() -> NftablesEnforcer.open(EnforcerSettings.defaults()))) {
                assertTrue(connects(attacker, "10.231.0.1", "10.231.0.2", 2222), "the path works before any ban");
                enforcer.scaffold(List.of(JailRule.allPorts("sshd")));
                long expires = System.currentTimeMillis() + 4000;
                enforcer.ban(List.of(new Ban("sshd", IpPrefix.parse("10.231.0.1"), expires)));

                assertFalse(connects(attacker, "10.231.0.1", "10.231.0.2", 2222), "banned source must be dropped");
                assertTrue(connects(attacker, "10.231.0.3", "10.231.0.2", 2222), "unbanned source must pass");

                long wait = expires - System.currentTimeMillis() + 700;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                assertTrue(connects(attacker, "10.231.0.1", "10.231.0.2", 2222), "an expired ban lets the source back in");

                // 10.231.0.0/30 holds both attacker addresses
                enforcer.ban(List.of(new Ban("sshd", IpPrefix.parse("10.231.0.0/30"), Ban.PERMANENT)));
                assertFalse(connects(attacker, "10.231.0.3", "10.231.0.2", 2222), "a prefix ban drops every source inside");
                assertFalse(connects(attacker, "10.231.0.1", "10.231.0.2", 2222), "a prefix ban drops every source inside");
                enforcer.unban("sshd", List.of(IpPrefix.parse("10.231.0.0/30")));
                assertTrue(connects(attacker, "10.231.0.3", "10.231.0.2", 2222), "unban lets it back in");
            }
        }
    }

    @Test
    void portRestrictedJailBlocksOnlyItsPorts() throws Exception {
        NetNs.assumeRoot();
        try (NetNs attacker = NetNs.create("pa"); NetNs host = NetNs.create("ph")) {
            link(attacker, host, "10.232.0");
            try (ServerSocket web = listen(host, "10.232.0.2", 80);
                    ServerSocket other = listen(host, "10.232.0.2", 8022);
                    NftablesEnforcer enforcer = host.inside(() -> NftablesEnforcer.open(
                            new EnforcerSettings("portcullis", EnforcerSettings.BlockType.REJECT, false)))) {
                enforcer.scaffold(List.of(new JailRule("web", Protocol.TCP, List.of(PortRange.single(80)))));
                enforcer.ban(List.of(new Ban("web", IpPrefix.parse("10.232.0.1"), Ban.PERMANENT)));
                assertFalse(connects(attacker, "10.232.0.1", "10.232.0.2", 80), "the jail's port is blocked");
                assertTrue(connects(attacker, "10.232.0.1", "10.232.0.2", 8022), "other ports pass");
                assertTrue(connects(attacker, "10.232.0.3", "10.232.0.2", 80), "other sources pass");
            }
        }
    }

    @Test
    void eachJailRejectsOrDropsAsItsBlocktypeSays() throws Exception {
        NetNs.assumeRoot();
        try (NetNs attacker = NetNs.create("ba"); NetNs host = NetNs.create("bh")) {
            link(attacker, host, "10.233.0");
            try (ServerSocket web = listen(host, "10.233.0.2", 80);
                    ServerSocket ssh = listen(host, "10.233.0.2", 2222);
                    NftablesEnforcer enforcer = host.inside(() -> NftablesEnforcer.open(EnforcerSettings.defaults()))) {
                enforcer.scaffold(List.of(
                        new JailRule("web", Protocol.TCP, List.of(PortRange.single(80)), EnforcerSettings.BlockType.REJECT),
                        new JailRule("ssh", Protocol.TCP, List.of(PortRange.single(2222)))));
                enforcer.ban(List.of(new Ban("web", IpPrefix.parse("10.233.0.1"), Ban.PERMANENT),
                        new Ban("ssh", IpPrefix.parse("10.233.0.1"), Ban.PERMANENT)));
                assertEquals("refused", outcome(attacker, "10.233.0.1", "10.233.0.2", 80), "web's own blocktype: reject");
                assertEquals("timed out", outcome(attacker, "10.233.0.1", "10.233.0.2", 2222), "the firewall's default: drop");
                assertEquals("connected", outcome(attacker, "10.233.0.3", "10.233.0.2", 80), "other sources pass");
            }
        }
    }
}
