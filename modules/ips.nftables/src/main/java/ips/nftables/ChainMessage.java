package ips.nftables;

import static ips.nftables.NetlinkLayout.*;

/** NFT_MSG_NEWCHAIN (enum nft_chain_attributes, nft_hook_attributes). */
final class ChainMessage {
    static final int NFTA_CHAIN_TABLE = 1; // NLA_STRING
    static final int NFTA_CHAIN_NAME = 3; // NLA_STRING
    static final int NFTA_CHAIN_HOOK = 4; // NLA_NESTED: nft_hook_attributes
    static final int NFTA_CHAIN_POLICY = 5; // NLA_U32
    static final int NFTA_CHAIN_TYPE = 7; // NLA_NUL_STRING
    static final int NFTA_HOOK_HOOKNUM = 1; // NLA_U32
    static final int NFTA_HOOK_PRIORITY = 2; // NLA_U32 (signed)

    /** Our chains run just before the usual filter priority (0), so a drop here comes first. */
    static final int PRIORITY = -1;
    private static final byte[] FILTER = NetlinkStrings.z("filter");

    private ChainMessage() {
    }

    /** Deletes a chain (it must hold no rules by then: flush it earlier in the same batch). */
    static int delete(MessageBuffer b, byte[] table, byte[] chain) {
        int seq = b.beginNft(NfTables.NFT_MSG_DELCHAIN, NLM_F_REQUEST | NLM_F_ACK, NFPROTO_INET);
        b.putBytes(NFTA_CHAIN_TABLE, table);
        b.putBytes(NFTA_CHAIN_NAME, chain);
        b.end();
        return seq;
    }

    /** Creates a base filter chain on {@code hook} with policy accept when missing. */
    static int createBase(MessageBuffer b, byte[] table, byte[] chain, int hook) {
        int seq = b.beginNft(NfTables.NFT_MSG_NEWCHAIN, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK, NFPROTO_INET);
        b.putBytes(NFTA_CHAIN_TABLE, table);
        b.putBytes(NFTA_CHAIN_NAME, chain);
        int hookNest = b.beginNest(NFTA_CHAIN_HOOK);
        b.putU32(NFTA_HOOK_HOOKNUM, hook);
        b.putU32(NFTA_HOOK_PRIORITY, PRIORITY);
        b.endNest(hookNest);
        b.putU32(NFTA_CHAIN_POLICY, NfTables.NF_ACCEPT);
        b.putBytes(NFTA_CHAIN_TYPE, FILTER);
        b.end();
        return seq;
    }
}
