package ips.app.daemon;

import ips.api.Failure;
import ips.api.LogLine;
import ips.api.LogSource;
import ips.app.ops.EventLog;
import ips.engine.JailEngine;
import ips.filter.FilterFailure;
import ips.filter.FilterMatcher;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One log source feeding one jail, on its own thread: poll the source, match each line, count
 * each failure in the engine, and commit the bans a batch of lines caused (ledger, then kernel)
 * before polling again. Failures older than the jail's findtime are skipped, as fail2ban does.
 *
 * <p>A long batch (a flood of attack lines in one write, or a backlog) is not committed only at
 * its end: once a ban has waited {@link #COMMIT_AFTER_NANOS}, or {@link #COMMIT_AFTER_BANS} bans
 * are pending, they are committed, so the first attackers of a flood, or of a backlog read at
 * start, are in the kernel while the rest is still being matched. 10 ms: with the regexes as fast
 * as they are now, a 1000-attacker burst (3000 lines) takes ~20-30 ms to match, and firewall
 * watchers such as `nft monitor` take ~15-20 ms to take in 1000 bans; committing every 10 ms lets
 * the two overlap (last ban median 55 against 60 ms with 50 ms, 27+27 runs alternated). 5 ms was no better: each
 * commit is also a kernel batch and its "Ban" lines on this thread. Such a mid-batch commit does
 * not wait for the disk ({@link #SYNC_AFTER_NANOS}); the batch's end forces the ledger.
 */
final class SourceReader implements Runnable {
    /** How long a ban decided in the middle of a batch may wait for the batch's end. */
    static final long COMMIT_AFTER_NANOS = 10_000_000L;
    /**
     * How many bans decided in the middle of a batch make a commit without waiting for {@link
     * #COMMIT_AFTER_NANOS}: in a flood each commit then holds at most about this many, so the
     * first attackers are in the kernel after ~3 ms of matching instead of 10, and so is the
     * batch's last commit smaller, which firewall watchers take in sooner.
     */
    static final int COMMIT_AFTER_BANS = 128;
    /**
     * How long the bans of commits in the middle of a batch may stay in the kernel and not yet on
     * disk: those commits write the ledger but do not force it, unless its last fsync by this
     * thread is older than this; the batch's end forces it. A flood's first attackers are in the
     * kernel without waiting for the disk, and a long backlog is still forced every 100 ms.
     */
    static final long SYNC_AFTER_NANOS = 100_000_000L;

    private final String jail;
    private final LogSource source;
    private final FilterMatcher matcher;
    private final long findTimeMillis;
    private final LongSupplier clock;
    private final EventLog log;
    private final Daemon daemon;
    private volatile boolean running = true;
    private volatile Thread thread;

    final AtomicLong lines = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    private volatile JailEngine engine;
    /** System.nanoTime() of this thread's last commit that forced the ledger. */
    private long lastSync = System.nanoTime();
    /** System.nanoTime() of the oldest ban this thread decided and has not committed; 0: none. */
    private long pendingSince;
    /** Bans this thread decided since its last commit. */
    private int pendingBans;
    /** usedns = yes|warn: host names are resolved here; null: names are counted but never banned. */
    private final HostResolver resolver;
    private final boolean warnDns;
    /** A journal jail's reader says when it has caught up, as fail2ban's systemd backend does. */
    private boolean journal;

    SourceReader(String jail, LogSource source, FilterMatcher matcher, long findTimeMillis, LongSupplier clock,
            EventLog log, Daemon daemon, JailEngine engine) {
        this(jail, source, matcher, findTimeMillis, clock, log, daemon, engine, null, false);
    }

    SourceReader(String jail, LogSource source, FilterMatcher matcher, long findTimeMillis, LongSupplier clock,
            EventLog log, Daemon daemon, JailEngine engine, HostResolver resolver, boolean warnDns) {
        this.resolver = resolver;
        this.warnDns = warnDns;
        this.jail = jail;
        this.source = source;
        this.matcher = matcher;
        this.findTimeMillis = findTimeMillis;
        this.clock = clock;
        this.log = log;
        this.daemon = daemon;
        this.engine = engine;
        // fail2ban's warnings about the jail's dates (a broken datepattern, a log in another zone);
        // a matcher a reload kept has them already, each said at most once a day as before
        if (!matcher.warning()) {
            matcher.warningTo(new ips.filter.FilterWarnings(jail, (level, message) -> {
                if (level.equals("ERROR")) {
                    log.error("fail2ban.filter", message);
                } else {
                    log.warning("fail2ban.filter", message);
                }
            }, false));
        }
    }

    String jail() {
        return jail;
    }

    /** This reader reads the journal (fail2ban's systemd backend): it says when it is in operation. */
    SourceReader readingTheJournal(boolean journal) {
        this.journal = journal;
        return this;
    }

    LogSource source() {
        return source;
    }

    long budgetHits() {
        return matcher.budgetExceeded();
    }

    void start() {
        thread = Thread.ofPlatform().name("read-" + jail).daemon().start(this);
    }

    @Override
    public void run() {
        // fail2ban's checkFindTime: while catching up on old content, lines older than findtime
        // are skipped; once caught up (a poll finds nothing new), lines are live.
        matcher.checkFindTime(false, findTimeMillis);
        boolean live = false;
        while (running) {
            try {
                int n = source.poll(this::onLine, 500);
                if (n == 0 && !live) {
                    live = true;
                    matcher.checkFindTime(true, findTimeMillis);
                    if (journal) {
                        log.info("fail2ban.filtersystemd", "[" + jail + "] Jail is in operation now (process new journal entries)");
                    }
                }
                if (n > 0) {
                    lines.addAndGet(n);
                    pendingSince = 0;
                    pendingBans = 0;
                    JailEngine e = engine;
                    if (e.pendingCount() > 0 || e.unsynced()) {
                        daemon.commit(e); // and the one fsync for the batch's earlier commits
                        lastSync = System.nanoTime();
                    }
                }
                log.flush(); // the batch's Found lines, and the Ban lines of its commit
            } catch (InterruptedException e) {
                break;
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    break;
                }
                log.error("fail2ban.filter", "[" + jail + "] reading " + source.description() + " failed: " + e
                        + "; retrying in 1 s");
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    break;
                }
            }
        }
    }

    /** One line: matched, its failures counted; package-private for {@link Warmup}, which feeds scratch readers. */
    void onLine(LogLine line) {
        matcher.process(line, this::onFailure);
        if (pendingSince != 0) {
            long now = System.nanoTime();
            if (now - pendingSince >= COMMIT_AFTER_NANOS || pendingBans >= COMMIT_AFTER_BANS) {
                pendingSince = 0;
                pendingBans = 0;
                boolean sync = now - lastSync >= SYNC_AFTER_NANOS;
                daemon.commit(engine, sync);
                if (sync) {
                    lastSync = now;
                }
                log.flush();
            }
        }
    }

    private void onFailure(long lineNo, FilterFailure f) {
        Failure failure = f.toFailure(jail, clock.getAsLong());
        if (failure == null) {
            return;
        }
        if (resolver != null && failure.address() == null && failure.id().equals(f.fields().get("dns"))) {
            // <HOST> matched a name: fail2ban's DNSUtils.textToIp, each address one failure
            long when = failure.timeMillis();
            if (!resolver.resolve(failure.id(), (name, addresses) -> onResolved(name, addresses, when))) {
                long dropped = resolver.dropped();
                if (Long.bitCount(dropped) == 1) { // the 1st, 2nd, 4th, 8th ... drop: bounded logging
                    log.warning("fail2ban.ipdns", "[" + jail + "] DNS lookup queue full: failure of " + failure.id()
                            + " not counted (" + dropped + " dropped so far)");
                }
            }
            return;
        }
        String ignoredBy = engine.ignoredBy(jail, failure.address());
        if (ignoredBy != null) {
            // fail2ban says so instead of "Found" (filter.py logIgnoreIp); the engine counts it ignored
            log.ignored(jail, failure.address().toString(), ignoredBy);
            engine.onFailure(failure);
            return;
        }
        failures.incrementAndGet();
        log.found(jail, failure.id(), failure.timeMillis());
        if (engine.onFailure(failure) != null) {
            pendingBans++;
            if (pendingSince == 0) {
                pendingSince = System.nanoTime();
            }
        }
    }

    /** A name's addresses: on this reader's thread (cached answer) or on the resolver's. */
    private void onResolved(String name, java.util.List<ips.api.IpAddress> addresses, long when) {
        if (addresses.isEmpty()) {
            return;
        }
        if (warnDns) {
            log.warning("fail2ban.ipdns", ips.filter.PyQuote.dnsLookupWarning(name, addresses));
        }
        if (Thread.currentThread() == thread) {
            count(engine, addresses, when); // a cached answer: committed with the reader's batch
            return;
        }
        // On the resolver's thread the answer may come after a reload replaced this reader's
        // engine or stopped its jail: it goes to the running engine, under the lock reload holds,
        // and only while the jail runs there; the reader commits its own batches, this needs a commit.
        try {
            daemon.withRunningEngine(e -> {
                if (e.jailNames().contains(jail)) {
                    count(e, addresses, when);
                    if (e.pendingCount() > 0) {
                        daemon.commit(e);
                    }
                }
                return null;
            });
        } catch (IllegalArgumentException stopping) {
            // the daemon is stopping: the answer goes with the rest of its unsaved failures
        }
        log.flush();
    }

    private void count(JailEngine e, java.util.List<ips.api.IpAddress> addresses, long when) {
        for (ips.api.IpAddress a : addresses) {
            String ignoredBy = e.ignoredBy(jail, a);
            if (ignoredBy != null) {
                log.ignored(jail, a.toString(), ignoredBy);
            } else {
                failures.incrementAndGet();
                log.found(jail, a.toString(), when);
            }
            e.onFailure(new Failure(jail, a.toString(), a, when));
        }
    }

    /**
     * Asks the thread to stop after its current poll, without waiting (see {@link #stop}); a poll
     * waiting for lines ends at once ({@link LogSource#stopWaiting}).
     */
    void requestStop() {
        running = false;
        source.stopWaiting();
    }

    /**
     * Stops the thread and saves the source's position; closes the source. The position is saved
     * only once the thread is out: saved while it still delivers lines, it would be behind them, and
     * the reader a reload starts on the same log would read them again. The wait is one poll: a
     * backlog is polled in slices (at most ~64k lines each, for files as for the journal).
     */
    void stop() {
        running = false;
        source.stopWaiting();
        Thread t = thread;
        if (t != null) {
            // no interrupt: it would close the source's file channels under it
            try {
                for (boolean warned = false; !t.join(java.time.Duration.ofSeconds(3)); warned = true) {
                    if (!warned) {
                        log.warning("fail2ban.filter", "[" + jail + "] still reading " + source.description()
                                + " after 3 s; waiting for it to stop");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            source.checkpoint();
        } catch (IOException | RuntimeException e) {
            log.warning("fail2ban.filter", "[" + jail + "] cannot save position of " + source.description() + ": " + e.getMessage());
        }
        try {
            source.close();
        } catch (IOException | RuntimeException e) {
            log.warning("fail2ban.filter", "[" + jail + "] closing " + source.description() + ": " + e.getMessage());
        }
    }
}
