package ips.journal;

import ips.api.ServiceNotifier;
import java.time.Duration;

/**
 * {@link SystemdNotifier} as the daemon's {@link ServiceNotifier} service: READY=1, STATUS=,
 * WATCHDOG=1 and STOPPING=1 to systemd when NOTIFY_SOCKET is set; nothing otherwise.
 */
public final class SystemdServiceNotifier implements ServiceNotifier {
    private final SystemdNotifier notifier;

    private SystemdServiceNotifier(SystemdNotifier notifier) {
        this.notifier = notifier;
    }

    /** The service-loader entry point: reads NOTIFY_SOCKET and WATCHDOG_USEC. */
    public static ServiceNotifier provider() {
        return new SystemdServiceNotifier(SystemdNotifier.fromEnvironment());
    }

    @Override
    public boolean active() {
        return notifier.enabled();
    }

    @Override
    public void ready() {
        notifier.ready();
    }

    @Override
    public void status(String text) {
        notifier.status(text);
    }

    @Override
    public void watchdog() {
        notifier.watchdog();
    }

    @Override
    public void stopping() {
        notifier.stopping();
    }

    @Override
    public long watchdogIntervalMillis() {
        return notifier.watchdogTimeout().map(Duration::toMillis).orElse(0L);
    }
}
