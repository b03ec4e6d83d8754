package ips.nftables;

import static ips.nftables.NetlinkLayout.*;

/** NFT_MSG_NEWRULE / DELRULE (enum nft_rule_attributes). Expressions come from {@link Expressions}. */
final class RuleMessage {
    static final int NFTA_RULE_TABLE = 1; // NLA_STRING
    static final int NFTA_RULE_CHAIN = 2; // NLA_STRING
    static final int NFTA_RULE_EXPRESSIONS = 4; // NLA_NESTED: nft_expr_attributes

    private RuleMessage() {
    }

    /** Deletes every rule of a chain (DELRULE naming only table and chain). */
    static int flushChain(MessageBuffer b, byte[] table, byte[] chain) {
        int seq = b.beginNft(NfTables.NFT_MSG_DELRULE, NLM_F_REQUEST | NLM_F_ACK, NFPROTO_INET);
        b.putBytes(NFTA_RULE_TABLE, table);
        b.putBytes(NFTA_RULE_CHAIN, chain);
        b.end();
        return seq;
    }

    /** Starts an appended rule; returns the token of its expression list. */
    static int beginAppend(MessageBuffer b, byte[] table, byte[] chain) {
        b.beginNft(NfTables.NFT_MSG_NEWRULE, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK, NFPROTO_INET);
        b.putBytes(NFTA_RULE_TABLE, table);
        b.putBytes(NFTA_RULE_CHAIN, chain);
        return b.beginNest(NFTA_RULE_EXPRESSIONS);
    }

    static void end(MessageBuffer b, int expressions) {
        b.endNest(expressions);
        b.end();
    }
}
