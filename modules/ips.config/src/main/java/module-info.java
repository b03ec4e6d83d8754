/** fail2ban's configuration dialect: INI layering, includes, interpolation, filters and jails. */
module ips.config {
    requires ips.api;

    exports ips.config;
}
