package ips.app.daemon;

import ips.api.ServiceNotifier;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link ServiceNotifier} found with ServiceLoader, linked off the main thread while the
 * daemon starts. systemd's provider links libc's {@code socket}/{@code sendto} through FFM when
 * {@code NOTIFY_SOCKET} is set, which costs tens of milliseconds of CPU at start (the JDK spins the
 * downcall stubs, which the AOT cache cannot hold). The daemon links it on its firewall-opening
 * thread ({@link #link}), in parallel with reading the configuration; the first call (READY=1,
 * once the daemon is up) waits for it, or links it there when nobody has.
 */
public final class DeferredNotifier implements ServiceNotifier {
    private final CompletableFuture<ServiceNotifier> loading = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();

    /** Not linked yet: {@link #link} or the first call does it. */
    public DeferredNotifier() {}

    /**
     * Finds and links the provider on the calling thread ({@link ServiceNotifier#none()} when none
     * is linked into the image); does nothing when that has begun elsewhere.
     */
    public void link() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        try {
            loading.complete(ServiceLoader.load(ServiceNotifier.class).findFirst().orElse(ServiceNotifier.none()));
        } catch (Throwable t) {
            loading.completeExceptionally(t);
        }
    }

    private ServiceNotifier delegate() {
        link();
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
