package ips.filter.tester;

import ips.api.IpAddress;
import ips.filter.FailureSink;
import ips.filter.FilterFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * fail2ban-regex's {@code usedns} for its summary and {@code -o} (filter.py findFailure, ipdns.py
 * textToIp): a failure whose host is a name (the {@code dns} group, not an address) becomes one
 * failure per address the name resolves to with {@code yes} and {@code warn} (fail2ban-regex's
 * default), none when it resolves to nothing; {@code raw} and {@code -r} keep the name as the
 * failure's id. With {@code no} the regexes are compiled so that {@code <HOST>} matches addresses
 * only ({@link #useDns()}), as fail2ban compiles them. Each name is looked up once per run.
 */
final class HostNames implements FailureSink {
    /** fail2ban's usedns values. */
    enum Use { YES, WARN, NO, RAW }

    private final Use use;
    /** fail2ban-regex's {@code -r}: names kept whatever the usedns. */
    private final boolean raw;
    private final Function<String, List<IpAddress>> lookup;
    private final Map<String, List<IpAddress>> known = new HashMap<>();
    private FailureSink next;
    /** Where {@code usedns = warn}'s warning goes ({@code -l warning}), or null. */
    private java.util.function.Consumer<String> warnings;

    HostNames(Use use, boolean raw, Function<String, List<IpAddress>> lookup) {
        this.use = use;
        this.raw = raw;
        this.lookup = lookup;
    }

    /** filter.py setUseDns: case-insensitive; anything else is refused there and taken as {@code no}. */
    static Use parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes" -> Use.YES;
            case "warn" -> Use.WARN;
            case "no" -> Use.NO;
            case "raw" -> Use.RAW;
            default -> null;
        };
    }

    /** The usedns the regexes are compiled with: {@code no} narrows {@code <HOST>} to addresses, as in fail2ban. */
    String useDns() {
        return use.name().toLowerCase(Locale.ROOT);
    }

    /**
     * With {@code usedns = warn}, each failure resolved from a name is warned about as ipdns.py
     * warns (once per failure, as textToIp does; the lookup itself is made once per name).
     */
    HostNames warningTo(java.util.function.Consumer<String> messages) {
        this.warnings = messages;
        return this;
    }

    /** This sink in front of {@code sink}, or {@code sink} itself when names are kept. */
    FailureSink before(FailureSink sink) {
        if (raw || use == Use.RAW) {
            return sink;
        }
        next = sink;
        return this;
    }

    @Override
    public void accept(long lineNo, FilterFailure f) {
        Object dns = f.fields().get("dns");
        // dns first: a failure on an ip4/ip6 group has none, and its address is then never parsed
        if (raw || use == Use.RAW || dns == null || f.address() != null || f.fid() == null || !f.fid().equals(dns)) {
            next.accept(lineNo, f);
            return;
        }
        if (use == Use.NO) {
            return;
        }
        List<IpAddress> addresses = known.get(f.fid());
        if (addresses == null) {
            addresses = lookUp(f.fid());
            known.put(f.fid(), addresses);
        }
        if (use == Use.WARN && warnings != null && !addresses.isEmpty()) {
            warnings.accept(ips.filter.PyQuote.dnsLookupWarning(f.fid(), addresses));
        }
        for (IpAddress a : addresses) {
            next.accept(lineNo, new FilterFailure(f.regex(), a.toString(), a, f.timeMillis(), f.nofail(), f.fields()));
        }
    }

    /**
     * {@code name}'s addresses; none when it does not resolve, which, when the lookup failed
     * ({@link ips.api.HostLookup.Unresolved}), is warned about as ipdns.py dnsToIp warns ("Unable to
     * find a corresponding IP address for NAME: [Errno -2] Name or service not known").
     */
    private List<IpAddress> lookUp(String name) {
        try {
            return lookup.apply(name);
        } catch (ips.api.HostLookup.Unresolved e) {
            if (warnings != null) {
                warnings.accept(ips.filter.PyQuote.dnsUnresolvedWarning(name, e.reason()));
            }
            return List.of();
        }
    }

    /**
     * The system resolver (getaddrinfo through the JDK), as ipdns.py dnsToIp: every address, each
     * once; throws {@link ips.api.HostLookup.Unresolved} with the resolver's reason when there are none.
     */
    static List<IpAddress> systemLookup(String name) {
        return ips.api.HostLookup.orFail(name);
    }
}
