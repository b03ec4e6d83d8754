module ips.engine {
    requires ips.api;
}
