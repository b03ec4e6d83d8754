package ips.api;

/**
 * An IPv4 or IPv6 address, immutable. IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are
 * canonicalised to IPv4, so one attacker is one key whichever way a log wrote it.
 *
 * <p>Parsing is total: {@link #parse} throws the checked {@link AddressFormatException} and {@link
 * #tryParse} returns {@code null}; neither throws an unchecked exception for any input. Accepted:
 * dotted-quad IPv4 without leading zeros (as glibc's {@code inet_pton}); IPv6 in every textual form
 * of RFC 4291 (full, {@code ::}-compressed, upper or lower case, embedded dotted quad). Rejected:
 * zone ids ({@code fe80::1%eth0}), brackets, whitespace, anything else.
 */
public final class IpAddress implements Comparable<IpAddress> {
    private final Family family;
    /** IPv6: bits 127..64; IPv4: 0. */
    private final long hi;
    /** IPv6: bits 63..0; IPv4: the address in the low 32 bits. */
    private final long lo;

    private IpAddress(Family family, long hi, long lo) {
        this.family = family;
        this.hi = hi;
        this.lo = lo;
    }

    /** An IPv4 address from its 32 bits. */
    public static IpAddress ofIpv4(int bits) {
        return new IpAddress(Family.IPV4, 0, bits & 0xFFFF_FFFFL);
    }

