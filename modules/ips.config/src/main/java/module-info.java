module ips.config {
    requires ips.api;
    requires ips.filter;
}
