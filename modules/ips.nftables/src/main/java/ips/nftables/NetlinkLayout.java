package ips.nftables;

/**
 * Offsets and constants of the netlink framing that wraps every nf_tables message.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                    nlmsg_len (host order)                     |  struct nlmsghdr
 * +-------------------------------+-------------------------------+
 * |      nlmsg_type (host)        |       nlmsg_flags (host)      |
 * +-------------------------------+-------------------------------+
 * |                      nlmsg_seq (host)                         |
 * +---------------------------------------------------------------+
 * |                      nlmsg_pid (host)                         |
 * +---------------+---------------+-------------------------------+
 * | nfgen_family  |    version    |     res_id (BIG endian)       |  struct nfgenmsg
 * +---------------+---------------+-------------------------------+
 * |  nla_len (host, excl. pad)    |  nla_type (host, |NESTED)     |  struct nlattr ...
 * +-------------------------------+-------------------------------+
 * </pre>
 */
final class NetlinkLayout {
    /** linux/netlink.h: struct nlmsghdr, 16 bytes. */
    static final int NLMSG_LEN_OFFSET = 0;
    static final int NLMSG_TYPE_OFFSET = NLMSG_LEN_OFFSET + 4;
    static final int NLMSG_FLAGS_OFFSET = NLMSG_TYPE_OFFSET + 2;
    static final int NLMSG_SEQ_OFFSET = NLMSG_FLAGS_OFFSET + 2;
    static final int NLMSG_PID_OFFSET = NLMSG_SEQ_OFFSET + 4;
    static final int NLMSG_HDRLEN = NLMSG_PID_OFFSET + 4;

    /** linux/netfilter/nfnetlink.h: struct nfgenmsg, 4 bytes after the header. */
    static final int NFGEN_FAMILY_OFFSET = NLMSG_HDRLEN;
    static final int NFGEN_VERSION_OFFSET = NFGEN_FAMILY_OFFSET + 1;
    static final int NFGEN_RES_ID_OFFSET = NFGEN_VERSION_OFFSET + 1;
    static final int NFGEN_HDRLEN = 4;
    /** Where the attributes of an nf_tables message begin. */
    static final int NFT_PAYLOAD_OFFSET = NLMSG_HDRLEN + NFGEN_HDRLEN;

    /** linux/netlink.h: struct nlattr, 4 bytes; payload aligned to 4 (NLA_ALIGNTO). */
    static final int NLA_HDRLEN = 4;
    static final int NLA_F_NESTED = 0x8000; // linux/netlink.h
    static final int NLA_TYPE_MASK = 0x3FFF; // linux/netlink.h: ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)
    static final int NLA_MAX_LEN = 0xFFFF; // nla_len is u16

    /** linux/netlink.h: message flags. */
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300; // NLM_F_ROOT | NLM_F_MATCH
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLM_F_APPEND = 0x800;
    /** Flags on an NLMSG_ERROR reply (linux/netlink.h). */
    static final int NLM_F_CAPPED = 0x100;
    static final int NLM_F_ACK_TLVS = 0x200;

    /** linux/netlink.h: control message types. */
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;

    /** linux/netlink.h: struct nlmsgerr = int error + the request's nlmsghdr (capped: header only). */
    static final int NLMSGERR_ERROR_OFFSET = NLMSG_HDRLEN;
    static final int NLMSGERR_REQUEST_OFFSET = NLMSGERR_ERROR_OFFSET + 4;
    static final int NLMSGERR_ATTR_MSG = 1; // linux/netlink.h: error message string

    /** linux/netfilter/nfnetlink.h */
    static final int NFNL_SUBSYS_NFTABLES = 10;
    static final int NFNL_MSG_BATCH_BEGIN = 0x10; // NLMSG_MIN_TYPE
    static final int NFNL_MSG_BATCH_END = 0x11; // NLMSG_MIN_TYPE + 1
    static final int NFNETLINK_V0 = 0;

    /** linux/netfilter.h: NFPROTO_* families for nfgen_family. */
    static final int NFPROTO_UNSPEC = 0;
    static final int NFPROTO_INET = 1;
    static final int NFPROTO_IPV4 = 2;
    static final int NFPROTO_IPV6 = 10;

    private NetlinkLayout() {
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }
}
