package ips.api;

/**
 * A CIDR prefix: a network address and a length. A single address is a prefix of full length
 * ({@code /32} or {@code /128}). Host bits beyond the length are rejected when parsing, never
 * silently cleared, because a ban on {@code 10.0.0.5/24} is almost certainly a mistake to report.
 */
public record IpPrefix(IpAddress address, int length) implements Comparable<IpPrefix> {

    public IpPrefix {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        if (length < 0 || length > address.family().bits()) {
            throw new IllegalArgumentException("prefix length " + length + " outside 0.." + address.family().bits());
        }
        if (!address.mask(length).equals(address)) {
            throw new IllegalArgumentException("host bits set beyond /" + length + " in " + address);
        }
    }

    /** The prefix holding just {@code address}. */
    public static IpPrefix of(IpAddress address) {
        return new IpPrefix(address, address.family().bits());
    }

    /** The prefix of {@code length} bits that contains {@code address} (host bits cleared). */
    public static IpPrefix covering(IpAddress address, int length) {
        return new IpPrefix(address.mask(Math.min(length, address.family().bits())),
                Math.min(length, address.family().bits()));
    }

    /**
     * Parses {@code a.b.c.d}, {@code a.b.c.d/n}, an IPv6 address, or {@code ipv6/n}. An IPv4-mapped
     * IPv6 prefix ({@code ::ffff:10.0.0.0/104}) becomes the IPv4 prefix ({@code 10.0.0.0/8}).
     */
    public static IpPrefix parse(CharSequence text) throws AddressFormatException {
        if (text == null) {
            throw new AddressFormatException("", "null");
        }
        int slash = -1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '/') {
                if (slash >= 0) {
                    throw new AddressFormatException(text, "more than one '/'");
                }
                slash = i;
            }
        }
        if (slash < 0) {
            return of(IpAddress.parse(text));
        }
        IpAddress a = IpAddress.parse(text, 0, slash);
        int len = 0;
        int digits = text.length() - slash - 1;
        if (digits < 1 || digits > 3) {
            throw new AddressFormatException(text, "prefix length must be 1 to 3 decimal digits");
        }
        for (int i = slash + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new AddressFormatException(text, "prefix length is not a decimal number");
            }
            len = len * 10 + (c - '0');
        }
        if (digits > 1 && text.charAt(slash + 1) == '0') {
            throw new AddressFormatException(text, "leading zero in prefix length");
        }
        boolean mapped = a.isIpv4() && isMappedText(text, slash);
        if (mapped) {
            if (len < 96) {
                throw new AddressFormatException(text, "IPv4-mapped prefix shorter than /96");
            }
            len -= 96;
        }
        int max = a.family().bits();
        if (len > max) {
            throw new AddressFormatException(text, "prefix length " + len + " exceeds " + max);
        }
        if (!a.mask(len).equals(a)) {
            throw new AddressFormatException(text, "host bits set beyond /" + (mapped ? len + 96 : len));
        }
        return new IpPrefix(a, len);
    }

    /** Parses, or returns {@code null} for anything that is not a valid prefix. */
    public static IpPrefix tryParse(CharSequence text) {
        try {
            return parse(text);
        } catch (AddressFormatException e) {
            return null;
        }
    }

    private static boolean isMappedText(CharSequence text, int end) {
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == ':') {
                return true;
            }
        }
        return false;
    }

    public Family family() {
        return address.family();
    }

    /** True when this prefix is a single address (/32 or /128). */
    public boolean isSingleAddress() {
        return length == address.family().bits();
    }

    /** True when {@code a} lies inside this prefix. */
    public boolean contains(IpAddress a) {
        return a.family() == family() && a.mask(length).equals(address);
    }

    /** True when {@code other} lies wholly inside this prefix. */
    public boolean contains(IpPrefix other) {
        return other.family() == family() && other.length >= length && contains(other.address);
    }

    /** True when the two prefixes share at least one address. */
    public boolean overlaps(IpPrefix other) {
        return contains(other) || other.contains(this);
    }

    /** The last address inside the prefix (all host bits set). */
    public IpAddress lastAddress() {
        if (family() == Family.IPV4) {
            long host = length == 32 ? 0 : (1L << (32 - length)) - 1;
            return IpAddress.ofIpv4((int) (address.low() | host));
        }
        long hh = length >= 64 ? 0 : length == 0 ? -1L : (-1L >>> length);
        long hl = length >= 128 ? 0 : length <= 64 ? -1L : (-1L >>> (length - 64));
        return IpAddress.ofIpv6(address.high() | hh, address.low() | hl);
    }

    @Override
    public int compareTo(IpPrefix o) {
        int c = address.compareTo(o.address);
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    /** {@code a.b.c.d} for a single address, {@code a.b.c.d/n} otherwise. */
    @Override
    public String toString() {
        return isSingleAddress() ? address.toString() : address + "/" + length;
    }
}
