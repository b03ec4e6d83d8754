package ips.api;

/** An address family: IPv4 or IPv6. */
public enum Family {
    IPV4(32, 4),
    IPV6(128, 16);

    private final int bits;
    private final int bytes;

    Family(int bits, int bytes) {
        this.bits = bits;
        this.bytes = bytes;
    }

    /** Address width in bits (32 or 128). */
    public int bits() {
        return bits;
    }

    /** Address width in bytes (4 or 16). */
    public int bytes() {
        return bytes;
    }
}
