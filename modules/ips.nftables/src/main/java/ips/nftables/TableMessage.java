package ips.nftables;

import static ips.nftables.NetlinkLayout.*;

/** NFT_MSG_NEWTABLE / GETTABLE (enum nft_table_attributes). */
final class TableMessage {
    static final int NFTA_TABLE_NAME = 1; // NLA_STRING

    private TableMessage() {
    }

    /** Creates the inet table when missing; an existing one (with its sets) is left alone. */
    static int create(MessageBuffer b, byte[] table) {
        int seq = b.beginNft(NfTables.NFT_MSG_NEWTABLE, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK, NFPROTO_INET);
        b.putBytes(NFTA_TABLE_NAME, table);
        b.end();
        return seq;
    }

    /** Deletes the table with its chains, rules and sets (every element in them). */
    static int delete(MessageBuffer b, byte[] table) {
        int seq = b.beginNft(NfTables.NFT_MSG_DELTABLE, NLM_F_REQUEST | NLM_F_ACK, NFPROTO_INET);
        b.putBytes(NFTA_TABLE_NAME, table);
        b.end();
        return seq;
    }

    /** Asks for one table; the kernel answers with the table or ENOENT. */
    static int get(MessageBuffer b, byte[] table) {
        int seq = b.beginNft(NfTables.NFT_MSG_GETTABLE, NLM_F_REQUEST | NLM_F_ACK, NFPROTO_INET);
        b.putBytes(NFTA_TABLE_NAME, table);
        b.end();
        return seq;
    }
}
