package ips.pf;

import ips.api.IpAddress;
import ips.api.IpPrefix;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code struct pfioc_state_kill} from {@code sys/net/pfvar.h} of FreeBSD 13 and 14 (224 bytes,
 * 8-aligned), the argument of {@code DIOCKILLSTATES}, and the structures inside it:
 *
 * <pre>
 * struct pf_addr      { union { in_addr v4; in6_addr v6; u8[16]; u16[8]; u32[4]; } pfa; }      16
 * struct pf_addr_wrap { union { struct { pf_addr addr, mask; } a; char ifname[16];
 *                               char tblname[32]; } v;                                     0   32
 *                       union { void *dyn; void *tbl; int dyncnt; int tblcnt; } p;        32    8
 *                       u_int8_t type; u_int8_t iflags; }                                 40, 41 -> 48
 * struct pf_rule_addr { pf_addr_wrap addr; u_int16_t port[2]; u_int8_t neg, port_op; }    48, 52, 53 -> 56
 * struct pf_state_cmp { u_int64_t id; u_int32_t creatorid; u_int8_t direction, pad[3]; }  16
 * struct pfioc_state_kill {
 *     pf_state_cmp psk_pfcmp;      0      sa_family_t psk_af;  16 (u_int8_t on FreeBSD)
 *     int psk_proto;              20      pf_rule_addr psk_src; 24   pf_rule_addr psk_dst; 80
 *     char psk_ifname[IFNAMSIZ]; 136     char psk_label[PF_RULE_LABEL_SIZE]; 152
 *     u_int psk_killed;          216  }                                                  -> 224
 * </pre>
 */
final class PfiocStateKillLayout {
    /** net/if.h: {@code IFNAMSIZ}. */
    static final int IFNAMSIZ = 16;
    /** pfvar.h: {@code PF_RULE_LABEL_SIZE}. */
    static final int PF_RULE_LABEL_SIZE = 64;
    /** pf.h: {@code PF_ADDR_ADDRMASK}, an address and a mask. */
    static final byte PF_ADDR_ADDRMASK = 0;

