package ips.engine;

import ips.api.Family;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Function;

/**
 * fail2ban's {@code ignoreip} and {@code ignoreself} ({@code filter.py} {@code addIgnoreIP},
 * {@code inIgnoreIPList}): addresses, CIDR prefixes, DNS names resolved when built and again on
 * {@link #refresh()}, and {@code file:/path} lists (one entry a line, {@code #} comments) read the
 * same way. Lookup is a binary search over merged, sorted ranges held in {@code long[]}s: no
 * allocation, O(log n).
 *
 * <p>Lookups may run on any thread while {@link #refresh()} runs on another: a refresh swaps one
 * immutable snapshot in.
 */
public final class IgnoreList {
    /** Resolves a DNS name to its addresses (empty when it does not resolve). */
    public interface Resolver extends Function<String, List<IpAddress>> {}

    /** The system resolver ({@link ips.api.HostLookup#system}). */
    public static final Resolver SYSTEM_RESOLVER = ips.api.HostLookup::system;

    /** An empty list. */
    public static final IgnoreList NONE = new IgnoreList(List.of(), false, name -> List.of());

    private static final System.Logger LOG = System.getLogger("ips.engine.IgnoreList");

    private final List<String> entries;
    private final boolean ignoreSelf;
    private final Resolver resolver;
    private volatile Ranges ranges;
    /** What {@link #why} tells apart: the host's own addresses and the entries that were host names. */
    private volatile Ranges self;
    private volatile Ranges names;
    private volatile List<String> problems = List.of();

    private IgnoreList(List<String> entries, boolean ignoreSelf, Resolver resolver) {
        this.entries = List.copyOf(entries);
        this.ignoreSelf = ignoreSelf;
        this.resolver = resolver;
        refresh();
    }

    /**
     * Builds the list from {@code ignoreip} entries (already split on whitespace or commas) and
     * {@code ignoreself}. Entries that neither parse, resolve nor read are kept for the next refresh
     * and reported by {@link #problems()}.
     */
    public static IgnoreList of(List<String> entries, boolean ignoreSelf, Resolver resolver) {
        return new IgnoreList(entries, ignoreSelf, resolver == null ? SYSTEM_RESOLVER : resolver);
    }

