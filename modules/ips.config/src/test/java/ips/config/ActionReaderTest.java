package ips.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.JailRule;
import ips.api.PortRange;
import ips.api.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Actions are mapped by what their action.d files say: Debian's stock files (linked from
 * /etc/fail2ban/action.d) beside custom .conf/.local files in a throw-away tree.
 */
class ActionReaderTest extends ConfigTreeFixture {
    static final Path STOCK = Path.of("/etc/fail2ban/action.d");

    /** The stock actions that ban in a firewall (by name, by inheritance or by what their actionban runs). */
    static final Set<String> FIREWALL = Set.of("apf", "bsd-ipfw", "firewallcmd-allports", "firewallcmd-ipset",
            "firewallcmd-multiport", "firewallcmd-new", "firewallcmd-rich-logging", "firewallcmd-rich-rules", "ipfilter",
            "ipfw", "iptables", "iptables-allports", "iptables-ipset", "iptables-ipset-proto4", "iptables-ipset-proto6",
            "iptables-ipset-proto6-allports", "iptables-multiport", "iptables-multiport-log", "iptables-new",
            "iptables-xt_recent-echo", "nftables", "nftables-allports", "nftables-multiport", "npf", "osx-afctl",
            "osx-ipfw", "pf", "route", "shorewall", "shorewall-ipset-proto6", "symbiosis-blacklist-allports", "ufw");
    /** The stock actions that mail, report, notify or ban outside a firewall (hosts.deny, a CDN, DNS, nginx). */
    static final Set<String> NOT_FIREWALL = Set.of("abuseipdb", "apprise", "blocklist_de", "cloudflare",
            "cloudflare-token", "complain", "dshield", "dummy", "hostsdeny", "ipthreat", "mail", "mail-buffered",
            "mail-whois", "mail-whois-lines", "mynetwatchman", "netscaler", "nginx-block-map", "nsupdate", "sendmail",
            "sendmail-buffered", "sendmail-geoip-lines", "sendmail-whois", "sendmail-whois-ipjailmatches",
            "sendmail-whois-ipmatches", "sendmail-whois-lines", "sendmail-whois-matches", "xarf-login-attack");
    /** Stock files that only other actions include. */
    static final Set<String> HELPERS = Set.of("firewallcmd-common", "helpers-common", "mail-whois-common", "sendmail-common");
    /** Stock actions that block every port whatever the jail's port. */
    static final Set<String> ALL_PORTS = Set.of("apf", "firewallcmd-allports", "ipfilter", "iptables-allports",
            "iptables-ipset-proto6-allports", "nftables-allports", "npf", "osx-afctl", "route", "shorewall",
            "shorewall-ipset-proto6", "symbiosis-blacklist-allports", "ufw");
    static final Map<String, String> ACTION_ = Map.of("port", "ssh", "protocol", "tcp", "chain", "<known/chain>");

    @BeforeEach
    void tree() throws IOException {
        assumeTrue(Files.isDirectory(STOCK), "needs Debian's fail2ban action files in " + STOCK);
        Files.createDirectories(dir.resolve("action.d"));
        try (Stream<Path> s = Files.list(STOCK)) {
            for (Path p : s.toList()) {
                Files.createSymbolicLink(dir.resolve("action.d").resolve(p.getFileName()), p);
            }
        }
        write("filter.d/sshd.conf", "[Definition]\nfailregex = ^Failed password for .* from <HOST>\n");
        write("log/auth.log", "");
        write("jail.conf", """
                [DEFAULT]
                filter = sshd
                logpath = LOG
                port = 0:65535
                protocol = tcp
                chain = <known/chain>
                banaction = iptables-multiport
                action_ = %(banaction)s[port="%(port)s", protocol="%(protocol)s", chain="%(chain)s"]
                action_mw = %(action_)s
                            sendmail-whois[name=%(__name__)s, dest=root]
                action = %(action_)s
                """.replace("LOG", dir.resolve("log/auth.log").toString()));
    }

    private Jails load(String jailLocal) throws Exception {
        write("jail.local", jailLocal);
        return JailsLoader.load(dir);
    }

    private static ActionFile stock(String name, Map<String, String> params) throws ConfigException {
        return new ActionReader(STOCK.getParent().toString(), new HashMap<>()).resolve("sshd", name, params, Map.of(),
                null, null);
    }

