package ips.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Tells systemd how the daemon is doing (the sd_notify protocol: {@code KEY=value} lines in one
 * datagram to {@code $NOTIFY_SOCKET}), for {@code Type=notify} units and the watchdog.
 *
 * <p>Without {@code NOTIFY_SOCKET} (not started by systemd, FreeBSD, a test) every call does nothing
 * and returns {@code false}. A failed send is reported once through {@code System.Logger} and returns
 * {@code false}: telling systemd is never worth stopping the daemon. Thread-safe.
 */
public final class SystemdNotifier implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("ips.journal");

    private final UnixDatagram socket;
    private final Duration watchdogTimeout;
    private volatile boolean failureReported;

    private SystemdNotifier(UnixDatagram socket, Duration watchdogTimeout) {
        this.socket = socket;
        this.watchdogTimeout = watchdogTimeout;
    }

    /** From {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID} of this process. */
    public static SystemdNotifier fromEnvironment() {
        return fromEnvironment(System.getenv(), UnixDatagram::getpid);
    }

    /** As {@link #fromEnvironment()}, with the environment and the pid given (tests). */
    static SystemdNotifier fromEnvironment(Map<String, String> env, LongSupplier pid) {
        Duration watchdog = watchdogTimeout(env.get("WATCHDOG_USEC"), env.get("WATCHDOG_PID"), pid);
        String target = env.get("NOTIFY_SOCKET");
        if (target == null || target.isEmpty()) {
            return new SystemdNotifier(null, watchdog);
        }
        try {
            return new SystemdNotifier(new UnixDatagram(target), watchdog);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "systemd notifications off: {0}", e.getMessage());
            return new SystemdNotifier(null, watchdog);
        }
    }

    /** sd_watchdog_enabled(): WATCHDOG_USEC > 0, and WATCHDOG_PID (when set) is this process. */
    static Duration watchdogTimeout(String usec, String watchdogPid, LongSupplier pid) {
        if (usec == null) {
            return null;
        }
        try {
            long micros = Long.parseLong(usec.strip());
            if (micros <= 0) {
                return null;
            }
            if (watchdogPid != null && !watchdogPid.isBlank() && Long.parseLong(watchdogPid.strip()) != pid.getAsLong()) {
                return null;
            }
            return Duration.ofNanos(Math.multiplyExact(micros, 1000L));
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** Whether there is a socket to notify. */
    public boolean enabled() {
        return socket != null;
    }

    /** {@code READY=1}: start-up is complete (logs are being watched). */
    public boolean ready() {
        return send("READY=1");
    }

    /** {@code STATUS=…}: one line shown by {@code systemctl status}. */
    public boolean status(String text) {
        return send("STATUS=" + text.replace('\n', ' '));
    }

    /** {@code WATCHDOG=1}: the keep-alive ping; send it every {@link #watchdogPingInterval()}. */
    public boolean watchdog() {
        return send("WATCHDOG=1");
    }

    /** {@code STOPPING=1}: shutdown has begun. */
    public boolean stopping() {
        return send("STOPPING=1");
    }

    /** {@code RELOADING=1} with {@code MONOTONIC_USEC} (Type=notify-reload); follow with {@link #ready()}. */
    public boolean reloading() {
        return send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000);
    }

    /** The service's WatchdogSec, when the watchdog is on for this process. */
    public Optional<Duration> watchdogTimeout() {
        return Optional.ofNullable(watchdogTimeout);
    }

    /** Half the watchdog timeout (what sd_watchdog_enabled(3) advises), or empty when it is off. */
    public Optional<Duration> watchdogPingInterval() {
        return watchdogTimeout().map(d -> d.dividedBy(2));
    }

    /** Sends {@code state} as it is (several {@code KEY=value} lines allowed). */
    public boolean send(String state) {
        if (socket == null) {
            return false;
        }
        try {
            socket.send(state.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            if (!failureReported) {
                failureReported = true;
                LOG.log(System.Logger.Level.WARNING, "systemd notification failed (reported once): {0}", e.getMessage());
            }
            return false;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
        }
    }
}
