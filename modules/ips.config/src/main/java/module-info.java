module ips.config {
    requires ips.api;
}
