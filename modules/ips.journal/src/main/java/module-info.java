/**
 * The systemd journal as a log source (backend {@code systemd}, through libsystemd via FFM) and the
 * daemon's systemd integration ({@link ips.journal.SystemdNotifier}: sd_notify and the watchdog).
 * Exports the notifier and the benchmark; the journal source is reached through {@link
 * ips.api.LogSourceProvider}.
 */
module ips.journal {
    requires ips.api;

    exports ips.journal;
    exports ips.journal.bench;

    provides ips.api.LogSourceProvider with ips.journal.source.SystemdJournalProvider;
    provides ips.api.ServiceNotifier with ips.journal.SystemdServiceNotifier;
}
