package ips.nftables;

/**
 * The nf_tables expressions our rules use, each encoded as an NFTA_LIST_ELEM holding
 * NFTA_EXPR_NAME and NFTA_EXPR_DATA (enum nft_expr_attributes). All values go through register 1.
 */
final class Expressions {
    static final int NFTA_EXPR_NAME = 1; // NLA_STRING
    static final int NFTA_EXPR_DATA = 2; // NLA_NESTED

    /** enum nft_meta_attributes / nft_meta_keys */
    static final int NFTA_META_DREG = 1;
    static final int NFTA_META_KEY = 2;
    static final int NFT_META_NFPROTO = 15;
    static final int NFT_META_L4PROTO = 16;

    /** enum nft_cmp_attributes / nft_cmp_ops */
    static final int NFTA_CMP_SREG = 1;
    static final int NFTA_CMP_OP = 2;
    static final int NFTA_CMP_DATA = 3; // NLA_NESTED: nft_data
    static final int NFT_CMP_EQ = 0;

    /** enum nft_payload_attributes / nft_payload_bases */
    static final int NFTA_PAYLOAD_DREG = 1;
    static final int NFTA_PAYLOAD_BASE = 2;
    static final int NFTA_PAYLOAD_OFFSET = 3;
    static final int NFTA_PAYLOAD_LEN = 4;
    static final int NFT_PAYLOAD_NETWORK_HEADER = 1;
    static final int NFT_PAYLOAD_TRANSPORT_HEADER = 2;

    /** enum nft_lookup_attributes */
    static final int NFTA_LOOKUP_SET = 1; // NLA_STRING
    static final int NFTA_LOOKUP_SREG = 2;
    static final int NFTA_LOOKUP_SET_ID = 4;

    /** enum nft_range_attributes / nft_range_ops */
    static final int NFTA_RANGE_SREG = 1;
    static final int NFTA_RANGE_OP = 2;
    static final int NFTA_RANGE_FROM_DATA = 3;
    static final int NFTA_RANGE_TO_DATA = 4;
    static final int NFT_RANGE_EQ = 0;

    /** enum nft_immediate_attributes */
    static final int NFTA_IMMEDIATE_DREG = 1;
    static final int NFTA_IMMEDIATE_DATA = 2;

    /** enum nft_reject_attributes / nft_reject_types / nft_reject_inet_code */
    static final int NFTA_REJECT_TYPE = 1; // NLA_U32
    static final int NFTA_REJECT_ICMP_CODE = 2; // NLA_U8
    static final int NFT_REJECT_ICMPX_UNREACH = 2;
    static final int NFT_REJECT_ICMPX_PORT_UNREACH = 1;

    /** IPv4 source address: network header offset 12, 4 bytes; IPv6: offset 8, 16 bytes. */
    static final int IPV4_SADDR_OFFSET = 12;
    static final int IPV6_SADDR_OFFSET = 8;
    /** TCP, UDP and SCTP all carry the destination port at transport offset 2. */
    static final int DPORT_OFFSET = 2;

    private static final byte[] META = NetlinkStrings.z("meta");
    private static final byte[] CMP = NetlinkStrings.z("cmp");
    private static final byte[] PAYLOAD = NetlinkStrings.z("payload");
    private static final byte[] LOOKUP = NetlinkStrings.z("lookup");
    private static final byte[] RANGE = NetlinkStrings.z("range");
    private static final byte[] IMMEDIATE = NetlinkStrings.z("immediate");
    private static final byte[] REJECT = NetlinkStrings.z("reject");

    private Expressions() {
    }

    private static int begin(MessageBuffer b, byte[] name) {
        int elem = b.beginNest(NfTables.NFTA_LIST_ELEM);
        b.putBytes(NFTA_EXPR_NAME, name);
        b.beginNest(NFTA_EXPR_DATA);
        return elem;
    }

    private static void end(MessageBuffer b, int elem, int data) {
        b.endNest(data);
        b.endNest(elem);
    }

    private static int dataToken(int elem, byte[] name) {
        // NFTA_EXPR_DATA sits right after the name attribute
        return elem + NetlinkLayout.NLA_HDRLEN + NetlinkLayout.align(NetlinkLayout.NLA_HDRLEN + name.length);
    }