    /** An IPv6 address from its two halves; a v4-mapped address becomes IPv4. */
    public static IpAddress ofIpv6(long hi, long lo) {
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            return ofIpv4((int) lo);
        }
        return new IpAddress(Family.IPV6, hi, lo);
    }

    /** An address from 4 or 16 network-order bytes. */
    public static IpAddress ofBytes(byte[] b) throws AddressFormatException {
        if (b == null || (b.length != 4 && b.length != 16)) {
            throw new AddressFormatException(b == null ? "null" : b.length + " bytes", "needs 4 or 16 bytes");
        }
        if (b.length == 4) {
            return ofIpv4(readInt(b, 0));
        }
        return ofIpv6(((long) readInt(b, 0) << 32) | (readInt(b, 4) & 0xFFFF_FFFFL),
                ((long) readInt(b, 8) << 32) | (readInt(b, 12) & 0xFFFF_FFFFL));
    }

    private static int readInt(byte[] b, int o) {
        return (b[o] & 0xFF) << 24 | (b[o + 1] & 0xFF) << 16 | (b[o + 2] & 0xFF) << 8 | (b[o + 3] & 0xFF);
    }

    /** Parses the whole text as an address. */
    public static IpAddress parse(CharSequence text) throws AddressFormatException {
        if (text == null) {
            throw new AddressFormatException("", "null");
        }
        return parse(text, 0, text.length());
    }

    /** Parses {@code text[from, to)} as an address. */
    public static IpAddress parse(CharSequence text, int from, int to) throws AddressFormatException {
        if (text == null || from < 0 || to > text.length() || from > to) {
            throw new AddressFormatException(text == null ? "" : text, "range out of bounds");
        }
        Parser p = new Parser(text, from, to);
        IpAddress a = p.parse();
        if (a == null) {
            throw new AddressFormatException(text.subSequence(from, to), p.error);
        }
        return a;
    }

    /** Parses the whole text, or returns {@code null} when it is not an address. */
    public static IpAddress tryParse(CharSequence text) {
        if (text == null) {
            return null;
        }
        return tryParse(text, 0, text.length());
    }

    /** Parses {@code text[from, to)}, or returns {@code null} when it is not an address. */
    public static IpAddress tryParse(CharSequence text, int from, int to) {
        if (text == null || from < 0 || to > text.length() || from > to) {
            return null;
        }
        return new Parser(text, from, to).parse();
    }

    public Family family() {
        return family;
    }

    public boolean isIpv4() {
        return family == Family.IPV4;
    }

    /** IPv4: the 32 bits as an int. */
    public int ipv4Bits() {
        return (int) lo;
    }

    /** The high 64 bits (0 for IPv4). */
    public long high() {
        return hi;
    }

    /** The low 64 bits (for IPv4: the address in the low 32). */
    public long low() {
        return lo;
    }

    /** Network-order bytes: 4 for IPv4, 16 for IPv6. */
    public byte[] toBytes() {
        if (family == Family.IPV4) {
            int v = (int) lo;
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    /** Bit {@code i} counted from the most significant (0) of the address. */
    boolean bit(int i) {
        if (family == Family.IPV4) {
            return ((lo >>> (31 - i)) & 1) != 0;
        }
        return i < 64 ? ((hi >>> (63 - i)) & 1) != 0 : ((lo >>> (127 - i)) & 1) != 0;
    }

    /** This address with every bit past {@code prefixLength} cleared. */
    public IpAddress mask(int prefixLength) {
        int bits = family.bits();
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0.." + bits);
        }
        if (family == Family.IPV4) {
            long m = prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
            return new IpAddress(family, 0, lo & m);
        }
        long mh = prefixLength >= 64 ? -1L : prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
        long ml = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
        return new IpAddress(family, hi & mh, lo & ml);
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = family.compareTo(o.family);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && a.family == family && a.hi == hi && a.lo == lo;
    }

    @Override
    public int hashCode() {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h ^= h >>> 33;
        return (int) h ^ family.ordinal();
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed). */
    @Override
    public String toString() {
        if (family == Family.IPV4) { // a burst prints thousands: no builder
            byte[] b = new byte[15];
            int n = 0;
            for (int shift = 24; shift >= 0; shift -= 8) {
                int o = (int) (lo >>> shift) & 0xFF;
                if (o >= 100) {
                    b[n++] = (byte) ('0' + o / 100);
                }
                if (o >= 10) {
                    b[n++] = (byte) ('0' + o / 10 % 10);
                }
                b[n++] = (byte) ('0' + o % 10);
                if (shift > 0) {
                    b[n++] = '.';
                }
            }
            return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(39);
        appendTo(sb);
        return sb.toString();
    }

    /** Appends the canonical text to {@code sb}. */
    public void appendTo(StringBuilder sb) {
        if (family == Family.IPV4) {
            int v = (int) lo;
            sb.append((v >>> 24) & 0xFF).append('.').append((v >>> 16) & 0xFF).append('.')
                    .append((v >>> 8) & 0xFF).append('.').append(v & 0xFF);
            return;
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            g[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
    }

    /** A one-shot parser over a character range; records why it failed. */
    private static final class Parser {
        private final CharSequence s;
        private final int from;
        private final int to;
        String error = "not an IPv4 or IPv6 address";

        Parser(CharSequence s, int from, int to) {
            this.s = s;
            this.from = from;
            this.to = to;
        }

        IpAddress parse() {
            if (from == to) {
                return fail("empty");
            }
            boolean colon = false;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c == '%') {
                    return fail("zone ids are not accepted");
                }
                if (c == ':') {
                    colon = true;
                }
            }
            if (!colon) {
                long v = ipv4(from, to);
                return v < 0 ? null : ofIpv4((int) v);
            }
            return ipv6();
        }

        private IpAddress fail(String why) {
            error = why;
            return null;
        }

        /** Parses a dotted quad in {@code [a, b)}; returns -1 on failure. */
        long ipv4(int a, int b) {
            long value = 0;
            int parts = 0;
            int i = a;
            while (true) {
                int start = i;
                int octet = 0;
                while (i < b && i - start < 4) {
                    char c = s.charAt(i);
                    if (c < '0' || c > '9') {
                        break;
                    }
                    octet = octet * 10 + (c - '0');
                    i++;
                }
                int len = i - start;
                if (len == 0) {
                    fail("expected a decimal octet at position " + (i - from));
                    return -1;
                }
                if (len > 3 || octet > 255) {
                    fail("octet out of range at position " + (start - from));
                    return -1;
                }
                if (len > 1 && s.charAt(start) == '0') {
                    fail("leading zero in octet at position " + (start - from));
                    return -1;
                }
                value = value << 8 | octet;
                parts++;
                if (parts == 4) {
                    if (i != b) {
                        fail("unexpected text after the fourth octet");
                        return -1;
                    }
                    return value;
                }
                if (i >= b || s.charAt(i) != '.') {
                    fail("expected 4 dot-separated octets");
                    return -1;
                }
                i++;
            }
        }

        private static int hex(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }

        IpAddress ipv6() {
            int[] groups = new int[8];
            int n = 0;
            int gap = -1;
            int i = from;
            if (i + 1 < to && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
                gap = 0;
                i += 2;
            } else if (s.charAt(i) == ':') {
                return fail("a single leading ':'");
            }
            while (i < to) {
                if (n == 8) {
                    return fail("more than 8 groups");
                }
                int start = i;
                int v = 0;
                while (i < to && i - start < 5) {
                    int d = hex(s.charAt(i));
                    if (d < 0) {
                        break;
                    }
                    v = v << 4 | d;
                    i++;
                }
                if (i < to && s.charAt(i) == '.') {
                    // embedded dotted quad: must be the last 32 bits
                    if (n > 6) {
                        return fail("embedded IPv4 leaves no room");
                    }
                    long v4 = ipv4(start, to);
                    if (v4 < 0) {
                        return null;
                    }
                    groups[n++] = (int) (v4 >>> 16);
                    groups[n++] = (int) (v4 & 0xFFFF);
                    i = to;
                    break;
                }
                int len = i - start;
                if (len == 0) {
                    return fail("expected a hex group at position " + (i - from));
                }
                if (len > 4) {
                    return fail("hex group longer than 4 digits at position " + (start - from));
                }
                groups[n++] = v;
                if (i == to) {
                    break;
                }
                if (s.charAt(i) != ':') {
                    return fail("unexpected character '" + s.charAt(i) + "' at position " + (i - from));
                }
                i++;
                if (i < to && s.charAt(i) == ':') {
                    if (gap >= 0) {
                        return fail("more than one '::'");
                    }
                    gap = n;
                    i++;
                } else if (i == to) {
                    return fail("a single trailing ':'");
                }
            }
            if (gap >= 0) {
                if (n == 8) {
                    return fail("'::' stands for no group");
                }
                int move = n - gap;
                System.arraycopy(groups, gap, groups, 8 - move, move);
                for (int k = gap; k < 8 - move; k++) {
                    groups[k] = 0;
                }
            } else if (n != 8) {
                return fail("expected 8 groups, found " + n);
            }
            long h = 0;
            long l = 0;
            for (int k = 0; k < 4; k++) {
                h = h << 16 | groups[k];
                l = l << 16 | groups[4 + k];
            }
            return ofIpv6(h, l);
        }
    }
}
