package ips.nftables;

import static ips.nftables.NetlinkLayout.*;

import ips.api.IpAddress;

/**
 * NFT_MSG_NEWSETELEM / DELSETELEM / DESTROYSETELEM / GETSETELEM (enum nft_set_elem_list_attributes,
 * enum nft_set_elem_attributes). One message names a set and carries a nested list of elements;
 * the list's length is a u16, so callers start a new message before {@link #LIST_BUDGET} is spent.
 */
final class SetElementMessage {
    static final int NFTA_SET_ELEM_LIST_TABLE = 1; // NLA_STRING
    static final int NFTA_SET_ELEM_LIST_SET = 2; // NLA_STRING
    static final int NFTA_SET_ELEM_LIST_ELEMENTS = 3; // NLA_NESTED: nft_set_elem_attributes

    static final int NFTA_SET_ELEM_KEY = 1; // NLA_NESTED: nft_data
    static final int NFTA_SET_ELEM_FLAGS = 3; // NLA_U32: nft_set_elem_flags
    static final int NFTA_SET_ELEM_TIMEOUT = 4; // NLA_U64, ms
    static final int NFTA_SET_ELEM_EXPIRATION = 5; // NLA_U64, ms left

    static final int NFT_SET_ELEM_INTERVAL_END = 0x1;

    /** Bytes of elements one message's list may hold (nla_len is u16; leave room for one more). */
    static final int LIST_BUDGET = NLA_MAX_LEN - 256;

    private SetElementMessage() {
    }

    /** Starts an add; returns the token of the element list. Elements follow, then {@link #endList}. */
    static int beginAdd(MessageBuffer b, byte[] table, byte[] set) {
        b.beginNft(NfTables.NFT_MSG_NEWSETELEM, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK, NFPROTO_INET);
        return header(b, table, set);
    }

    /** Starts a delete that ignores missing elements (NFT_MSG_DESTROYSETELEM). */
    static int beginDestroy(MessageBuffer b, byte[] table, byte[] set) {
        b.beginNft(NfTables.NFT_MSG_DESTROYSETELEM, NLM_F_REQUEST | NLM_F_ACK, NFPROTO_INET);
        return header(b, table, set);
    }

    private static int header(MessageBuffer b, byte[] table, byte[] set) {
        b.putBytes(NFTA_SET_ELEM_LIST_TABLE, table);
        b.putBytes(NFTA_SET_ELEM_LIST_SET, set);
        return b.beginNest(NFTA_SET_ELEM_LIST_ELEMENTS);
    }

    /** Closes the element list and the message. */
    static void endList(MessageBuffer b, int list) {
        b.endNest(list);
        b.end();
    }

    /**
     * One element: its key, its flags (0 or {@link #NFT_SET_ELEM_INTERVAL_END}) and a timeout in
     * ms ({@code <= 0}: none, the element stays until deleted).
     */
    static void element(MessageBuffer b, IpAddress key, int flags, long timeoutMillis) {
        element(b, !key.isIpv4(), key.high(), key.low(), flags, timeoutMillis);
    }

    /** One element from raw key bits: IPv4 in the low 32 bits of {@code low}, IPv6 in both halves. */
    static void element(MessageBuffer b, boolean ipv6, long high, long low, int flags, long timeoutMillis) {
        int elem = b.beginNest(NfTables.NFTA_LIST_ELEM);
        int k = b.beginNest(NFTA_SET_ELEM_KEY);
        if (ipv6) {
            b.putBe128Data(NfTables.NFTA_DATA_VALUE, high, low);
        } else {
            b.putBe32Data(NfTables.NFTA_DATA_VALUE, (int) low);
        }
        b.endNest(k);
        if (flags != 0) {
            b.putU32(NFTA_SET_ELEM_FLAGS, flags);
        }
        if (timeoutMillis > 0) {
            b.putU64(NFTA_SET_ELEM_TIMEOUT, timeoutMillis);
        }
        b.endNest(elem);
    }

    /** Empties a set: DELSETELEM without an element list flushes it. */
    static int flush(MessageBuffer b, byte[] table, byte[] set) {
        int seq = b.beginNft(NfTables.NFT_MSG_DELSETELEM, NLM_F_REQUEST | NLM_F_ACK, NFPROTO_INET);
        b.putBytes(NFTA_SET_ELEM_LIST_TABLE, table);
        b.putBytes(NFTA_SET_ELEM_LIST_SET, set);
        b.end();
        return seq;
    }

    /** Asks for every element of a set (a multipart dump ending in NLMSG_DONE). */
    static int dump(MessageBuffer b, byte[] table, byte[] set) {
        int seq = b.beginNft(NfTables.NFT_MSG_GETSETELEM, NLM_F_REQUEST | NLM_F_DUMP, NFPROTO_INET);
        b.putBytes(NFTA_SET_ELEM_LIST_TABLE, table);
        b.putBytes(NFTA_SET_ELEM_LIST_SET, set);
        b.end();
        return seq;
    }
}