    /** {@code meta <key>} into register 1. */
    static void meta(MessageBuffer b, int key) {
        int e = begin(b, META);
        b.putU32(NFTA_META_DREG, NfTables.NFT_REG_1);
        b.putU32(NFTA_META_KEY, key);
        end(b, e, dataToken(e, META));
    }

    /** {@code register 1 == value} for a one-byte value. */
    static void cmpByte(MessageBuffer b, int value) {
        int e = begin(b, CMP);
        b.putU32(NFTA_CMP_SREG, NfTables.NFT_REG_1);
        b.putU32(NFTA_CMP_OP, NFT_CMP_EQ);
        int d = b.beginNest(NFTA_CMP_DATA);
        b.putU8(NfTables.NFTA_DATA_VALUE, value);
        b.endNest(d);
        end(b, e, dataToken(e, CMP));
    }

    /** {@code register 1 == value} for a big-endian two-byte value (a port). */
    static void cmpBe16(MessageBuffer b, int value) {
        int e = begin(b, CMP);
        b.putU32(NFTA_CMP_SREG, NfTables.NFT_REG_1);
        b.putU32(NFTA_CMP_OP, NFT_CMP_EQ);
        int d = b.beginNest(NFTA_CMP_DATA);
        b.putBe16(NfTables.NFTA_DATA_VALUE, value);
        b.endNest(d);
        end(b, e, dataToken(e, CMP));
    }

    /** {@code from <= register 1 <= to} for big-endian two-byte values (a port range). */
    static void rangeBe16(MessageBuffer b, int from, int to) {
        int e = begin(b, RANGE);
        b.putU32(NFTA_RANGE_SREG, NfTables.NFT_REG_1);
        b.putU32(NFTA_RANGE_OP, NFT_RANGE_EQ);
        int f = b.beginNest(NFTA_RANGE_FROM_DATA);
        b.putBe16(NfTables.NFTA_DATA_VALUE, from);
        b.endNest(f);
        int t = b.beginNest(NFTA_RANGE_TO_DATA);
        b.putBe16(NfTables.NFTA_DATA_VALUE, to);
        b.endNest(t);
        end(b, e, dataToken(e, RANGE));
    }

    /** {@code payload base offset len} into register 1. */
    static void payload(MessageBuffer b, int base, int offset, int length) {
        int e = begin(b, PAYLOAD);
        b.putU32(NFTA_PAYLOAD_DREG, NfTables.NFT_REG_1);
        b.putU32(NFTA_PAYLOAD_BASE, base);
        b.putU32(NFTA_PAYLOAD_OFFSET, offset);
        b.putU32(NFTA_PAYLOAD_LEN, length);
        end(b, e, dataToken(e, PAYLOAD));
    }

    /** {@code register 1 @set}. */
    static void lookup(MessageBuffer b, byte[] set, int setId) {
        int e = begin(b, LOOKUP);
        b.putBytes(NFTA_LOOKUP_SET, set);
        b.putU32(NFTA_LOOKUP_SREG, NfTables.NFT_REG_1);
        b.putU32(NFTA_LOOKUP_SET_ID, setId);
        end(b, e, dataToken(e, LOOKUP));
    }

    /** {@code drop}: an immediate verdict. */
    static void drop(MessageBuffer b) {
        int e = begin(b, IMMEDIATE);
        b.putU32(NFTA_IMMEDIATE_DREG, NfTables.NFT_REG_VERDICT);
        int d = b.beginNest(NFTA_IMMEDIATE_DATA);
        int v = b.beginNest(NfTables.NFTA_DATA_VERDICT);
        b.putU32(NfTables.NFTA_VERDICT_CODE, NfTables.NF_DROP);
        b.endNest(v);
        b.endNest(d);
        end(b, e, dataToken(e, IMMEDIATE));
    }

    /** {@code reject} (icmpx port-unreachable, for IPv4 and IPv6 alike). */
    static void reject(MessageBuffer b) {
        int e = begin(b, REJECT);
        b.putU32(NFTA_REJECT_TYPE, NFT_REJECT_ICMPX_UNREACH);
        b.putU8(NFTA_REJECT_ICMP_CODE, NFT_REJECT_ICMPX_PORT_UNREACH);
        end(b, e, dataToken(e, REJECT));
    }
}