    static final StructLayout PF_ADDR = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_INT).withName("addr32"))
            .withName("pf_addr");

    static final StructLayout PF_ADDR_WRAP = MemoryLayout.structLayout(
            MemoryLayout.unionLayout(
                    MemoryLayout.structLayout(PF_ADDR.withName("addr"), PF_ADDR.withName("mask")).withName("a"),
                    MemoryLayout.sequenceLayout(IFNAMSIZ, ValueLayout.JAVA_BYTE).withName("ifname"),
                    MemoryLayout.sequenceLayout(PfrTableLayout.PF_TABLE_NAME_SIZE, ValueLayout.JAVA_BYTE).withName("tblname"))
                    .withName("v"),
            MemoryLayout.unionLayout(
                    ValueLayout.ADDRESS.withName("dyn"),
                    ValueLayout.ADDRESS.withName("tbl"),
                    ValueLayout.JAVA_INT.withName("dyncnt"),
                    ValueLayout.JAVA_INT.withName("tblcnt"))
                    .withName("p"),
            ValueLayout.JAVA_BYTE.withName("type"),
            ValueLayout.JAVA_BYTE.withName("iflags"),
            MemoryLayout.paddingLayout(6))
            .withName("pf_addr_wrap");

    static final StructLayout PF_RULE_ADDR = MemoryLayout.structLayout(
            PF_ADDR_WRAP.withName("addr"),
            MemoryLayout.sequenceLayout(2, ValueLayout.JAVA_SHORT).withName("port"),
            ValueLayout.JAVA_BYTE.withName("neg"),
            ValueLayout.JAVA_BYTE.withName("port_op"),
            MemoryLayout.paddingLayout(2))
            .withName("pf_rule_addr");

    static final StructLayout PF_STATE_CMP = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("id"),
            ValueLayout.JAVA_INT.withName("creatorid"),
            ValueLayout.JAVA_BYTE.withName("direction"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_BYTE).withName("pad"))
            .withName("pf_state_cmp");

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            PF_STATE_CMP.withName("psk_pfcmp"),
            ValueLayout.JAVA_BYTE.withName("psk_af"),
            MemoryLayout.paddingLayout(3),
            ValueLayout.JAVA_INT.withName("psk_proto"),
            PF_RULE_ADDR.withName("psk_src"),
            PF_RULE_ADDR.withName("psk_dst"),
            MemoryLayout.sequenceLayout(IFNAMSIZ, ValueLayout.JAVA_BYTE).withName("psk_ifname"),
            MemoryLayout.sequenceLayout(PF_RULE_LABEL_SIZE, ValueLayout.JAVA_BYTE).withName("psk_label"),
            ValueLayout.JAVA_INT.withName("psk_killed"),
            MemoryLayout.paddingLayout(4))
            .withName("pfioc_state_kill");

    static final long SIZE = LAYOUT.byteSize();
    static final long PSK_AF = offset("psk_af");
    static final long PSK_PROTO = offset("psk_proto");
    static final long PSK_SRC = offset("psk_src");
    static final long PSK_DST = offset("psk_dst");
    static final long PSK_KILLED = offset("psk_killed");
    /** Offset of {@code addr.v.a.addr} inside a {@code pf_rule_addr}. */
    static final long RULE_ADDR_ADDR = PF_RULE_ADDR.byteOffset(
            MemoryLayout.PathElement.groupElement("addr"), MemoryLayout.PathElement.groupElement("v"),
            MemoryLayout.PathElement.groupElement("a"), MemoryLayout.PathElement.groupElement("addr"));
    /** Offset of {@code addr.v.a.mask} inside a {@code pf_rule_addr}. */
    static final long RULE_ADDR_MASK = PF_RULE_ADDR.byteOffset(
            MemoryLayout.PathElement.groupElement("addr"), MemoryLayout.PathElement.groupElement("v"),
            MemoryLayout.PathElement.groupElement("a"), MemoryLayout.PathElement.groupElement("mask"));
    /** Offset of {@code addr.type} inside a {@code pf_rule_addr}. */
    static final long RULE_ADDR_TYPE = PF_RULE_ADDR.byteOffset(
            MemoryLayout.PathElement.groupElement("addr"), MemoryLayout.PathElement.groupElement("type"));

    private static final ValueLayout.OfLong LONG_BE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_BE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private PfiocStateKillLayout() {
    }

    private static long offset(String field) {
        return LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /**
     * Fills {@code psk} to kill every state whose initiator lies in {@code source}, any protocol,
     * any destination ({@code pfctl -k source}).
     */
    static void encode(MemorySegment psk, IpPrefix source) {
        psk.asSlice(0, SIZE).fill((byte) 0);
        psk.set(ValueLayout.JAVA_BYTE, PSK_AF, source.address().isIpv4() ? PfrAddrLayout.AF_INET : PfrAddrLayout.AF_INET6);
        psk.set(ValueLayout.JAVA_BYTE, PSK_SRC + RULE_ADDR_TYPE, PF_ADDR_ADDRMASK);
        writeAddr(psk, PSK_SRC + RULE_ADDR_ADDR, source.address());
        writeMask(psk, PSK_SRC + RULE_ADDR_MASK, source);
        // psk_dst stays PF_ADDR_ADDRMASK with a zero mask: matches every destination
    }

    /** Writes a {@code pf_addr} (16 bytes, network order, IPv4 in the first 4). */
    static void writeAddr(MemorySegment s, long offset, IpAddress a) {
        s.asSlice(offset, 16).fill((byte) 0);
        if (a.isIpv4()) {
            s.set(INT_BE, offset, a.ipv4Bits());
        } else {
            s.set(LONG_BE, offset, a.high());
            s.set(LONG_BE, offset + 8, a.low());
        }
    }

    /** Writes the {@code pf_addr} mask of {@code p}'s length. */
    static void writeMask(MemorySegment s, long offset, IpPrefix p) {
        s.asSlice(offset, 16).fill((byte) 0);
        int len = p.length();
        if (p.address().isIpv4()) {
            int m = len == 0 ? 0 : -1 << (32 - len);
            s.set(INT_BE, offset, m);
        } else {
            long hi = len == 0 ? 0 : len >= 64 ? -1L : -1L << (64 - len);
            long lo = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
            s.set(LONG_BE, offset, hi);
            s.set(LONG_BE, offset + 8, lo);
        }
    }
}
