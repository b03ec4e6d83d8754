package ips.app.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostResolverTest {
    private static final IpAddress A = IpAddress.tryParse("192.0.2.10");
    private static final IpAddress B = IpAddress.tryParse("2001:db8::10");

    private static void await(CountDownLatch l) throws InterruptedException {
        assertTrue(l.await(5, TimeUnit.SECONDS), "callback did not run within 5 s");
    }

    @Test
    void resolvesOnItsOwnThreadThenAnswersFromTheCacheAtOnce() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        AtomicLong now = new AtomicLong(1_000_000);
        Thread caller = Thread.currentThread();
        try (HostResolver r = new HostResolver(n -> {
            lookups.incrementAndGet();
            return n.equals("attacker.example") ? List.of(A, B) : List.of();
        }, now::get)) {
            assertFalse(r.started(), "no thread until there is a name to look up (usedns = warn is the default)");
            CountDownLatch done = new CountDownLatch(1);
            List<Thread> threads = new CopyOnWriteArrayList<>();
            assertTrue(r.resolve("attacker.example", (n, ips) -> {
                assertEquals(List.of(A, B), ips);
                threads.add(Thread.currentThread());
                done.countDown();
            }));
            await(done);
            assertTrue(r.started());
            assertFalse(threads.contains(caller), "a lookup never runs on the reader's thread");
            // cached: answered synchronously, no second lookup
            List<IpAddress> got = new CopyOnWriteArrayList<>();
            r.resolve("attacker.example", (n, ips) -> {
                got.addAll(ips);
                threads.add(Thread.currentThread());
            });
            assertEquals(List.of(A, B), got);
            assertEquals(caller, threads.get(1));
            assertEquals(1, lookups.get());
            // after fail2ban's 5 minutes the name is looked up again
            now.addAndGet(HostResolver.CACHE_MILLIS + 1);
            CountDownLatch again = new CountDownLatch(1);
            r.resolve("attacker.example", (n, ips) -> again.countDown());
            await(again);
            assertEquals(2, lookups.get());
        }
    }

    @Test
    void oneLookupServesEveryoneWaitingForTheSameName() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger lookups = new AtomicInteger();
        try (HostResolver r = new HostResolver(n -> {
            lookups.incrementAndGet();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(A);
        }, () -> 0L)) {
            CountDownLatch all = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                r.resolve("slow.example", (n, ips) -> all.countDown());
            }
            release.countDown();
            await(all);
            assertEquals(1, lookups.get());
        }
    }

    @Test
    void aFloodOfNamesIsBoundedAndCountedAndUnresolvedNamesAreReported() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Map<String, Boolean> unresolved = new ConcurrentHashMap<>();
        try (HostResolver r = new HostResolver(n -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }, () -> 0L, (n, reason) -> unresolved.put(n, true))) {
            int accepted = 0;
            for (int i = 0; i < HostResolver.QUEUE_MAX + 50; i++) {
                if (r.resolve("n" + i + ".example", (n, ips) -> { })) {
                    accepted++;
                }
            }
            // the resolver thread may already hold one name outside the queue
            assertTrue(accepted >= HostResolver.QUEUE_MAX && accepted <= HostResolver.QUEUE_MAX + 1, "accepted " + accepted);
            assertEquals(HostResolver.QUEUE_MAX + 50 - accepted, r.dropped());
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (r.lookups() < accepted && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(accepted, r.lookups());
            assertTrue(unresolved.containsKey("n0.example"));
        }
    }

    @Test
    void anUnresolvedNameIsReportedWithTheResolversReasonWhenItGaveOne() throws Exception {
        Map<String, String> reasons = new ConcurrentHashMap<>();
        try (HostResolver r = new HostResolver(n -> {
            if (n.startsWith("why")) {
                throw new ips.api.HostLookup.Unresolved(n, "[Errno -3] Temporary failure in name resolution");
            }
            if (n.startsWith("boom")) {
                throw new IllegalStateException("not a resolver's answer");
            }
            return List.of();
        }, () -> 0L, (n, reason) -> reasons.put(n, String.valueOf(reason)))) {
            for (String name : List.of("why.invalid", "boom.invalid", "empty.invalid")) {
                CountDownLatch done = new CountDownLatch(1);
                r.resolve(name, (n, ips) -> {
                    assertTrue(ips.isEmpty());
                    done.countDown();
                });
                await(done);
            }
            assertEquals(Map.of("why.invalid", "[Errno -3] Temporary failure in name resolution", "boom.invalid", "null",
                    "empty.invalid", "null"), reasons);
        }
    }

    @Test
    void theCacheKeepsTheMostRecentlyUsedNamesUpToItsBound() throws Exception {
        try (HostResolver r = new HostResolver(n -> List.of(A), () -> 0L)) {
            int n = HostResolver.CACHE_MAX + 10;
            for (int i = 0; i < n; i++) {
                CountDownLatch done = new CountDownLatch(1);
                r.resolve("h" + i + ".example", (name, ips) -> done.countDown());
                await(done);
                if (i == HostResolver.CACHE_MAX - 2) {
                    r.resolve("h0.example", (name, ips) -> { }); // a cache hit keeps h0 recent
                }
            }
            java.util.Set<String> cached = r.cachedNames();
            assertEquals(HostResolver.CACHE_MAX, cached.size());
            assertTrue(cached.contains("h0.example"), "recently used");
            assertFalse(cached.contains("h1.example"), "least recently used goes first");
            assertTrue(cached.contains("h" + (n - 1) + ".example"));
        }
    }

    @Test
    void theSystemResolverAnswersLocalhostFromTheHostsFile() {
        List<IpAddress> ips = HostResolver.systemLookup("localhost");
        assertTrue(ips.contains(IpAddress.tryParse("127.0.0.1")) || ips.contains(IpAddress.tryParse("::1")), ips.toString());
    }
}