    /** Splits an {@code ignoreip} value the way fail2ban does (spaces and commas). */
    public static List<String> split(String ignoreip) {
        List<String> out = new ArrayList<>();
        if (ignoreip != null) {
            for (String s : ignoreip.split("[\\s,]+")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** Re-resolves DNS names, re-reads files and local addresses; call it from the periodic tick. */
    public void refresh() {
        List<IpPrefix> prefixes = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        List<IpPrefix> resolved = new ArrayList<>();
        for (String e : entries) {
            add(e, prefixes, bad, 0, resolved);
        }
        List<IpPrefix> own = new ArrayList<>();
        if (ignoreSelf) {
            addSelf(own);
            prefixes.addAll(own);
        }
        self = Ranges.of(own);
        names = Ranges.of(resolved);
        ranges = Ranges.of(prefixes);
        if (!bad.equals(problems)) {
            // [DEFAULT]'s ignoreip is every jail's: each problem is said once, not once per jail,
            // and again only after it went away
            problems.stream().filter(p -> !bad.contains(p)).forEach(SAID::remove);
            List<String> fresh = bad.stream().filter(p -> SAID.putIfAbsent(p, Boolean.TRUE) == null).toList();
            if (!fresh.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "ignoreip: " + String.join("; ", fresh));
            }
        }
        problems = List.copyOf(bad);
    }

    /** The ignoreip problems said by some list and not gone since (see {@link #refresh}). */
    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> SAID = new java.util.concurrent.ConcurrentHashMap<>();

    private void add(String e, List<IpPrefix> out, List<String> bad, int depth, List<IpPrefix> resolvedNames) {
        if (e.startsWith("file:")) {
            if (depth > 0) {
                bad.add(e + ": a file: list may not name another file");
                return;
            }
            Path p = Path.of(e.substring(5));
            try {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    int hash = line.indexOf('#');
                    String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
                    for (String part : split(l)) {
                        add(part, out, bad, depth + 1, resolvedNames);
                    }
                }
            } catch (IOException | RuntimeException ex) {
                bad.add(e + ": cannot read (" + ex.getMessage() + ")");
            }
            return;
        }
        IpPrefix p = IpPrefix.tryParse(e);
        if (p == null && e.indexOf('/') > 0) {
            // fail2ban accepts "10.0.0.5/24" (host bits set): widen to the network
            IpAddress a = IpAddress.tryParse(e.substring(0, e.indexOf('/')));
            try {
                String suffix = e.substring(e.indexOf('/') + 1);
                IpAddress mask = suffix.indexOf('.') >= 0 ? IpAddress.tryParse(suffix) : null;
                // fail2ban also takes a dotted netmask: 192.168.0.0/255.255.0.0
                int len = mask != null && mask.isIpv4() ? maskLength(mask.ipv4Bits()) : Integer.parseInt(suffix);
                if (a != null && len >= 0 && len <= a.family().bits()) {
                    p = IpPrefix.covering(a, len);
                }
            } catch (NumberFormatException ignored) {
                // falls through to DNS/bad
            }
        }
        if (p != null) {
            out.add(p);
            return;
        }
        if (isHostName(e)) {
            List<IpAddress> resolved = resolver.apply(e);
            if (resolved == null || resolved.isEmpty()) {
                bad.add(e + ": does not resolve");
            } else {
                for (IpAddress a : resolved) {
                    out.add(IpPrefix.of(a));
                    resolvedNames.add(IpPrefix.of(a));
                }
            }
            return;
        }
        bad.add(e + ": not an address, prefix, host name or file: list");
    }

    /** The prefix length of a contiguous IPv4 netmask, or -1. */
    private static int maskLength(int mask) {
        int len = Integer.bitCount(mask);
        return mask == (len == 0 ? 0 : -1 << (32 - len)) ? len : -1;
    }

    private static boolean isHostName(String s) {
        if (s.isEmpty() || s.length() > 253) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static void addSelf(List<IpPrefix> out) {
        // fail2ban's ignoreself: the local addresses, loopback included
        out.add(IpPrefix.tryParse("127.0.0.0/8"));
        out.add(IpPrefix.tryParse("::1"));
        try {
            Enumeration<NetworkInterface> ifs = NetworkInterface.getNetworkInterfaces();
            while (ifs != null && ifs.hasMoreElements()) {
                Enumeration<InetAddress> as = ifs.nextElement().getInetAddresses();
                while (as.hasMoreElements()) {
                    InetAddress a = as.nextElement();
                    byte[] b = a.getAddress();
                    try {
                        out.add(IpPrefix.of(IpAddress.ofBytes(b)));
                    } catch (ips.api.AddressFormatException ignored) {
                        // not an IP address
                    }
                }
            }
        } catch (SocketException e) {
            // The JDK throws when the host has no interface with an address (a fresh network
            // namespace): the loopback ranges above are all there is to ignore then.
            if (!NO_INTERFACES.equals(e.getMessage())) {
                warnSelfOnce(e.getMessage());
            }
        }
    }

    /** The JDK's message for a host with no configured interface (not an error). */
    static final String NO_INTERFACES = "No network interfaces configured";

    /** The last ignoreself problem logged: every jail refreshes its list each minute, one line is enough. */
    private static final java.util.concurrent.atomic.AtomicReference<String> LAST_SELF_PROBLEM =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Logs an ignoreself problem once per process while it stays the same; true when it was logged. */
    static boolean warnSelfOnce(String problem) {
        String p = String.valueOf(problem);
        if (p.equals(LAST_SELF_PROBLEM.getAndSet(p))) {
            return false;
        }
        LOG.log(System.Logger.Level.WARNING, "ignoreself: cannot list network interfaces: " + p
                + " (the loopback ranges are still ignored)");
        return true;
    }

    /** True when the address must never be counted nor banned. */
    public boolean contains(IpAddress a) {
        return a != null && ranges.contains(a.isIpv4(), a.high(), a.low());
    }

    /**
     * Why fail2ban would ignore {@code a}, in the words of its "Ignore ADDR by ..." line ({@code
     * ignoreself rule}, {@code ip}, {@code dns}), or null when the list does not hold it.
     */
    public String why(IpAddress a) {
        if (!contains(a)) {
            return null;
        }
        Ranges s = self;
        if (s != null && s.contains(a.isIpv4(), a.high(), a.low())) {
            return "ignoreself rule";
        }
        Ranges n = names;
        return n != null && n.contains(a.isIpv4(), a.high(), a.low()) ? "dns" : "ip";
    }

    /** True for the address given as bits ({@code ipv4}: the address in the low 32 bits of lo). */
    public boolean contains(boolean ipv4, long hi, long lo) {
        return ranges.contains(ipv4, hi, lo);
    }

    /** Entries that did not parse, resolve or read at the last refresh. */
    public List<String> problems() {
        return problems;
    }

    /** How many merged ranges the list holds now. */
    public int rangeCount() {
        return ranges.count();
    }

    /** Merged, sorted, disjoint ranges per family. IPv4 in v4Lo/v4Hi; IPv6 as (hi, lo) pairs. */
    private record Ranges(long[] v4Start, long[] v4End, long[] v6StartHi, long[] v6StartLo, long[] v6EndHi, long[] v6EndLo) {
        static Ranges of(List<IpPrefix> prefixes) {
            List<long[]> v4 = new ArrayList<>();
            List<long[]> v6 = new ArrayList<>();
            for (IpPrefix p : prefixes) {
                IpAddress last = p.lastAddress();
                if (p.family() == Family.IPV4) {
                    v4.add(new long[] {p.address().low(), last.low()});
                } else {
                    v6.add(new long[] {p.address().high(), p.address().low(), last.high(), last.low()});
                }
            }
            v4.sort(Comparator.comparingLong(r -> r[0]));
            List<long[]> m4 = new ArrayList<>();
            for (long[] r : v4) {
                long[] top = m4.isEmpty() ? null : m4.get(m4.size() - 1);
                if (top != null && r[0] <= top[1] + 1) {
                    top[1] = Math.max(top[1], r[1]);
                } else {
                    m4.add(r);
                }
            }
            v6.sort((x, y) -> cmp(x[0], x[1], y[0], y[1]));
            List<long[]> m6 = new ArrayList<>();
            for (long[] r : v6) {
                long[] top = m6.isEmpty() ? null : m6.get(m6.size() - 1);
                if (top != null && cmp(r[0], r[1], top[2], top[3]) <= 0) {
                    if (cmp(r[2], r[3], top[2], top[3]) > 0) {
                        top[2] = r[2];
                        top[3] = r[3];
                    }
                } else {
                    m6.add(r);
                }
            }
            long[] s4 = new long[m4.size()];
            long[] e4 = new long[m4.size()];
            for (int i = 0; i < s4.length; i++) {
                s4[i] = m4.get(i)[0];
                e4[i] = m4.get(i)[1];
            }
            int n6 = m6.size();
            long[] sh = new long[n6];
            long[] sl = new long[n6];
            long[] eh = new long[n6];
            long[] el = new long[n6];
            for (int i = 0; i < n6; i++) {
                long[] r = m6.get(i);
                sh[i] = r[0];
                sl[i] = r[1];
                eh[i] = r[2];
                el[i] = r[3];
            }
            return new Ranges(s4, e4, sh, sl, eh, el);
        }

        static int cmp(long ah, long al, long bh, long bl) {
            int c = Long.compareUnsigned(ah, bh);
            return c != 0 ? c : Long.compareUnsigned(al, bl);
        }

        int count() {
            return v4Start.length + v6StartHi.length;
        }

        boolean contains(boolean ipv4, long hi, long lo) {
            if (ipv4) {
                // last range whose start <= lo
                int a = 0;
                int b = v4Start.length - 1;
                int found = -1;
                while (a <= b) {
                    int m = (a + b) >>> 1;
                    if (v4Start[m] <= lo) {
                        found = m;
                        a = m + 1;
                    } else {
                        b = m - 1;
                    }
                }
                return found >= 0 && lo <= v4End[found];
            }
            int a = 0;
            int b = v6StartHi.length - 1;
            int found = -1;
            while (a <= b) {
                int m = (a + b) >>> 1;
                if (cmp(v6StartHi[m], v6StartLo[m], hi, lo) <= 0) {
                    found = m;
                    a = m + 1;
                } else {
                    b = m - 1;
                }
            }
            return found >= 0 && cmp(hi, lo, v6EndHi[found], v6EndLo[found]) <= 0;
        }
    }

    @Override
    public String toString() {
        return "IgnoreList" + entries + (ignoreSelf ? " + self" : "");
    }


}
