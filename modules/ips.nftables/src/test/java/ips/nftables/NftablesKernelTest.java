package ips.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.Ban;
import ips.api.EnforcerException;
import ips.api.EnforcerSettings;
import ips.api.EnforcerSettings.BlockType;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import ips.api.JailRule;
import ips.api.PortRange;
import ips.api.Protocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the real kernel, in a throwaway network namespace, read back with {@code nft -j}. */
class NftablesKernelTest {
    private static final long HOUR = 3_600_000;
    private NetNs ns;
    private NftablesEnforcer enforcer;
    private NftReadback nft;

    @BeforeEach
    void setUp() throws Exception {
        NetNs.assumeRoot();
        ns = NetNs.create("k");
        nft = new NftReadback(ns, "portcullis");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (enforcer != null) {
            enforcer.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private NftablesEnforcer open(EnforcerSettings settings) throws Exception {
        enforcer = ns.inside(() -> NftablesEnforcer.open(settings));
        return enforcer;
    }

    private NftablesEnforcer open() throws Exception {
        return open(EnforcerSettings.defaults());
    }

    private static Ban ban(String jail, String target, long expiresAt) {
        return new Ban(jail, IpPrefix.tryParse(target), expiresAt);
    }

    private static IpPrefix p(String text) {
        return IpPrefix.tryParse(text);
    }

    private static Map<String, Ban> byTarget(List<Ban> bans) {
        Map<String, Ban> m = new HashMap<>();
        for (Ban b : bans) {
            m.put(b.jail() + " " + b.target(), b);
        }
        return m;
    }

    /** nft shows whole seconds of a timeout computed at send time: allow for the time the test took. */
    private static void assertSeconds(long expected, long actual) {
        assertTrue(actual <= expected && actual >= expected - 3, "expected about " + expected + " s, was " + actual);
    }

    @Test
    void scaffoldCreatesTableHookChainsAndFourSetsPerJail() throws Exception {
        open(new EnforcerSettings("portcullis", BlockType.DROP, true));
        enforcer.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("nginx-http-auth")));

        Map<String, List<Object>> sets = nft.sets();
        assertEquals(List.of("ipv4_addr", "timeout"), sets.get("sshd-v4"));
        assertEquals(List.of("ipv4_addr", "interval", "timeout"), sets.get("sshd-v4-net"));
        assertEquals(List.of("ipv6_addr", "timeout"), sets.get("sshd-v6"));
        assertEquals(List.of("ipv6_addr", "interval", "timeout"), sets.get("sshd-v6-net"));
        assertEquals(8, sets.size(), sets.toString());
        assertTrue(sets.containsKey("nginx-http-auth-v6-net"));

        Map<String, String> chains = nft.chains();
        assertEquals("filter input -1 accept", chains.get("input"));
        assertEquals("filter forward -1 accept", chains.get("forward"));
        List<String> input = nft.rules("input");
        assertEquals(8, input.size(), input.toString());
        assertTrue(input.get(0).contains("{protocol=ip, field=saddr}") && input.get(0).contains("@sshd-v4")
                && input.get(0).contains("drop"), input.get(0));
        assertTrue(input.get(2).contains("{protocol=ip6, field=saddr}") && input.get(2).contains("@sshd-v6"), input.get(2));
        assertEquals(input, nft.rules("forward"));

        // turning forward blocking off removes our forward chain; bans stay
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", Ban.PERMANENT)));
        enforcer.close();
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("nginx-http-auth")));
        assertEquals(Set.of("input"), nft.chains().keySet());
        assertEquals(input, nft.rules("input"));
        assertEquals(Set.of("192.0.2.1"), nft.elements("sshd-v4").keySet());
    }

    @Test
    void adoptedSettingsShapeTheNextScaffoldInTheSameTableAndBansStay() throws Exception {
        open(new EnforcerSettings("portcullis", BlockType.DROP, false));
        enforcer.scaffold(List.of(JailRule.allPorts("sshd")));
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", Ban.PERMANENT)));
        assertEquals(Set.of("input"), nft.chains().keySet());

        assertFalse(enforcer.adopt(new EnforcerSettings("other", BlockType.REJECT, true)), "another table is a restart");
        assertTrue(enforcer.adopt(new EnforcerSettings("portcullis", BlockType.REJECT, true)));
        assertEquals(Set.of("input"), nft.chains().keySet(), "nothing changes before the next scaffold");
        enforcer.scaffold(List.of(JailRule.allPorts("sshd")));
        assertEquals("filter forward -1 accept", nft.chains().get("forward"));
        assertEquals(nft.rules("input"), nft.rules("forward"));
        assertTrue(nft.rules("input").get(0).contains("reject"), nft.rules("input").get(0));
        assertEquals(Set.of("192.0.2.1"), nft.elements("sshd-v4").keySet());

        assertTrue(enforcer.adopt(new EnforcerSettings("portcullis", BlockType.DROP, false)));
        enforcer.scaffold(List.of(JailRule.allPorts("sshd")));
        assertEquals(Set.of("input"), nft.chains().keySet());
        assertTrue(nft.rules("input").get(0).contains("drop"), nft.rules("input").get(0));
        assertEquals(Set.of("192.0.2.1"), nft.elements("sshd-v4").keySet());
    }

    @Test
    void removeAllDeletesOurTableWithEveryBanAndLeavesOtherTables() throws Exception {
        ns.exec(true, "nft", "add", "table", "inet", "someone-else");
        open(new EnforcerSettings("portcullis", BlockType.DROP, true));
        enforcer.scaffold(List.of(JailRule.allPorts("sshd")));
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", Ban.PERMANENT), ban("sshd", "2001:db8::/64", Ban.PERMANENT)));
        assertTrue(ns.nftJson("tables").contains("\"portcullis\""));
        assertEquals(1, enforcer.removeAll(List.of("sshd")));
        String tables = ns.nftJson("tables");
        assertFalse(tables.contains("\"portcullis\""), tables);
        assertTrue(tables.contains("\"someone-else\""), "another table stays: " + tables);
        assertEquals(0, enforcer.removeAll(List.of("sshd")), "nothing left to remove");
    }

    @Test
    void portRestrictedJailMatchesItsProtocolAndPortsOnly() throws Exception {
        open(new EnforcerSettings("portcullis", BlockType.REJECT, false));
        enforcer.scaffold(List.of(new JailRule("sshd", Protocol.TCP, List.of(PortRange.single(22), new PortRange(6000, 6010))),
                new JailRule("dns", Protocol.UDP, List.of(PortRange.single(53)))));

        List<String> rules = nft.rules("input");
        assertEquals(2 * 2 * 2 + 2 * 2, rules.size(), rules.toString());
        String first = rules.get(0);
        assertTrue(first.contains("@sshd-v4") && first.contains("{protocol=tcp, field=dport}") && first.contains("right=22"),
                first);
        assertTrue(first.contains("reject"), first);
        String second = rules.get(1);
        assertTrue(second.contains("{protocol=tcp, field=dport}") && second.contains("range=[6000, 6010]"), second);
        String dns = rules.get(8);
        assertTrue(dns.contains("@dns-v4") && dns.contains("{protocol=udp, field=dport}") && dns.contains("right=53"), dns);
        assertFalse(rules.toString().contains("forward"));
    }

    @Test
    void eachJailRefusesPacketsAsItsOwnBlocktypeSaysElseAsTheFirewallsSetting() throws Exception {
        open(new EnforcerSettings("portcullis", BlockType.DROP, true));
        enforcer.scaffold(List.of(JailRule.allPorts("sshd").withBlockType(BlockType.REJECT), JailRule.allPorts("web"),
                new JailRule("dns", Protocol.UDP, List.of(PortRange.single(53)), BlockType.DROP)));

        for (String chain : List.of("input", "forward")) {
            List<String> rules = nft.rules(chain);
            assertEquals(3 * 4, rules.size(), rules.toString());
            for (String r : rules) {
                boolean sshd = r.contains("@sshd-");
                assertTrue(sshd == r.contains("reject") && sshd != r.contains("drop"), chain + ": " + r);
            }
        }
    }

    @Test
    void warmingUpTouchesNothingAndBansWorkAfter() throws Exception {
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("sshd")));
        long now = System.currentTimeMillis();
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", now + HOUR)));
        String before = withoutCountdown(ns.nftJson("table", "inet", "portcullis"));

        enforcer.warmUp();

        assertEquals(before, withoutCountdown(ns.nftJson("table", "inet", "portcullis")), "the firewall as it was");
        enforcer.ban(List.of(ban("sshd", "192.0.2.2", now + HOUR)));
        assertEquals(Set.of("192.0.2.1", "192.0.2.2"), nft.elements("sshd-v4").keySet());
    }

    /**
     * The table's JSON without the seconds each element has left: they count down between two
     * reads that straddle a second (a CI run saw 3600, then 3599), which is not a change.
     */
    private static String withoutCountdown(String json) {
        return json.replaceAll("\"expires\": \\d+", "\"expires\": _");
    }

    @Test
    void listsTheBansOfTheJailsAskedFor() throws Exception {
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("web"), JailRule.allPorts("dns")));
        long now = System.currentTimeMillis();
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", now + HOUR), ban("web", "2001:db8::1", now + HOUR),
                ban("web", "198.51.100.0/24", Ban.PERMANENT), ban("dns", "192.0.2.3", now + HOUR)));

        assertEquals(Set.of("web 2001:db8::1", "web 198.51.100.0/24"), byTarget(enforcer.list("web"::equals)).keySet());
        assertEquals(Set.of("sshd 192.0.2.1", "dns 192.0.2.3"), byTarget(enforcer.list(j -> !j.equals("web"))).keySet());
        assertEquals(4, enforcer.list().size());
    }

    @Test
    void bansAndUnbansIpv4Ipv6AndPrefixesWithTimeouts() throws Exception {
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("sshd")));
        long now = System.currentTimeMillis();
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", now + HOUR), ban("sshd", "2001:db8::1", now + HOUR),
                ban("sshd", "198.51.100.0/24", now + HOUR), ban("sshd", "2001:db8:1::/48", Ban.PERMANENT),
                ban("sshd", "192.0.2.9", Ban.PERMANENT), ban("sshd", "192.0.2.200", now - 1)));

        NftReadback.Element v4 = nft.elements("sshd-v4").get("192.0.2.1");
        assertNotNull(v4);
        assertSeconds(3600, v4.timeoutSeconds());
        assertTrue(v4.expiresSeconds() > 3590 && v4.expiresSeconds() <= 3600, v4.toString());
        assertEquals(-1, nft.elements("sshd-v4").get("192.0.2.9").timeoutSeconds());
        assertFalse(nft.elements("sshd-v4").containsKey("192.0.2.200"), "an expired ban is skipped");
        assertSeconds(3600, nft.elements("sshd-v6").get("2001:db8::1").timeoutSeconds());
        assertSeconds(3600, nft.elements("sshd-v4-net").get("198.51.100.0/24").timeoutSeconds());
        assertEquals(-1, nft.elements("sshd-v6-net").get("2001:db8:1::/48").timeoutSeconds());

        Map<String, Ban> listed = byTarget(enforcer.list());
        assertEquals(Set.of("sshd 192.0.2.1", "sshd 192.0.2.9", "sshd 2001:db8::1", "sshd 198.51.100.0/24",
                "sshd 2001:db8:1::/48"), listed.keySet());
        long left = listed.get("sshd 198.51.100.0/24").expiresAtMillis() - System.currentTimeMillis();
        assertTrue(left > HOUR - 20_000 && left <= HOUR + 1000, "remaining " + left);
        assertTrue(listed.get("sshd 2001:db8:1::/48").isPermanent());
        assertTrue(listed.get("sshd 192.0.2.9").isPermanent());

        enforcer.unban("sshd", List.of(p("192.0.2.1"), p("2001:db8::1"), p("198.51.100.0/24"), p("2001:db8:1::/48"),
                p("203.0.113.77"), p("203.0.113.0/24")));
        assertEquals(Set.of("sshd 192.0.2.9"), byTarget(enforcer.list()).keySet());
        assertTrue(nft.elements("sshd-v4-net").isEmpty());
        assertTrue(nft.elements("sshd-v6").isEmpty());
    }

    @Test
    void overlappingPrefixesAreMergedOrSkippedNeverRejected() throws Exception {
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("web")));
        long now = System.currentTimeMillis();
        enforcer.ban(List.of(ban("web", "10.0.1.0/24", now + HOUR), ban("web", "10.0.2.0/24", now + 2 * HOUR)));
        // a /16 over both absorbs them and keeps the later expiry
        enforcer.ban(List.of(ban("web", "10.0.0.0/16", now + HOUR / 2)));
        Map<String, NftReadback.Element> net = nft.elements("web-v4-net");
        assertEquals(Set.of("10.0.0.0/16"), net.keySet());
        assertTrue(net.get("10.0.0.0/16").timeoutSeconds() > 7100, net.toString());
        // a prefix inside, banned for less long: skipped
        enforcer.ban(List.of(ban("web", "10.0.3.0/24", now + HOUR)));
        assertEquals(Set.of("10.0.0.0/16"), nft.elements("web-v4-net").keySet());
        // a single address inside: the address set, no overlap
        enforcer.ban(List.of(ban("web", "10.0.0.5", now + HOUR)));
        assertEquals(Set.of("10.0.0.5"), nft.elements("web-v4").keySet());
        // a prefix inside, banned for longer: the covering /16 is refreshed to the later expiry
        enforcer.ban(List.of(ban("web", "10.0.4.0/24", Ban.PERMANENT)));
        net = nft.elements("web-v4-net");
        assertEquals(Set.of("10.0.0.0/16"), net.keySet());
        assertEquals(-1, net.get("10.0.0.0/16").timeoutSeconds());
        // the same for IPv6, in one batch, where a later ban overlaps an earlier one of the same batch
        enforcer.ban(List.of(ban("web", "2001:db8:0:1::/64", now + HOUR), ban("web", "2001:db8::/32", now + HOUR),
                ban("web", "2001:db8:ff::/48", now + HOUR)));
        assertEquals(Set.of("2001:db8::/32"), nft.elements("web-v6-net").keySet());
        // a new enforcer (daemon restart) learns the prefix set back from the kernel
        enforcer.close();
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("web")));
        enforcer.ban(List.of(ban("web", "10.0.5.0/24", now + HOUR), ban("web", "10.0.0.0/8", now + HOUR)));
        net = nft.elements("web-v4-net");
        assertEquals(Set.of("10.0.0.0/8"), net.keySet());
        assertEquals(-1, net.get("10.0.0.0/8").timeoutSeconds(), "absorbing a permanent ban makes the wider one permanent");
    }

    @Test
    void reBanRefreshesTheTimeoutAndPermanentReBanClearsIt() throws Exception {
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("sshd")));
        long now = System.currentTimeMillis();
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", now + 10_000), ban("sshd", "192.0.2.0/28", now + 10_000)));
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", now + HOUR), ban("sshd", "192.0.2.0/28", now + HOUR)));
        assertSeconds(3600, nft.elements("sshd-v4").get("192.0.2.1").timeoutSeconds());
        assertSeconds(3600, nft.elements("sshd-v4-net").get("192.0.2.0/28").timeoutSeconds());
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", now + 20_000)));
        assertSeconds(20, nft.elements("sshd-v4").get("192.0.2.1").timeoutSeconds());
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", Ban.PERMANENT)));
        assertEquals(-1, nft.elements("sshd-v4").get("192.0.2.1").timeoutSeconds());
        assertEquals(1, nft.elements("sshd-v4").size());
        // kernel 6.18 also gives a timeout to an element that had none: the latest ban wins
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", now + HOUR)));
        assertSeconds(3600, nft.elements("sshd-v4").get("192.0.2.1").timeoutSeconds());
    }

    @Test
    void kernelExpiresBansOnItsOwn() throws Exception {
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("sshd")));
        long now = System.currentTimeMillis();
        long soon = now + 3000;
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", soon), ban("sshd", "2001:db8::1", soon),
                ban("sshd", "198.51.100.0/24", soon), ban("sshd", "192.0.2.2", now + HOUR)));
        assertSeconds(3, nft.elements("sshd-v4").get("192.0.2.1").timeoutSeconds());
        Map<String, Ban> listed = byTarget(enforcer.list());
        if (System.currentTimeMillis() < soon - 200) { // a loaded machine may have taken longer
            assertEquals(4, listed.size(), listed.toString());
            long left = listed.get("sshd 198.51.100.0/24").remainingMillis(System.currentTimeMillis());
            assertTrue(left > 0 && left <= 3000, "remaining " + left);
        }
        enforcer.close();
        enforcer = null; // the daemon is gone; the kernel still expires the bans
        Thread.sleep(Math.max(0, soon - System.currentTimeMillis()) + 1000);
        assertEquals(Set.of("192.0.2.2"), nft.elements("sshd-v4").keySet());
        assertTrue(nft.elements("sshd-v6").isEmpty());
        assertTrue(nft.elements("sshd-v4-net").isEmpty());
    }

    @Test
    void reScaffoldIsIdempotentKeepsBansAndDoesNotDuplicateRules() throws Exception {
        open();
        List<JailRule> jails = List.of(JailRule.allPorts("sshd"), new JailRule("web", Protocol.TCP, List.of(PortRange.single(443))));
        enforcer.scaffold(jails);
        List<String> rules = nft.rules("input");
        long now = System.currentTimeMillis();
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", now + HOUR), ban("web", "198.51.100.0/24", now + HOUR)));
        enforcer.scaffold(jails);
        enforcer.scaffold(jails);
        assertEquals(rules, nft.rules("input"));
        assertEquals(Set.of("192.0.2.1"), nft.elements("sshd-v4").keySet());
        assertEquals(Set.of("198.51.100.0/24"), nft.elements("web-v4-net").keySet());
        // a fresh enforcer (daemon restart) scaffolding again keeps them too
        enforcer.close();
        open();
        enforcer.scaffold(jails);
        assertEquals(rules, nft.rules("input"));
        assertEquals(2, enforcer.list().size());
    }

    @Test
    void recreatesTheScaffoldAfterAnExternalFlushRuleset() throws Exception {
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("sshd")));
        long now = System.currentTimeMillis();
        enforcer.ban(List.of(ban("sshd", "192.0.2.1", now + HOUR)));
        ns.exec(true, "nft", "flush", "ruleset");
        enforcer.ban(List.of(ban("sshd", "192.0.2.2", now + HOUR), ban("sshd", "10.9.0.0/16", now + HOUR)));
        assertEquals(1, enforcer.recoveries());
        assertEquals(Set.of("192.0.2.2"), nft.elements("sshd-v4").keySet());
        assertEquals(Set.of("10.9.0.0/16"), nft.elements("sshd-v4-net").keySet());
        assertEquals(4, nft.rules("input").size());
        ns.exec(true, "nft", "flush", "ruleset");
        assertTrue(enforcer.list().isEmpty());
        assertEquals(2, enforcer.recoveries());
        ns.exec(true, "nft", "flush", "ruleset");
        enforcer.unban("sshd", List.of(p("192.0.2.2")));
        ns.exec(true, "nft", "flush", "ruleset");
        enforcer.flush("sshd");
        assertEquals(4, enforcer.recoveries());
        assertEquals(4, nft.rules("input").size());
    }

    @Test
    void splitsLargeBatchesAndListsEveryElementBack() throws Exception {
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("big")));
        long expires = System.currentTimeMillis() + HOUR;
        List<Ban> bans = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            bans.add(new Ban("big", IpPrefix.of(IpAddress.ofIpv4(0x0A00_0000 + i)), expires));
        }
        for (int i = 0; i < 5_000; i++) {
            bans.add(new Ban("big", IpPrefix.of(IpAddress.ofIpv6(0x2001_0db8_0000_0000L, i + 1)), expires));
        }
        for (int i = 0; i < 3_000; i++) {
            bans.add(new Ban("big", new IpPrefix(IpAddress.ofIpv4(0x6400_0000 + (i << 8)), 24), expires));
        }
        enforcer.ban(bans);
        assertEquals(30_000, nft.elements("big-v4").size());
        assertEquals(5_000, nft.elements("big-v6").size());
        assertEquals(3_000, nft.elements("big-v4-net").size());
        List<Ban> listed = enforcer.list();
        assertEquals(38_000, listed.size());
        Set<IpPrefix> want = new TreeSet<>();
        bans.forEach(b -> want.add(b.target()));
        Set<IpPrefix> got = new TreeSet<>();
        listed.forEach(b -> got.add(b.target()));
        assertEquals(want, got);
        enforcer.flush("big");
        assertTrue(enforcer.list().isEmpty());
    }

    @Test
    void kernelErrorsNameTheOperationAndTheErrno() throws Exception {
        ns.exec(true, "nft", "add table inet portcullis; add set inet portcullis sshd-v4 { type ipv6_addr; }");
        open();
        EnforcerException e = assertThrows(EnforcerException.class,
                () -> enforcer.scaffold(List.of(JailRule.allPorts("sshd"))));
        assertTrue(e.getMessage().startsWith("scaffold table inet portcullis"), e.getMessage());
        assertTrue(e.getMessage().contains("EEXIST"), e.getMessage());
        assertEquals(Errno.EEXIST, e.errno());
        // nothing was half-done: the batch is atomic
        assertFalse(nft.sets().containsKey("sshd-v6"));
        // and the socket is still usable afterwards
        EnforcerException notScaffolded = assertThrows(EnforcerException.class,
                () -> enforcer.ban(List.of(ban("sshd", "192.0.2.1", Ban.PERMANENT))));
        assertTrue(notScaffolded.getMessage().contains("scaffold"), notScaffolded.getMessage());
        enforcer.scaffold(List.of(JailRule.allPorts("other")));
        enforcer.ban(List.of(ban("other", "192.0.2.1", Ban.PERMANENT)));
        assertEquals(Set.of("192.0.2.1"), nft.elements("other-v4").keySet());
    }

    @Test
    void anOverlapAddedBehindOurBackFailsClearlyAndTheRetryResolvesIt() throws Exception {
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("web")));
        ns.exec(true, "nft", "add element inet portcullis web-v4-net { 10.0.7.0/24 }");
        long now = System.currentTimeMillis();
        List<Ban> wide = List.of(ban("web", "10.0.0.0/16", now + HOUR));
        EnforcerException e = assertThrows(EnforcerException.class, () -> enforcer.ban(wide));
        assertTrue(e.getMessage().startsWith("ban 1 targets: "), e.getMessage());
        assertTrue(e.errno() > 0 && e.getMessage().contains(Errno.name(e.errno())), e.getMessage());
        System.out.println("kernel's answer to an overlapping interval: " + e.getMessage());
        // the failure made the enforcer re-read the set: the retry absorbs the foreign /24
        enforcer.ban(wide);
        assertEquals(Set.of("10.0.0.0/16"), nft.elements("web-v4-net").keySet());
    }

    @Test
    void jailNamesThatAreNotIdentifiersGetSafeDistinctSetNames() throws Exception {
        open();
        String odd = "my jail; drop table";
        enforcer.scaffold(List.of(JailRule.allPorts(odd)));
        enforcer.ban(List.of(ban(odd, "192.0.2.1", Ban.PERMANENT)));
        String base = SetNames.base(odd);
        assertTrue(nft.sets().containsKey(base + "-v4"), nft.sets().toString());
        assertEquals(Set.of("192.0.2.1"), nft.elements(base + "-v4").keySet());
        assertEquals(odd, enforcer.list().get(0).jail());
    }

    @Test
    void aJailNoLongerScaffoldedLosesItsSetsAndRulesAndComesBackEmpty() throws Exception {
        open(new EnforcerSettings("portcullis", BlockType.DROP, true));
        List<JailRule> both = List.of(JailRule.allPorts("a"), JailRule.allPorts("b"));
        enforcer.scaffold(both);
        long now = System.currentTimeMillis();
        enforcer.ban(List.of(ban("a", "192.0.2.1", now + HOUR), ban("a", "2001:db8::/48", Ban.PERMANENT),
                ban("b", "192.0.2.2", now + HOUR), ban("b", "198.51.100.0/24", Ban.PERMANENT), ban("b", "2001:db8::2", now + HOUR)));
        List<String> rulesOfA = nft.rules("input").subList(0, 4);

        enforcer.scaffold(List.of(JailRule.allPorts("a")));
        assertEquals(Set.of("a-v4", "a-v4-net", "a-v6", "a-v6-net"), nft.sets().keySet());
        assertEquals(rulesOfA, nft.rules("input"), "only a's rules are left");
        assertEquals(rulesOfA, nft.rules("forward"));
        assertSeconds(3600, nft.elements("a-v4").get("192.0.2.1").timeoutSeconds());
        assertEquals(Set.of("2001:db8::/48"), nft.elements("a-v6-net").keySet());
        assertEquals(Set.of("a"), new TreeSet<>(enforcer.list().stream().map(Ban::jail).toList()));
        EnforcerException gone = assertThrows(EnforcerException.class,
                () -> enforcer.ban(List.of(ban("b", "192.0.2.3", Ban.PERMANENT))));
        assertTrue(gone.getMessage().contains("jail b is not in the scaffold"), gone.getMessage());

        enforcer.scaffold(both);
        assertEquals(8, nft.sets().size(), nft.sets().toString());
        for (String set : List.of("b-v4", "b-v4-net", "b-v6", "b-v6-net")) {
            assertEquals(Map.of(), nft.elements(set), set + " comes back empty");
        }
        assertEquals(8, nft.rules("input").size());
        assertEquals(Set.of("192.0.2.1"), nft.elements("a-v4").keySet(), "a's bans are intact");
        assertEquals(Set.of("2001:db8::/48"), nft.elements("a-v6-net").keySet());
        enforcer.ban(List.of(ban("b", "192.0.2.2", now + HOUR)));
        assertEquals(Set.of("192.0.2.2"), nft.elements("b-v4").keySet());
    }

    @Test
    void aNewProcessRemovesTheSetsOfJailsDroppedWhileNoneRanAndLeavesOtherSetsAlone() throws Exception {
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("a"), JailRule.allPorts("my jail")));
        enforcer.ban(List.of(ban("my jail", "192.0.2.2", Ban.PERMANENT)));
        enforcer.close();
        enforcer = null;
        ns.exec(true, "nft", "add set inet portcullis operator { type ipv4_addr; }");

        open();
        enforcer.scaffold(List.of(JailRule.allPorts("a")));
        assertEquals(Set.of("a-v4", "a-v4-net", "a-v6", "a-v6-net", "operator"), nft.sets().keySet());
    }

    @Test
    void aDroppedJailsSetStillUsedByAnotherRuleFailsTheWholeScaffoldAndChangesNothing() throws Exception {
        open();
        enforcer.scaffold(List.of(JailRule.allPorts("a"), JailRule.allPorts("b")));
        enforcer.ban(List.of(ban("b", "192.0.2.2", Ban.PERMANENT)));
        ns.exec(true, "nft", "add chain inet portcullis mine");
        ns.exec(true, "nft", "add rule inet portcullis mine ip saddr @b-v4 counter");
        List<String> before = nft.rules("input");

        EnforcerException busy = assertThrows(EnforcerException.class,
                () -> enforcer.scaffold(List.of(JailRule.allPorts("a"), JailRule.allPorts("c"))));
        assertEquals(Errno.EBUSY, busy.errno(), busy.getMessage());
        assertEquals(before, nft.rules("input"), "one transaction: the flush of the rules did not happen either");
        assertFalse(nft.sets().containsKey("c-v4"));
        assertEquals(Set.of("192.0.2.2"), nft.elements("b-v4").keySet());
        enforcer.ban(List.of(ban("b", "192.0.2.3", Ban.PERMANENT)));
        assertEquals(Set.of("192.0.2.2", "192.0.2.3"), nft.elements("b-v4").keySet(), "the enforcer still serves b");
    }
}
