module ips.filter {
    requires ips.api;
    requires ips.config;

    exports ips.filter.tester;
}
