module ips.journal {
    requires ips.api;
}
