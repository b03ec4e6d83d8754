package ips.engine;

import ips.api.IpAddress;

/**
 * Turns a failure's id into a tracker key without allocating: the (masked) address bits when the id
 * is the address, else a 128-bit hash of the id (seeded per process, so attackers cannot aim
 * collisions).
 */
final class FailureKey {
    /** Key kinds; never 0. */
    static final int IPV4 = 4;
    static final int IPV6 = 6;
    static final int ID = 9;

    private static final long SEED = new java.util.SplittableRandom().nextLong();

    long hi;
    long lo;
    int kind;

    private FailureKey() {}

    static FailureKey reusable() {
        return new FailureKey();
    }

    /** Sets this key to the address masked to {@code v4Mask}/{@code v6Mask} bits. */
    void setAddress(IpAddress a, int v4Mask, int v6Mask) {
        if (a.isIpv4()) {
            kind = IPV4;
            hi = 0;
            lo = a.low() & (v4Mask == 0 ? 0 : (0xFFFF_FFFFL << (32 - v4Mask)) & 0xFFFF_FFFFL);
        } else {
            kind = IPV6;
            hi = a.high() & highMask(v6Mask);
            lo = a.low() & lowMask(v6Mask);
        }
    }

    static long highMask(int len) {
        return len >= 64 ? -1L : len == 0 ? 0 : -1L << (64 - len);
    }

    static long lowMask(int len) {
        return len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
    }

    /** Sets this key to the 128-bit hash of {@code id}. */
    void setId(CharSequence id) {
        long h1 = SEED ^ 0x243F6A8885A308D3L;
        long h2 = ~SEED ^ 0x13198A2E03707344L;
        int n = id.length();
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            h1 = (h1 ^ c) * 0x100000001B3L;
            h1 = Long.rotateLeft(h1, 29);
            h2 = (h2 + c) * 0x9E3779B97F4A7C15L;
            h2 ^= h2 >>> 31;
        }
        h1 = fmix(h1 ^ n);
        h2 = fmix(h2 + h1);
        hi = h1;
        lo = h2;
        kind = ID;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xFF51AFD7ED558CCDL;
        k ^= k >>> 33;
        k *= 0xC4CEB9FE1A85EC53L;
        k ^= k >>> 33;
        return k;
    }

    /** True when {@code id} is the text of {@code a} (IPv4 checked without allocating). */
    static boolean isAddressText(CharSequence id, IpAddress a) {
        if (a.isIpv4() && isIpv4Text(id, a.ipv4Bits())) {
            return true;
        }
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) == ':') {
                return a.equals(IpAddress.tryParse(id));
            }
        }
        return false;
    }

    private static boolean isIpv4Text(CharSequence id, int v) {
        {
            int at = 0;
            int n = id.length();
            for (int octet = 3; octet >= 0; octet--) {
                int o = (v >>> (8 * octet)) & 0xFF;
                int start = at;
                int value = 0;
                while (at < n && at - start < 3 && id.charAt(at) >= '0' && id.charAt(at) <= '9') {
                    value = value * 10 + id.charAt(at) - '0';
                    at++;
                }
                if (at == start || value != o || (at - start > 1 && id.charAt(start) == '0')) {
                    return false;
                }
                if (octet > 0) {
                    if (at >= n || id.charAt(at) != '.') {
                        return false;
                    }
                    at++;
                }
            }
            return at == n;
        }
    }
}
