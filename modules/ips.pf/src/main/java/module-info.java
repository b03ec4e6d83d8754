module ips.pf {
    requires ips.api;
}
