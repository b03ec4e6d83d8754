module ips.filter {
    requires ips.api;
}
