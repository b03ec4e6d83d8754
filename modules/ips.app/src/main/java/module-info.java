module ips.app {
    requires ips.api;
    requires ips.filter;
    requires ips.config;
    requires ips.engine;

}
