package ips.filter;

import ips.api.IpAddress;
import java.util.Map;
import java.util.Objects;

/**
 * One element of fail2ban's {@code processLine} result: {@code [failRegexIndex, fid, date, fail]}.
 *
 * <p>A failure whose id is the address its regex captured parses that text on the first call to
 * {@link #fid()} or {@link #address()}, not when it is found: test-filter's summary only counts
 * failures per regex and never asks (on sshd's 1M-line bench, 150k hits each parsed an address
 * that no one read).
 */
public final class FilterFailure {
    public static final long NO_TIME = Long.MIN_VALUE;

    private final int regex;
    private final long timeMillis;
    private final boolean nofail;
    private final Map<String, Object> fields;
    /** The captured address text an id is made of on first use, or null when {@link #id} is given. */
    private final String ipText;
    private final int cidr;
    private final boolean ipv4Group;
    /** The id and address; made from {@link #ipText} on first use (final fields: safe to share). */
    private Id id;

    private record Id(String fid, IpAddress address) {}

    /** The time is a Python int in fail2ban ({@link ips.filter.date.DateMatch#wholeSeconds}); set by the matcher. */
    boolean wholeSeconds;

    /** fail2ban's time is whole seconds, an int, not a float: {@code -o row} writes it without ".0". */
    public boolean wholeSeconds() {
        return wholeSeconds;
    }

    /**
     * @param regex index of the failregex that matched
     * @param fid the failure id as fail2ban prints it (an address in canonical form, or the raw
     *     {@code <F-ID>}/{@code dns} text), or null for a pending multi-line failure without id
     * @param address the address to ban, or null when the id is not an address
     * @param timeMillis the failure's time, or {@link #NO_TIME}
     * @param nofail fail2ban's {@code nofail} (a helper match that is not a failure)
     * @param fields fail2ban's failure dict: every named group ({@code ip4}, {@code user}, …, null
     *     when it did not participate), {@code matches} (list of {@link LogTuple}), {@code users} (set) …
     */
    public FilterFailure(int regex, String fid, IpAddress address, long timeMillis, boolean nofail,
            Map<String, Object> fields) {
        this(regex, null, -1, false, timeMillis, nofail, fields);
        this.id = new Id(fid, address);
    }

    private FilterFailure(int regex, String ipText, int cidr, boolean ipv4Group, long timeMillis, boolean nofail,
            Map<String, Object> fields) {
        this.regex = regex;
        this.ipText = ipText;
        this.cidr = cidr;
        this.ipv4Group = ipv4Group;
        this.timeMillis = timeMillis;
        this.nofail = nofail;
        this.fields = fields;
    }

    /**
     * A failure whose id is the address text {@code ip} (fail2ban's {@code IPAddr(ip, cidr).ntoa},
     * made on first use): {@code cidr} as captured or -1, {@code ipv4Group} when it came from
     * {@code ip4}.
     */
    static FilterFailure ofAddressText(int regex, String ip, int cidr, boolean ipv4Group, long timeMillis,
            boolean nofail, Map<String, Object> fields) {
        return new FilterFailure(regex, Objects.requireNonNull(ip), cidr, ipv4Group, timeMillis, nofail, fields);
    }

    private Id id() {
        Id i = id;
        if (i == null) {
            IpAddress a = IpAddress.tryParse(ipText);
            i = new Id(FilterMatcher.ntoa(ipText, a, cidr, ipv4Group), a);
            id = i;
        }
        return i;
    }

    /** Index of the failregex that matched. */
    public int regex() {
        return regex;
    }

    /**
     * The failure id as fail2ban prints it (an address in canonical form, or the raw {@code
     * <F-ID>}/{@code dns} text), or null for a pending multi-line failure without id.
     */
    public String fid() {
        return id().fid();
    }

    /** The address to ban, or null when the id is not an address. */
    public IpAddress address() {
        return id().address();
    }

    /** The failure's time, or {@link #NO_TIME}. */
    public long timeMillis() {
        return timeMillis;
    }

    /** fail2ban's {@code nofail}: a helper match that is not a failure. */
    public boolean nofail() {
        return nofail;
    }

    /**
     * fail2ban's failure dict: every named group ({@code ip4}, {@code user}, …, null when it did
     * not participate), {@code matches} (list of {@link LogTuple}), {@code users} (set) …
     */
    public Map<String, Object> fields() {
        return fields;
    }

    /**
     * The failure as the engine counts it, or null when fail2ban would not count it (nofail, or no
     * id yet). A failure without a time gets {@code nowMillis}.
     */
    public ips.api.Failure toFailure(String jail, long nowMillis) {
        if (!isFailure()) {
            return null;
        }
        return new ips.api.Failure(jail, fid(), address(), timeMillis == NO_TIME ? nowMillis : timeMillis);
    }

    /** fail2ban counts this: not nofail and has an id. */
    public boolean isFailure() {
        return !nofail && fid() != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FilterFailure f && regex == f.regex && timeMillis == f.timeMillis && nofail == f.nofail
                && Objects.equals(fid(), f.fid()) && Objects.equals(address(), f.address())
                && Objects.equals(fields, f.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(regex, fid(), address(), timeMillis, nofail, fields);
    }

    @Override
    public String toString() {
        return "FilterFailure[regex=" + regex + ", fid=" + fid() + ", address=" + address() + ", timeMillis="
                + timeMillis + ", nofail=" + nofail + ", fields=" + fields + "]";
    }
}
