/**
 * The {@code portcullis} command: the daemon's wiring, the CLI, the control socket, metrics and
 * fail2ban-format logging. Backends (enforcers, log sources) are found with ServiceLoader; this
 * module requires none of them.
 */
module ips.app {
    requires ips.api;
    requires ips.filter;
    requires ips.config;
    requires ips.engine;
    requires jdk.net;
    requires jdk.httpserver;

    uses ips.api.EnforcerProvider;
    uses ips.api.LogSourceProvider;
    uses ips.api.ServiceNotifier;

    provides java.lang.System.LoggerFinder with ips.app.ops.EventLoggerFinder;
}
