/**
 * The nftables enforcer: bans written straight into nf_tables sets over a NETLINK_NETFILTER
 * socket through FFM (no nft binary, no libnftnl). Exports only the benchmark; the enforcer is
 * found through {@link ips.api.EnforcerProvider}.
 */
module ips.nftables {
    requires ips.api;

    exports ips.nftables.bench;

    provides ips.api.EnforcerProvider with ips.nftables.NftablesProvider;
}
