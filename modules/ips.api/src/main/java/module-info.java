/**
 * Portcullis's value types and service interfaces: addresses and prefixes, bans, log lines and
 * failures, and the two service provider interfaces that backends implement ({@link
 * ips.api.EnforcerProvider}, {@link ips.api.LogSourceProvider}); {@link ips.api.StateFile}, the
 * atomically replaced file the sources keep their positions in. Depends on {@code java.base} only.
 */
module ips.api {
    exports ips.api;

    uses ips.api.EnforcerProvider;
    uses ips.api.LogSourceProvider;
    uses ips.api.ServiceNotifier;
}
