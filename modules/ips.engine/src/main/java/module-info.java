/** Jails: failure tracking under a hard ceiling, ban policy, ignore lists and the ban ledger. */
module ips.engine {
    requires ips.api;

    exports ips.engine;
    exports ips.engine.ledger;
    exports ips.engine.bench;
}
