module ips.logfile {
    requires ips.api;
}
