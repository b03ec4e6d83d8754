package ips.nftables;

import static ips.nftables.NetlinkLayout.*;

/** NFT_MSG_NEWSET, DESTROYSET and the GETSET dump (enum nft_set_attributes, enum nft_set_flags). */
final class SetMessage {
    static final int NFTA_SET_TABLE = 1; // NLA_STRING
    static final int NFTA_SET_NAME = 2; // NLA_STRING
    static final int NFTA_SET_FLAGS = 3; // NLA_U32
    static final int NFTA_SET_KEY_TYPE = 4; // NLA_U32 (only nft's display uses it)
    static final int NFTA_SET_KEY_LEN = 5; // NLA_U32
    static final int NFTA_SET_ID = 10; // NLA_U32: names the set within one transaction

    static final int NFT_SET_INTERVAL = 0x4;
    static final int NFT_SET_TIMEOUT = 0x10;

    /** nft's datatypes (nftables: include/datatype.h): ipv4_addr and ipv6_addr. */
    static final int TYPE_IPADDR = 7;
    static final int TYPE_IP6ADDR = 8;

    private SetMessage() {
    }

    /** Creates the set when missing (NLM_F_CREATE without EXCL keeps an existing one and its elements). */
    static int create(MessageBuffer b, byte[] table, byte[] set, int setId, boolean ipv6, boolean interval) {
        int seq = b.beginNft(NfTables.NFT_MSG_NEWSET, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK, NFPROTO_INET);
        b.putBytes(NFTA_SET_TABLE, table);
        b.putBytes(NFTA_SET_NAME, set);
        b.putU32(NFTA_SET_FLAGS, NFT_SET_TIMEOUT | (interval ? NFT_SET_INTERVAL : 0));
        b.putU32(NFTA_SET_KEY_TYPE, ipv6 ? TYPE_IP6ADDR : TYPE_IPADDR);
        b.putU32(NFTA_SET_KEY_LEN, ipv6 ? 16 : 4);
        b.putU32(NFTA_SET_ID, setId);
        b.end();
        return seq;
    }

    /**
     * Deletes a set with its elements, missing or not (NFT_MSG_DESTROYSET). The kernel refuses
     * (EBUSY) while a rule still looks it up: flush the rules earlier in the same batch.
     */
    static int destroy(MessageBuffer b, byte[] table, byte[] set) {
        int seq = b.beginNft(NfTables.NFT_MSG_DESTROYSET, NLM_F_REQUEST | NLM_F_ACK, NFPROTO_INET);
        b.putBytes(NFTA_SET_TABLE, table);
        b.putBytes(NFTA_SET_NAME, set);
        b.end();
        return seq;
    }

    /** Asks for every set of one table (a dump of NEWSET messages; ENOENT when the table is missing). */
    static int dump(MessageBuffer b, byte[] table) {
        int seq = b.beginNft(NfTables.NFT_MSG_GETSET, NLM_F_REQUEST | NLM_F_DUMP, NFPROTO_INET);
        b.putBytes(NFTA_SET_TABLE, table);
        b.end();
        return seq;
    }
}
