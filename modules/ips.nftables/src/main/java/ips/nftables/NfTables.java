package ips.nftables;

/** nf_tables message types and limits (linux/netfilter/nf_tables.h, enum nf_tables_msg_types). */
final class NfTables {
    static final int NFT_MSG_NEWTABLE = 0;
    static final int NFT_MSG_GETTABLE = 1;
    static final int NFT_MSG_DELTABLE = 2;
    static final int NFT_MSG_NEWCHAIN = 3;
    static final int NFT_MSG_GETCHAIN = 4;
    static final int NFT_MSG_DELCHAIN = 5;
    static final int NFT_MSG_NEWRULE = 6;
    static final int NFT_MSG_DELRULE = 8;
    static final int NFT_MSG_NEWSET = 9;
    static final int NFT_MSG_GETSET = 10;
    static final int NFT_MSG_DELSET = 11;
    static final int NFT_MSG_NEWSETELEM = 12;
    static final int NFT_MSG_GETSETELEM = 13;
    static final int NFT_MSG_DELSETELEM = 14;
    /** Kernel 6.3+: delete a set (with its elements); a missing set is not an error. */
    static final int NFT_MSG_DESTROYSET = 29;
    /**
     * Kernel 6.3+ (upstream nf_tables.h, after NFT_MSG_GETRULE_RESET = 25 and DESTROY{TABLE,CHAIN,
     * RULE,SET} = 26..29): delete, but a missing element is not an error. Debian 12's header predates it.
     */
    static final int NFT_MSG_DESTROYSETELEM = 30;

    /** NFT_NAME_MAXLEN: names of tables, chains and sets, including the NUL. */
    static final int NFT_NAME_MAXLEN = 256;

    /** enum nft_registers */
    static final int NFT_REG_VERDICT = 0;
    static final int NFT_REG_1 = 1;

    /** linux/netfilter.h: verdicts */
    static final int NF_DROP = 0;
    static final int NF_ACCEPT = 1;

    /** linux/netfilter.h: enum nf_inet_hooks */
    static final int NF_INET_LOCAL_IN = 1;
    static final int NF_INET_FORWARD = 2;

    /** enum nft_list_attributes */
    static final int NFTA_LIST_ELEM = 1; // NLA_NESTED

    /** enum nft_data_attributes */
    static final int NFTA_DATA_VALUE = 1; // NLA_BINARY
    static final int NFTA_DATA_VERDICT = 2; // NLA_NESTED: nft_verdict_attributes

    /** enum nft_verdict_attributes */
    static final int NFTA_VERDICT_CODE = 1; // NLA_U32

    private NfTables() {
    }
}
