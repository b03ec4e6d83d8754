package ips.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.IpAddress;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoreListTest {
    private static IpAddress ip(String s) {
        return IpAddress.tryParse(s);
    }

    @Test
    void anIgnoreselfProblemIsLoggedOncePerProcessWhileItStaysTheSame() {
        // every jail's list refreshes each minute: eight jails must not log the same line eight times a minute
        String first = "test problem " + System.nanoTime();
        assertTrue(IgnoreList.warnSelfOnce(first));
        assertFalse(IgnoreList.warnSelfOnce(first));
        assertTrue(IgnoreList.warnSelfOnce(first + " (another)"));
        assertTrue(IgnoreList.warnSelfOnce(first));
    }

    @Test
    void aNameThatDoesNotResolveInDefaultsIgnoreipIsSaidOnceNotOncePerJailAndAgainOnlyAfterItResolved() {
        List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("ips.engine.IgnoreList");
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                said.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(h);
        try {
            String name = "gone-" + System.nanoTime() + ".invalid";
            java.util.concurrent.atomic.AtomicBoolean resolves = new java.util.concurrent.atomic.AtomicBoolean();
            IgnoreList.Resolver dns = n -> resolves.get() ? List.of(ip("192.0.2.99")) : List.of();
            List<IgnoreList> jails = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                jails.add(IgnoreList.of(List.of(name), false, dns));
            }
            assertEquals(List.of("ignoreip: " + name + ": does not resolve"), said);
            jails.forEach(IgnoreList::refresh);
            assertEquals(1, said.size(), "a refresh that finds the same problem says nothing: " + said);
            resolves.set(true);
            jails.forEach(IgnoreList::refresh);
            assertTrue(jails.get(0).contains(ip("192.0.2.99")));
            resolves.set(false);
            jails.forEach(IgnoreList::refresh);
            assertEquals(2, said.size(), "said again once it failed again: " + said);
        } finally {
            jul.removeHandler(h);
        }
    }

    @Test
    void saysWhyAnAddressIsIgnoredInFail2bansWords() {
        // filter.py logIgnoreIp: "Ignore ADDR by ignoreself rule|ip|dns"
        IgnoreList l = IgnoreList.of(List.of("10.0.0.0/8", "gw.example"), true,
                name -> name.equals("gw.example") ? List.of(IpAddress.tryParse("198.51.100.9")) : List.of());
        assertEquals("ignoreself rule", l.why(IpAddress.tryParse("127.0.0.1")));
        assertEquals("ip", l.why(IpAddress.tryParse("10.1.2.3")));
        assertEquals("dns", l.why(IpAddress.tryParse("198.51.100.9")));
        assertEquals(null, l.why(IpAddress.tryParse("203.0.113.1")));
    }

    @Test
    void matchesAddressesAndCidrsOfBothFamilies() {
        IgnoreList l = IgnoreList.of(IgnoreList.split("192.0.2.7, 10.0.0.0/8 2001:db8::/32 ::ffff:198.51.100.9"), false, n -> List.of());
        assertTrue(l.contains(ip("192.0.2.7")));
        assertFalse(l.contains(ip("192.0.2.8")));
        assertTrue(l.contains(ip("10.255.1.2")));
        assertFalse(l.contains(ip("11.0.0.0")));
        assertTrue(l.contains(ip("2001:db8:ffff::1")));
        assertFalse(l.contains(ip("2001:db9::1")));
        assertTrue(l.contains(ip("198.51.100.9")));
        assertTrue(l.problems().isEmpty());
    }

    @Test
    void acceptsACidrWithHostBitsOrADottedNetmaskAsFail2banDoes() {
        IgnoreList l = IgnoreList.of(List.of("10.0.0.5/24", "172.16.0.0/255.255.0.0", "192.0.2.0/255.0.255.0"), false,
                n -> List.of());
        assertTrue(l.contains(ip("10.0.0.200")));
        assertTrue(l.contains(ip("172.16.99.1")));
        assertFalse(l.contains(ip("172.17.0.1")));
        assertEquals(1, l.problems().size(), "a non-contiguous netmask is reported");
    }

    @Test
    void resolvesDnsNamesAtLoadAndAgainOnRefresh() {
        AtomicReference<List<IpAddress>> answer = new AtomicReference<>(List.of(ip("203.0.113.1")));
        IgnoreList l = IgnoreList.of(List.of("gw.example.net"), false, n -> answer.get());
        assertTrue(l.contains(ip("203.0.113.1")));
        answer.set(List.of(ip("203.0.113.2")));
        l.refresh();
        assertFalse(l.contains(ip("203.0.113.1")));
        assertTrue(l.contains(ip("203.0.113.2")));
    }

    @Test
    void readsFileListsAndReportsUnreadableOnes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("trusted");
        Files.writeString(f, "# office\n198.51.100.0/24 # vpn\n\n2001:db8::1, 192.0.2.1\n");
        IgnoreList l = IgnoreList.of(List.of("file:" + f, "file:" + dir.resolve("missing")), false, n -> List.of());
        assertTrue(l.contains(ip("198.51.100.77")));
        assertTrue(l.contains(ip("2001:db8::1")));
        assertTrue(l.contains(ip("192.0.2.1")));
        assertEquals(1, l.problems().size());
        Files.writeString(f, "192.0.2.99\n");
        l.refresh();
        assertFalse(l.contains(ip("198.51.100.77")));
        assertTrue(l.contains(ip("192.0.2.99")));
    }

    @Test
    void ignoreselfCoversEveryLocalAddressAndLoopback() throws Exception {
        IgnoreList l = IgnoreList.of(List.of(), true, n -> List.of());
        assertTrue(l.contains(ip("127.0.0.1")));
        assertTrue(l.contains(ip("::1")));
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                assertTrue(l.contains(IpAddress.ofBytes(a.getAddress())), a.toString());
            }
        }
        assertFalse(l.contains(ip("192.0.2.200")));
    }

    @Test
    void agreesWithALinearScanOverManyOverlappingRanges() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        List<String> entries = new ArrayList<>();
        List<ips.api.IpPrefix> prefixes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int len = 8 + r.nextInt(25);
            ips.api.IpPrefix p = ips.api.IpPrefix.covering(IpAddress.ofIpv4(r.nextInt()), len);
            prefixes.add(p);
            entries.add(p.toString());
            ips.api.IpPrefix p6 = ips.api.IpPrefix.covering(IpAddress.ofIpv6(0x20010db8_00000000L | r.nextInt(1 << 16), r.nextLong()), 32 + r.nextInt(97));
            prefixes.add(p6);
            entries.add(p6.toString());
        }
        IgnoreList l = IgnoreList.of(entries, false, n -> List.of());
        for (int i = 0; i < 20_000; i++) {
            IpAddress a = i % 2 == 0 ? IpAddress.ofIpv4(r.nextInt())
                    : IpAddress.ofIpv6(0x20010db8_00000000L | r.nextInt(1 << 16), r.nextLong());
            boolean linear = prefixes.stream().anyMatch(p -> p.contains(a));
            assertEquals(linear, l.contains(a), a.toString());
        }
        Map.of();
    }
}