    static List<String> stockActions() throws IOException {
        if (!Files.isDirectory(STOCK)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(STOCK)) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".conf"))
                    .map(f -> f.substring(0, f.length() - 5)).sorted().toList();
        }
    }

    static Stream<String> stockFirewallActions() {
        return FIREWALL.stream().sorted();
    }

    @Test
    void everyStockActionIsClassifiedFirewallOrNot() throws Exception {
        Set<String> known = new TreeSet<>(FIREWALL);
        known.addAll(NOT_FIREWALL);
        known.addAll(HELPERS);
        assertEquals(new TreeSet<>(stockActions()), known, "a stock action.d file this test does not classify");
        for (String a : FIREWALL) {
            ActionFile f = stock(a, ACTION_);
            assertTrue(f.firewall(), a);
            assertEquals(ALL_PORTS.contains(a), f.allPorts(), a + ": " + f);
        }
        for (String a : NOT_FIREWALL) {
            assertFalse(stock(a, ACTION_).firewall(), a);
        }
    }

    /** A stock firewall action copied under a name that says nothing is still a firewall action, by meaning. */
    @ParameterizedTest
    @MethodSource("stockFirewallActions")
    void aStockFirewallActionUnderAnotherNameIsStillAFirewallAction(String stock) throws Exception {
        Files.copy(STOCK.resolve(stock + ".conf"), dir.resolve("action.d/site-ban.conf"));
        ActionFile f = new ActionReader(dir.toString(), new HashMap<>()).resolve("sshd", "site-ban", ACTION_, Map.of(),
                null, null);
        assertTrue(f.firewall(), stock + ": " + f);
        assertTrue(f.basis().startsWith("inherits ") || f.basis().startsWith("actionban runs "), f.basis());
        // symbiosis-blacklist-allports says all ports only in its name; copied, it is iptables.conf's oneport
        assertEquals(ALL_PORTS.contains(stock) && !stock.startsWith("symbiosis"), f.allPorts(), stock + ": " + f);
    }

    @Test
    void iptablesBansItsPortByDefaultAndEveryPortWithTypeAllports() throws Exception {
        Jails jails = load("""
                [one]
                enabled = true
                port = ssh
                action = iptables
                [every]
                enabled = true
                port = ssh
                action = iptables[type=allports]
                [multi]
                enabled = true
                port = http,https
                banaction = iptables
                """);
        JailDefinition one = jails.jail("one");
        assertEquals("oneport", one.actions().get(0).resolved().type());
        assertFalse(one.actions().get(0).isAllPorts());
        assertEquals(new JailRule("one", Protocol.TCP, List.of(PortRange.single(22))), one.rule());
        ActionRef every = jails.jail("every").actions().get(0);
        assertEquals("allports", every.resolved().type());
        assertTrue(every.isAllPorts());
        assertTrue(jails.jail("every").rule().allPorts());
        assertEquals(List.of(PortRange.single(80), PortRange.single(443)), jails.jail("multi").ports());
    }

    @Test
    void nftablesAllportsInheritsNftablesWithTypeAllports() throws Exception {
        Jails jails = load("""
                [a]
                enabled = true
                port = ssh
                banaction = nftables-allports
                [b]
                enabled = true
                port = ssh
                banaction = nftables[type=allports]
                [c]
                enabled = true
                port = ssh
                banaction = nftables
                """);
        for (String j : List.of("a", "b")) {
            ActionFile f = jails.jail(j).actions().get(0).resolved();
            assertEquals("allports", f.type(), j);
            assertEquals("f2b-chain", f.chain(), j);
            assertTrue(jails.jail(j).rule().allPorts(), j);
        }
        assertEquals("multiport", jails.jail("c").actions().get(0).resolved().type());
        assertEquals(List.of(PortRange.single(22)), jails.jail("c").ports());
    }

    @Test
    void customLocalFileInheritingIptablesIsAFirewallActionInItsChain() throws Exception {
        write("action.d/docker-block.local", """
                [INCLUDES]
                before = iptables.conf
                [Init]
                chain = DOCKER-USER
                blocktype = DROP
                """);
        JailDefinition j = load("""
                [web]
                enabled = true
                port = http,https
                banaction = docker-block[type=multiport]
                """).jail("web");
        ActionRef a = j.actions().get(0);
        assertTrue(a.isFirewall());
        ActionFile f = a.resolved();
        assertEquals(dir.resolve("action.d/docker-block.local").toString(), f.file());
        assertEquals("inherits iptables.conf", f.basis());
        assertEquals("DOCKER-USER", f.chain(), "<known/chain> from the jail resolves to the file's [Init] chain");
        assertEquals("DROP", f.blockType());
        assertTrue(f.forwardChain());
        assertEquals("DOCKER-USER", j.chain());
        assertEquals(List.of(PortRange.single(80), PortRange.single(443)), j.ports());
    }

    @Test
    void handWrittenActionbanRunningNftIsAFirewallAction() throws Exception {
        write("action.d/nft-set.conf", """
                [Definition]
                actionban = nft add element inet filter <set> { <ip> }
                actionunban = nft delete element inet filter <set> { <ip> }
                [Init]
                set = blocklist
                """);
        write("action.d/nft-port-set.conf", """
                [Definition]
                actionstart = nft add rule inet filter input tcp dport { <port> } ip saddr @f2b-<name> drop
                actionban = /usr/sbin/nft add element inet filter f2b-<name> { <ip> }
                """);
        write("action.d/notify.conf", "[Definition]\nactionban = logger -t f2b banned <ip>\n");
        Jails jails = load("""
                [set]
                enabled = true
                port = ssh
                action = nft-set
                [portset]
                enabled = true
                port = ssh
                action = nft-port-set
                         notify
                """);
        ActionRef set = jails.jail("set").actions().get(0);
        assertTrue(set.isFirewall());
        assertEquals("actionban runs nft", set.resolved().basis());
        assertTrue(set.isAllPorts(), "its ban names no port: the address is blocked everywhere");
        assertTrue(jails.jail("set").rule().allPorts());
        JailDefinition portset = jails.jail("portset");
        assertTrue(portset.actions().get(0).isFirewall());
        assertFalse(portset.actions().get(0).isAllPorts());
        assertEquals(List.of(PortRange.single(22)), portset.ports());
        assertFalse(portset.actions().get(1).isFirewall(), "logger is not a firewall");
    }

    @Test
    void perUsePortAndProtocolWinOverTheJailsAndTheJailsOverTheFiles() throws Exception {
        Jails jails = load("""
                [web]
                enabled = true
                port = ssh
                protocol = udp
                action = iptables-multiport[name=web, port="http,https", protocol=tcp]
                [jail]
                enabled = true
                port = 2222
                protocol = udp
                action = %(action_mw)s
                """);
        JailDefinition web = jails.jail("web");
        assertEquals(new JailRule("web", Protocol.TCP, List.of(PortRange.single(80), PortRange.single(443))), web.rule());
        assertEquals("http,https", web.actions().get(0).resolved().port());
        JailDefinition j = jails.jail("jail");
        assertEquals(new JailRule("jail", Protocol.UDP, List.of(PortRange.single(2222))), j.rule());
        assertTrue(j.actions().get(0).isFirewall());
        assertFalse(j.actions().get(1).isFirewall(), "sendmail-whois");

        // a jail with no port of its own bans the port its action's file gives (iptables.conf: ssh)
        write("jail.conf", "[DEFAULT]\nfilter = sshd\nlogpath = " + dir.resolve("log/auth.log") + "\n");
        JailDefinition bare = load("[bare]\nenabled = true\naction = iptables-multiport\n").jail("bare");
        assertEquals(new JailRule("bare", Protocol.TCP, List.of(PortRange.single(22))), bare.rule());
    }

    @Test
    void missingActionFileSkipsTheJailNamingJailActionAndFile() throws Exception {
        Jails jails = load("""
                [web]
                enabled = true
                action = no-such-action[x=1]
                [sshd]
                enabled = true
                """);
        String why = jails.skipped().get("web");
        assertTrue(why != null && why.contains("'no-such-action'") && why.contains("action.d/no-such-action.conf"),
                String.valueOf(why));
        assertEquals(List.of("sshd"), jails.jails().stream().map(JailDefinition::name).toList());
    }

    @Test
    void brokenActionFileNamesFileLineJailAndAction() throws Exception {
        write("action.d/docker-block.local", "[INCLUDES]\nbefore = iptables.conf\n[Init]\nchain DOCKER-USER\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("[web]\nenabled = true\naction = docker-block\n"));
        assertEquals(dir.resolve("action.d/docker-block.local").toString(), e.file());
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("[web] action 'docker-block'"), e.getMessage());

        write("action.d/docker-block.local", "[Definition]\nactionban = iptables -I <chain> -s <ip> -j DROP %(nosuch)s\n");
        e = assertThrows(ConfigException.class, () -> load("[web]\nenabled = true\naction = docker-block\n"));
        assertEquals(dir.resolve("action.d/docker-block.local").toString(), e.file());
        assertEquals("actionban", e.key());
        assertTrue(e.getMessage().contains("[web] action 'docker-block'"), e.getMessage());
    }

    @Test
    void withoutActionDStockFirewallNamesStillWorkAndOthersAreSkipped() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("action.d"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir.resolve("action.d"));
        Jails jails = load("""
                [every]
                enabled = true
                banaction = nftables[type=allports]
                [multi]
                enabled = true
                port = ssh
                banaction = nftables-multiport
                [mail]
                enabled = true
                action = %(action_mw)s
                """);
        ActionRef every = jails.jail("every").actions().get(0);
        assertNull(every.resolved().file());
        assertTrue(every.isFirewall());
        assertTrue(every.isAllPorts());
        assertEquals(List.of(PortRange.single(22)), jails.jail("multi").ports());
        assertTrue(jails.skipped().get("mail").contains("sendmail-whois"), jails.skipped().toString());
    }

    @Test
    void actionsAreReadOncePerLoadAndOnlyWhenAJailUsesThem() throws Exception {
        Map<String, ips.config.ini.IniConfig> cache = new HashMap<>();
        ActionReader r = new ActionReader(dir.toString(), cache);
        r.resolve("a", "iptables-multiport", ACTION_, Map.of(), null, null);
        List<String> parsed = new ArrayList<>(cache.keySet());
        r.resolve("b", "iptables-multiport", Map.of("port", "http"), Map.of(), null, null);
        assertEquals(parsed, new ArrayList<>(cache.keySet()));
        assertTrue(parsed.stream().allMatch(f -> f.contains("iptables")), parsed.toString());
    }
}
