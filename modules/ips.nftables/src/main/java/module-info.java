module ips.nftables {
    requires ips.api;
}
