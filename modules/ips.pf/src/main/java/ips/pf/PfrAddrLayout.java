package ips.pf;

import ips.api.AddressFormatException;
import ips.api.Family;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code struct pfr_addr} from {@code sys/net/pfvar.h} (20 bytes, 4-aligned):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  pfra_u: in_addr (4) or in6_addr (16), network order          |  0
 * |                            ...                                |  4..15
 * +---------------+---------------+---------------+---------------+
 * |    pfra_af    |   pfra_net    |   pfra_not    |  pfra_fback   | 16
 * +---------------+---------------+---------------+---------------+
 * </pre>
 *
 * The kernel rejects (EINVAL) any set bit past {@code pfra_net}, including unused union bytes, so
 * every encode clears the whole element first.
 */
final class PfrAddrLayout {
    /** netinet/in.h / sys/socket.h: {@code AF_INET}. */
    static final byte AF_INET = 2;
    /** sys/socket.h on FreeBSD: {@code AF_INET6} is 28 (not Linux's 10). */
    static final byte AF_INET6 = 28;

    /** pfvar.h: {@code PFR_FB_NONE}, no feedback / already present. */
    static final byte PFR_FB_NONE = 0;
    /** pfvar.h: {@code PFR_FB_MATCH}. */
    static final byte PFR_FB_MATCH = 1;
    /** pfvar.h: {@code PFR_FB_ADDED}, newly inserted by this request. */
    static final byte PFR_FB_ADDED = 2;
    /** pfvar.h: {@code PFR_FB_DELETED}. */
    static final byte PFR_FB_DELETED = 3;
    /** pfvar.h: {@code PFR_FB_CHANGED}. */
    static final byte PFR_FB_CHANGED = 4;
    /** pfvar.h: {@code PFR_FB_CLEARED}. */
    static final byte PFR_FB_CLEARED = 5;
    /** pfvar.h: {@code PFR_FB_DUPLICATE}, listed twice in the same request. */
    static final byte PFR_FB_DUPLICATE = 6;
    /** pfvar.h: {@code PFR_FB_NOTMATCH}. */
    static final byte PFR_FB_NOTMATCH = 7;
    /** pfvar.h: {@code PFR_FB_CONFLICT}, present with the opposite {@code pfra_not}. */
    static final byte PFR_FB_CONFLICT = 8;

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("pfra_u"),
            ValueLayout.JAVA_BYTE.withName("pfra_af"),
            ValueLayout.JAVA_BYTE.withName("pfra_net"),
            ValueLayout.JAVA_BYTE.withName("pfra_not"),
            ValueLayout.JAVA_BYTE.withName("pfra_fback"))
            .withByteAlignment(4)
            .withName("pfr_addr");

    static final long SIZE = LAYOUT.byteSize();
    static final long PFRA_U = offset("pfra_u");
    static final long PFRA_AF = offset("pfra_af");
    static final long PFRA_NET = offset("pfra_net");
    static final long PFRA_NOT = offset("pfra_not");
    static final long PFRA_FBACK = offset("pfra_fback");

    private static final ValueLayout.OfInt INT_BE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private PfrAddrLayout() {
    }

    private static long offset(String field) {
        return LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** Writes {@code target} as element {@code index} of a {@code pfr_addr} array. */
    static void encode(MemorySegment array, long index, IpPrefix target) {
        long base = index * SIZE;
        array.asSlice(base, SIZE).fill((byte) 0);
        IpAddress a = target.address();
        if (a.isIpv4()) {
            array.set(INT_BE, base + PFRA_U, a.ipv4Bits());
            array.set(ValueLayout.JAVA_BYTE, base + PFRA_AF, AF_INET);
        } else {
            array.set(LONG_BE, base + PFRA_U, a.high());
            array.set(LONG_BE, base + PFRA_U + 8, a.low());
            array.set(ValueLayout.JAVA_BYTE, base + PFRA_AF, AF_INET6);
        }
        array.set(ValueLayout.JAVA_BYTE, base + PFRA_NET, (byte) target.length());
    }

    static byte af(MemorySegment array, long index) {
        return array.get(ValueLayout.JAVA_BYTE, index * SIZE + PFRA_AF);
    }

    static int net(MemorySegment array, long index) {
        return array.get(ValueLayout.JAVA_BYTE, index * SIZE + PFRA_NET) & 0xFF;
    }

    static byte not(MemorySegment array, long index) {
        return array.get(ValueLayout.JAVA_BYTE, index * SIZE + PFRA_NOT);
    }

    static byte fback(MemorySegment array, long index) {
        return array.get(ValueLayout.JAVA_BYTE, index * SIZE + PFRA_FBACK);
    }

    /**
     * Reads element {@code index} back as a prefix, or returns {@code null} when the kernel handed
     * back something that is not a valid prefix (unknown family, bad length, host bits).
     */
    static IpPrefix decode(MemorySegment array, long index) {
        long base = index * SIZE;
        byte af = array.get(ValueLayout.JAVA_BYTE, base + PFRA_AF);
        int net = array.get(ValueLayout.JAVA_BYTE, base + PFRA_NET) & 0xFF;
        IpAddress a;
        if (af == AF_INET) {
            a = IpAddress.ofIpv4(array.get(INT_BE, base + PFRA_U));
        } else if (af == AF_INET6) {
            byte[] b = new byte[16];
            MemorySegment.copy(array, ValueLayout.JAVA_BYTE, base + PFRA_U, b, 0, 16);
            try {
                a = IpAddress.ofBytes(b);
            } catch (AddressFormatException e) {
                return null;
            }
            if (a.isIpv4()) {
                // ::ffff:a.b.c.d in an IPv6 entry: keep the v6 view (prefix length is v6)
                if (net < 96) {
                    return null;
                }
                return IpPrefix.tryParse("::ffff:" + a + "/" + net);
            }
        } else {
            return null;
        }
        Family f = a.family();
        if (net > f.bits() || !a.mask(net).equals(a)) {
            return null;
        }
        return new IpPrefix(a, net);
    }
}
