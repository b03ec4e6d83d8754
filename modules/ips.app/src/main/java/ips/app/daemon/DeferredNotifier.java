package ips.app.daemon;

import ips.api.ServiceNotifier;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link ServiceNotifier} found with ServiceLoader, linked on its own thread while the daemon
 * starts. systemd's provider links libc's {@code socket}/{@code sendto} through FFM when
 * {@code NOTIFY_SOCKET} is set, which costs tens of milliseconds of CPU at start (the JDK spins the
 * downcall stubs, which the AOT cache cannot hold); done here it overlaps the configuration.
 * The first call (READY=1, once the daemon is up) waits for it.
 */
public final class DeferredNotifier implements ServiceNotifier {
    private final CompletableFuture<ServiceNotifier> loading = new CompletableFuture<>();

    private DeferredNotifier() {}

    /** Starts finding and linking the provider; {@link ServiceNotifier#none()} when none is linked. */
    public static DeferredNotifier load() {
        DeferredNotifier d = new DeferredNotifier();
        Thread.ofPlatform().name("link-notifier").daemon().start(() -> {
            try {
                d.loading.complete(ServiceLoader.load(ServiceNotifier.class).findFirst().orElse(ServiceNotifier.none()));
            } catch (Throwable t) {
                d.loading.completeExceptionally(t);
            }
        });
        return d;
    }

    private ServiceNotifier delegate() {
        return loading.join();
    }

    @Override
    public boolean active() {
        return delegate().active();
    }

    @Override
    public void ready() {
        delegate().ready();
    }

    @Override
    public void status(String text) {
        delegate().status(text);
    }

    @Override
    public void watchdog() {
        delegate().watchdog();
    }

    @Override
    public void stopping() {
        delegate().stopping();
    }

    @Override
    public long watchdogIntervalMillis() {
        return delegate().watchdogIntervalMillis();
    }
}
