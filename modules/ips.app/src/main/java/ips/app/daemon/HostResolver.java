package ips.app.daemon;

import ips.api.IpAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * fail2ban's {@code usedns = yes|warn} for the daemon: a {@code <HOST>} that matched a host name is
 * resolved to its addresses ({@code DNSUtils.textToIp}), and each address counts a failure.
 *
 * <p>Unlike fail2ban, a lookup never stalls a log reader: names answered within the last five
 * minutes (fail2ban's cache: 1000 names, 5 min) are answered at once; others are queued for one
 * resolver thread, which hands the addresses to the waiting callbacks. A full queue drops the
 * lookup and counts it ({@link #dropped()}), so a flood of made-up names costs bounded memory.
 */
final class HostResolver implements AutoCloseable {
    static final int CACHE_MAX = 1000;
    static final long CACHE_MILLIS = 5 * 60 * 1000L;
    static final int QUEUE_MAX = 1000;

    private record Entry(List<IpAddress> addresses, long expires) {}

    private final Function<String, List<IpAddress>> lookup;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry> cache = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<String, List<BiConsumer<String, List<IpAddress>>>> waiting = new LinkedHashMap<>();
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_MAX);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();
    private final BiConsumer<String, String> unresolved;
    /** Started with the first lookup (guarded by this): most jails' logs name no host, and an idle thread costs its stack. */
    private Thread thread;
    private volatile boolean running = true;

    HostResolver(LongSupplier clock, BiConsumer<String, String> unresolved) {
        this(HostResolver::systemLookup, clock, unresolved);
    }

    HostResolver(Function<String, List<IpAddress>> lookup, LongSupplier clock) {
        this(lookup, clock, (name, reason) -> { });
    }

    /**
     * {@code unresolved} hears of each name a lookup found no address for (not of cached answers),
     * with the resolver's reason when {@code lookup} threw {@link ips.api.HostLookup.Unresolved}
     * (null otherwise).
     */
    HostResolver(Function<String, List<IpAddress>> lookup, LongSupplier clock, BiConsumer<String, String> unresolved) {
        this.lookup = lookup;
        this.clock = clock;
        this.unresolved = unresolved;
    }

    /**
     * The system resolver (getaddrinfo through the JDK): IPv4 and IPv6 addresses of a name; throws
     * {@link ips.api.HostLookup.Unresolved} with the resolver's reason when there are none.
     */
    static List<IpAddress> systemLookup(String name) {
        return ips.api.HostLookup.orFail(name);
    }

    /**
     * Resolves {@code name}: calls {@code callback} with its addresses (empty when it has none) on
     * this thread when the answer is cached, else later on the resolver thread. Returns false when
     * the lookup was dropped (queue full).
     */
    boolean resolve(String name, BiConsumer<String, List<IpAddress>> callback) {
        List<IpAddress> known;
        synchronized (this) {
            Entry e = cache.get(name);
            if (e != null && e.expires > clock.getAsLong()) {
                known = e.addresses;
            } else {
                List<BiConsumer<String, List<IpAddress>>> w = waiting.get(name);
                if (w != null) {
                    w.add(callback);
                    return true;
                }
                if (!queue.offer(name)) {
                    dropped.incrementAndGet();
                    return false;
                }
                if (thread == null && running) {
                    thread = Thread.ofPlatform().name("dns-resolver").daemon().start(this::run);
                }
                w = new ArrayList<>(2);
                w.add(callback);
                waiting.put(name, w);
                return true;
            }
        }
        callback.accept(name, known);
        return true;
    }

    private void run() {
        while (running) {
            String name;
            try {
                name = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            List<IpAddress> addresses;
            String reason = null;
            try {
                addresses = lookup.apply(name);
            } catch (ips.api.HostLookup.Unresolved e) {
                addresses = List.of();
                reason = e.reason();
            } catch (RuntimeException e) {
                addresses = List.of();
            }
            lookups.incrementAndGet();
            if (addresses.isEmpty()) {
                try {
                    unresolved.accept(name, reason);
                } catch (RuntimeException e) {
                    // logging must not stop the resolver
                }
            }
            List<BiConsumer<String, List<IpAddress>>> callbacks;
            synchronized (this) {
                cache.put(name, new Entry(addresses, clock.getAsLong() + CACHE_MILLIS));
                while (cache.size() > CACHE_MAX) {
                    var it = cache.entrySet().iterator();
                    it.next();
                    it.remove();
                }
                callbacks = waiting.remove(name);
            }
            if (callbacks != null) {
                for (BiConsumer<String, List<IpAddress>> c : callbacks) {
                    try {
                        c.accept(name, addresses);
                    } catch (RuntimeException e) {
                        // a callback's failure must not stop the resolver
                    }
                }
            }
        }
    }

    /** Lookups dropped because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    /** Lookups done by the resolver thread. */
    long lookups() {
        return lookups.get();
    }

    /** Names whose answer is cached. */
    synchronized Set<String> cachedNames() {
        return new HashSet<>(cache.keySet());
    }

    /** Whether the resolver thread runs (it starts with the first lookup). */
    synchronized boolean started() {
        return thread != null;
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
