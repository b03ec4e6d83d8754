package ips.api;

/**
 * Tells the service manager how the daemon is doing (systemd's {@code sd_notify}: READY=1,
 * STATUS=, WATCHDOG=1, STOPPING=1). Found with {@link java.util.ServiceLoader}; when no provider
 * is linked, or the daemon does not run under a service manager, every call does nothing.
 */
public interface ServiceNotifier {

    /** True when a service manager is listening (for systemd: NOTIFY_SOCKET is set). */
    boolean active();

    void ready();

    void status(String text);

    void watchdog();

    void stopping();

    /** The watchdog period the manager expects pings within, in milliseconds, or 0 when none. */
    long watchdogIntervalMillis();

    /** A notifier that does nothing. */
    static ServiceNotifier none() {
        return new ServiceNotifier() {
            @Override
            public boolean active() {
                return false;
            }

            @Override
            public void ready() {}

            @Override
            public void status(String text) {}

            @Override
            public void watchdog() {}

            @Override
            public void stopping() {}

            @Override
            public long watchdogIntervalMillis() {
                return 0;
            }
        };
    }
}
