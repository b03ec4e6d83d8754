package ips.engine;

import ips.api.Ban;
import ips.api.Enforcer;
import ips.api.EnforcerException;
import ips.api.Failure;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import ips.engine.ledger.BanLedger;
import ips.engine.tracker.FailureTracker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The jails: counts failures, decides bans, and commits them to the ledger and the firewall.
 *
 * <h2>Flow</h2>
 * {@link #onFailure} checks the jail's ignore list, counts the failure in one shared {@link
 * FailureTracker} (a hard ceiling for all jails together), and at maxretry decides a ban: it clears
 * the key's failures, applies {@code bantime.increment} with the ledger's history, aggregation and
 * recidive, appends the ban to the ledger's buffer and returns the decision. It allocates nothing
 * when there is no ban. {@link #commit} is the group commit: ledger write, one {@code
 * Enforcer.ban} for every pending decision, one fsync; it returns what reached the kernel. The
 * daemon calls it after each batch of lines (or after each failure that returned a decision, when
 * latency matters more than batching). A decision that the kernel refused stays pending and is
 * retried by the next commit.
 *
 * <p>Thread-safe: every public method but {@link #tick}'s ignore-list refresh (DNS, files) runs
 * holding the monitor of the engine's {@link BanLedger} (not its own), so sources may feed it from
 * several threads. It is the ledger's because a reload replaces the engine with one on the same
 * ledger and enforcer, neither of which is thread-safe: a thread still working in the old engine
 * (a control command, a DNS answer, the tick) and the readers of the new one then take turns
 * instead of both changing the ledger, or calling the firewall, at once. A caller that must see
 * the ledger and an engine's state together (the firewall check and restore, a list of active
 * bans) holds that same monitor. {@link #commit} holds it through the firewall call and the fsync
 * (the ban is in the kernel before the fsync starts; only the next failures wait for it).
 */
public final class JailEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("ips.engine.JailEngine");
    /**
     * fail2ban's action log: one {@code [jail] Ban ADDR} / {@code [jail] Unban ADDR} line per ban
     * and unban, under fail2ban's logger name so that log watchers and the recidive filter work.
     */
    private static final System.Logger ACTIONS = System.getLogger("fail2ban.actions");
    /** fail2ban's observer: the "Increase Ban" line of a ban bantime.increment made longer. */
    private static final System.Logger OBSERVER = System.getLogger("fail2ban.observer");
    /** Where "Ban"/"Unban" lines go: {@link #ACTIONS} but for a scratch engine. */
    private final System.Logger actions;
    /** Decisions kept for retry while the firewall refuses them; more are dropped (counted, logged). */
    private static final int MAX_PENDING = 1 << 20;
    private static final int SWEEP_BUDGET = 65_536;

    private final EngineSettings settings;
    private final BanLedger ledger;
    /** The ledger: the lock of every engine on it (see the class comment). */
    private final Object lock;
    private final Enforcer enforcer;
    private final FailureTracker tracker;
    /** Bans per address for the native recidive: its own table, so a failure flood cannot evict them. */
    private final FailureTracker recidiveTracker;
    private final Map<String, JailState> jails = new LinkedHashMap<>();
    private final JailState recidive;
    private final FailureKey key = FailureKey.reusable();
    private final List<BanDecision> pending = new ArrayList<>();
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>();
    private volatile long lastIgnoreRefresh;

    private long failures;
    private long ignored;
    private long bans;
    private long unbans;
    private long enforcerErrors;
    private long droppedDecisions;
    private long unbannableIds;
    private boolean lastCommitDurable = true;

    private record Expiry(long at, String jail, IpPrefix target) implements Comparable<Expiry> {
        @Override
        public int compareTo(Expiry o) {
            return Long.compare(at, o.at);
        }
    }

    private static final class JailState {
        final JailPolicy policy;
        final int index;
        long totalFailed;
        long totalBanned;
        /** Active single-address bans per aggregation prefix. */
        final Map<IpPrefix, Integer> perPrefix = new HashMap<>();

        JailState(JailPolicy policy, int index) {
            this.policy = policy;
            this.index = index;
        }
    }

    /**
     * @param ledger the history and persistence ({@link BanLedger#inMemory} for none)
     * @param enforcer where bans go
     */
    public JailEngine(EngineSettings settings, List<JailPolicy> policies, BanLedger ledger, Enforcer enforcer) {
        this(settings, policies, ledger, enforcer, ACTIONS);
    }

    /**
     * An engine whose "Ban"/"Unban" lines go to {@code actions} instead of the {@code
     * fail2ban.actions} logger: a scratch engine (the JIT warm-up's) that must not write them to
     * the daemon's log.
     */
    public JailEngine(EngineSettings settings, List<JailPolicy> policies, BanLedger ledger, Enforcer enforcer,
            System.Logger actions) {
        this.actions = actions;
        this.settings = settings;
        this.ledger = ledger;
        this.lock = ledger;
        this.enforcer = enforcer;
        int n = policies.size() + 1;
        this.tracker = new FailureTracker(settings.maxTrackedFailures(), Math.max(1, n));
        int i = 1;
        for (JailPolicy p : policies) {
            if (jails.containsKey(p.name())) {
                throw new IllegalArgumentException("jail " + p.name() + " is defined twice");
            }
            if (settings.recidive().enabled() && settings.recidive().jail().equals(p.name())) {
                throw new IllegalArgumentException("jail " + p.name() + " is configured and is also the native recidive's"
                        + " jail name; give the native recidive another name");
            }
            JailState s = new JailState(p, i++);
            tracker.setFindTime(s.index, p.findTimeMillis());
            jails.put(p.name(), s);
        }
        RecidivePolicy r = settings.recidive();
        if (r.enabled()) {
            JailPolicy rp = JailPolicy.of(r.jail(), r.maxRetry(), r.findTimeMillis(), r.banTimeMillis());
            recidive = new JailState(rp, 0);
            recidiveTracker = new FailureTracker(Math.max(1024, settings.maxTrackedFailures() / 8), 1);
            recidiveTracker.setFindTime(0, r.findTimeMillis());
            jails.put(r.jail(), recidive);
        } else {
            recidive = null;
            recidiveTracker = null;
        }
        long now = settings.clock().getAsLong();
        lastIgnoreRefresh = now;
        synchronized (lock) { // an engine a reload replaces may still be using the ledger
            for (BanLedger.Entry e : ledger.entries()) {
                JailState s = jails.get(e.jail());
                // a jail that is not running keeps its bans in the ledger but out of the firewall: no
                // timer, so no "Unban" line and no firewall call when they run out
                if (s != null && e.active() && e.expiry() > now) {
                    if (e.expiry() != Ban.PERMANENT) {
                        expiries.add(new Expiry(e.expiry(), e.jail(), e.target()));
                    }
                    countAggregate(s, e.target(), +1);
                }
                // recidive: a ban within its findtime counts again (the ledger keeps the last one per jail)
                if (recidive != null && s != recidive && e.lastBanTime() > now - r.findTimeMillis() && e.target().isSingleAddress()) {
                    key.setAddress(e.target().address(), 32, 128);
                    recidiveTracker.add(FailureTracker.tag(0, key.kind), key.hi, key.lo, e.lastBanTime(), 0, 0, 0);
                }
            }
        }
    }

    /**
     * Takes over what {@code previous} (the engine a reload replaces, on the same ledger) counted:
     * the failures of every jail that still runs and counts them the same way (same {@code
     * ipv4mask}/{@code ipv6mask}), so a reload does not start attackers' counts again, as
     * fail2ban's reload keeps a running jail's; each jail's total failed and banned (its {@code
     * status}); and the engine's counters (failures, bans, unbans, evictions…: the metrics are
     * counters and never go back). Bans, their expiries and the native recidive's counts come
     * from the ledger already. Call it before this engine gets its first failure.
     */
    public void carryOver(JailEngine previous) {
        synchronized (lock) {
            if (previous.lock != lock) {
                throw new IllegalArgumentException("an engine on another ledger");
            }
            long now = settings.clock().getAsLong();
            int[] jailMap = new int[previous.jails.size() + 1];
            java.util.Arrays.fill(jailMap, -1);
            for (Map.Entry<String, JailState> e : previous.jails.entrySet()) {
                JailState was = e.getValue();
                JailState s = jails.get(e.getKey());
                if (s == null || (s == recidive) != (was == previous.recidive)) {
                    continue;
                }
                s.totalFailed = was.totalFailed;
                s.totalBanned = was.totalBanned;
                if (s != recidive && s.policy.ipv4Mask() == was.policy.ipv4Mask() && s.policy.ipv6Mask() == was.policy.ipv6Mask()) {
                    jailMap[was.index] = s.index;
                }
            }
            tracker.carryOver(previous.tracker, jailMap, now);
            failures += previous.failures;
            ignored += previous.ignored;
            bans += previous.bans;
            unbans += previous.unbans;
            enforcerErrors += previous.enforcerErrors;
            droppedDecisions += previous.droppedDecisions;
            unbannableIds += previous.unbannableIds;
        }
    }

    /** The jails' names, the native recidive's included. */
    public List<String> jailNames() {
        synchronized (lock) {
            return List.copyOf(jails.keySet());
        }
    }

    /**
     * Counts one failure; returns the ban it causes, or null. The ban is in the ledger's buffer and
     * pending for {@link #commit}. Allocates nothing when it returns null.
     */
    public BanDecision onFailure(Failure f) {
        synchronized (lock) {
            JailState s = jails.get(f.jail());
            if (s == null || s == recidive) {
                return null;
            }
            JailPolicy p = s.policy;
            IpAddress a = f.address();
            if (a != null && p.ignore().contains(a)) {
                ignored++;
                return null;
            }
            failures++;
            s.totalFailed++;
            boolean byAddress = a != null && (p.ipv4Mask() < 32 || p.ipv6Mask() < 128 || FailureKey.isAddressText(f.id(), a));
            int aTag = 0;
            long aHi = 0;
            long aLo = 0;
            if (byAddress) {
                key.setAddress(a, p.ipv4Mask(), p.ipv6Mask());
            } else {
                if (a != null) {
                    aTag = a.isIpv4() ? FailureKey.IPV4 : FailureKey.IPV6;
                    aHi = a.high();
                    aLo = a.low();
                }
                key.setId(f.id());
            }
            int tag = FailureTracker.tag(s.index, key.kind);
            int retry = tracker.add(tag, key.hi, key.lo, f.timeMillis(), aTag, aHi, aLo);
            if (byAddress && p.increment().enabled()) {
                retry = knownBad(s, a, tag, f.timeMillis(), retry);
            }
            if (retry < p.maxRetry()) {
                return null;
            }
            IpAddress target = a;
            if (!byAddress) {
                int e = tracker.find(tag, key.hi, key.lo);
                int t = tracker.addressTagOf(e);
                if (t == 0) {
                    tracker.remove(tag, key.hi, key.lo);
                    unbannableIds++;
                    return null;
                }
                target = t == FailureKey.IPV4 ? IpAddress.ofIpv4((int) tracker.addressLoOf(e))
                        : IpAddress.ofIpv6(tracker.addressHiOf(e), tracker.addressLoOf(e));
            }
            tracker.remove(tag, key.hi, key.lo);
            IpPrefix prefix = IpPrefix.covering(target, target.isIpv4() ? p.ipv4Mask() : p.ipv6Mask());
            return decide(s, prefix, f.timeMillis(), retry, BanDecision.Reason.FAILURES);
        }
    }

    /**
     * fail2ban's observer with {@code bantime.increment} (observer.py failureFound): a failure of an
     * address this jail banned before counts {@code (1 << banCount) / 2 + 1} times (2, 3, 5, 9 ...),
     * at most maxretry, so a returning attacker is banned sooner; the extra count is one more in the
     * jail's total, as fail2ban's second addFailure makes it, and is logged as fail2ban logs it. A
     * failure not after the last ban (a line read again) gets none. Returns the new retry count.
     */
    private int knownBad(JailState s, IpAddress a, int tag, long time, int retry) {
        JailPolicy p = s.policy;
        IpPrefix target = IpPrefix.covering(a, a.isIpv4() ? p.ipv4Mask() : p.ipv6Mask());
        BanLedger.Entry e = ledger.find(p.name(), target);
        int banCount = ledger.banCount(p.name(), target, false, settings.clock().getAsLong());
        if (banCount <= 0 || e == null || time <= e.lastBanTime()) {
            return retry;
        }
        int computed = (1 << Math.min(banCount, 20)) / 2 + 1;
        // Python's min(2.0, maxretry) keeps the float unless maxretry is smaller
        boolean capped = computed > p.maxRetry();
        int count = Math.min(computed, p.maxRetry());
        if (count <= 1) {
            return retry;
        }
        boolean due = retry >= p.maxRetry();
        if (!due) {
            // fail2ban's observer adds the extra to a failure entry that is still there: one its own
            // count has already banned is gone by then, and is counted no more
            for (int i = 1; i < count; i++) {
                retry = tracker.add(tag, key.hi, key.lo, time, 0, 0, 0);
            }
            s.totalFailed++;
        }
        String when = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .format(java.time.Instant.ofEpochMilli(time).atZone(java.time.ZoneId.systemDefault()));
        // Python prints the float it computed, or maxretry when that was smaller
        (actions == ACTIONS ? OBSERVER : actions).log(System.Logger.Level.INFO, "[" + p.name() + "] Found " + a + ", bad - "
                + when + ", " + banCount + " # -> " + (capped ? Integer.toString(count) : count + ".0")
                + (count >= p.maxRetry() ? ", Ban" : ""));
        return retry;
    }

    private BanDecision decide(JailState s, IpPrefix target, long time, int failures, BanDecision.Reason reason) {
        JailPolicy p = s.policy;
        long now = settings.clock().getAsLong();
        if (isBanned(p.name(), target, now)) {
            return null;
        }
        BanDecision.Reason why = reason;
        JailPolicy.Aggregation agg = p.aggregation();
        IpPrefix aggregate = null;
        if (agg.enabled() && target.isSingleAddress()) {
            aggregate = IpPrefix.covering(target.address(), target.address().isIpv4() ? agg.ipv4Length() : agg.ipv6Length());
            if (isBanned(p.name(), aggregate, now)) {
                return null;
            }
            Integer n = s.perPrefix.get(aggregate);
            if (n != null && n + 1 >= agg.threshold()) {
                target = aggregate;
                why = BanDecision.Reason.AGGREGATE;
                aggregate = null;
            }
        }
        int previous = ledger.banCount(p.name(), target, p.increment().overallJails(), now);
        long banTime = p.permanent() ? p.banTimeMillis()
                : p.increment().banTimeMillis(p.banTimeMillis(), previous, settings.random());
        long expiry = banTime < 0 ? Ban.PERMANENT : saturatingAdd(time, banTime);
        if (expiry <= now) {
            // fail2ban's "Ignore old bantime": the ban would already be over
            return null;
        }
        Ban ban = new Ban(p.name(), target, expiry);
        BanLedger.Entry entry = ledger.append(ban, time);
        if (aggregate != null) {
            countAggregate(s, target, +1);
        }
        if (expiry != Ban.PERMANENT) {
            expiries.add(new Expiry(expiry, p.name(), target));
        }
        BanDecision d = new BanDecision(ban, banTime, entry.banCount(), failures, why);
        enqueue(d);
        bans++;
        s.totalBanned++;
        if (recidive != null && s != recidive && target.isSingleAddress()) {
            key.setAddress(target.address(), 32, 128);
            int tag = FailureTracker.tag(0, key.kind);
            int n = recidiveTracker.add(tag, key.hi, key.lo, time, 0, 0, 0);
            if (n >= recidive.policy.maxRetry()) {
                recidiveTracker.remove(tag, key.hi, key.lo);
                decide(recidive, target, time, n, BanDecision.Reason.RECIDIVE);
            }
        }
        return d;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE - 1 : Math.min(r, Long.MAX_VALUE - 1);
    }

    private void enqueue(BanDecision d) {
        if (pending.size() >= MAX_PENDING) {
            droppedDecisions++;
            LOG.log(System.Logger.Level.ERROR, "too many bans waiting for the firewall; dropped " + d.ban());
            return;
        }
        pending.add(d);
    }

    private void countAggregate(JailState s, IpPrefix target, int delta) {
        JailPolicy.Aggregation agg = s.policy.aggregation();
        if (!agg.enabled() || !target.isSingleAddress()) {
            return;
        }
        IpPrefix p = IpPrefix.covering(target.address(), target.address().isIpv4() ? agg.ipv4Length() : agg.ipv6Length());
        s.perPrefix.merge(p, delta, (x, y) -> x + y == 0 ? null : x + y);
    }

    private boolean isBanned(String jail, IpPrefix target, long now) {
        BanLedger.Entry e = ledger.find(jail, target);
        return e != null && e.active() && e.expiry() > now;
    }

    /**
     * The group commit: writes pending ledger records, sends every pending ban to the firewall in
     * one call, forces the ledger (one fsync). Returns the decisions that reached the firewall;
     * {@link #lastCommitDurable()} says whether they are also on disk.
     */
    public List<BanDecision> commit() {
        return commit(true);
    }

    /**
     * The group commit; with {@code sync} false the ledger records are written but not forced:
     * the bans reach the kernel without waiting for the disk, and the next commit with
     * {@code sync} forces them all with one fsync (a log reader in the middle of a flood commits
     * this way, and syncs at the end of its batch; see {@link #unsynced()}).
     */
    public List<BanDecision> commit(boolean sync) {
        synchronized (lock) {
            boolean written = ledger.write();
            if (pending.isEmpty()) {
                lastCommitDurable = forced(sync) && written;
                return List.of();
            }
            List<Ban> batch = new ArrayList<>(pending.size());
            for (BanDecision d : pending) {
                batch.add(d.ban());
            }
            try {
                enforcer.ban(batch);
            } catch (EnforcerException | RuntimeException e) {
                enforcerErrors++;
                LOG.log(System.Logger.Level.ERROR, "firewall refused " + batch.size() + " bans (kept for retry): " + e.getMessage());
                lastCommitDurable = forced(sync) && written;
                return List.of();
            }
            lastCommitDurable = forced(sync) && written;
            List<BanDecision> done = List.copyOf(pending);
            pending.clear();
            for (BanDecision d : done) {
                actions.log(System.Logger.Level.INFO, d.logLine());
                JailState s = jails.get(d.ban().jail());
                if (s == null && recidive != null && recidive.policy.name().equals(d.ban().jail())) {
                    s = recidive;
                }
                if (s != null && s.policy.increment().enabled()) {
                    String increased = d.increaseLine(s.policy.banTimeMillis(), java.time.ZoneId.systemDefault());
                    if (increased != null) {
                        (actions == ACTIONS ? OBSERVER : actions).log(System.Logger.Level.INFO, increased);
                    }
                }
            }
            return done;
        }
    }

    /** With {@code sync}, forces the ledger; true when nothing written is left unforced. */
    private boolean forced(boolean sync) {
        return sync ? ledger.force() : !ledger.unforced();
    }

    /** True when a commit left ledger records written but not yet forced to disk. */
    public boolean unsynced() {
        synchronized (lock) {
            return ledger.unforced();
        }
    }

    /** True when the last {@link #commit} also reached the disk (the bans it returned are acknowledged). */
    public boolean lastCommitDurable() {
        synchronized (lock) {
            return lastCommitDurable;
        }
    }

    /** Decisions waiting for {@link #commit}. */
    public int pendingCount() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /**
     * An operator's ban ({@code fail2ban-client set JAIL banip}); committed at once. Returns the
     * decision, or null when the target is ignored, or already banned.
     */
    public BanDecision ban(String jail, IpPrefix target) {
        synchronized (lock) {
            JailState s = jails.get(jail);
            if (s == null) {
                throw new IllegalArgumentException("no jail named " + jail);
            }
            BanDecision d = decide(s, target, settings.clock().getAsLong(), 0, BanDecision.Reason.MANUAL);
            commit();
            return d;
        }
    }

    /**
     * fail2ban's {@code set JAIL attempt ADDR [FAILURE...]} (filter.py addAttempt): {@code count}
     * failures of {@code address} now, counted once in the jail's total as fail2ban counts them,
     * not checked against ignoreip (fail2ban does not); bans, and commits the ban, at maxretry.
     */
    public BanDecision attempt(String jail, IpAddress address, int count) {
        synchronized (lock) {
            JailState s = jails.get(jail);
            if (s == null || s == recidive) {
                throw new IllegalArgumentException("no jail named " + jail);
            }
            JailPolicy p = s.policy;
            long now = settings.clock().getAsLong();
            failures++;
            s.totalFailed++;
            key.setAddress(address, p.ipv4Mask(), p.ipv6Mask());
            int tag = FailureTracker.tag(s.index, key.kind);
            int retry = 0;
            for (int i = 0; i < Math.max(1, count); i++) {
                retry = tracker.add(tag, key.hi, key.lo, now, 0, 0, 0);
            }
            if (retry < p.maxRetry()) {
                return null;
            }
            tracker.remove(tag, key.hi, key.lo);
            IpPrefix prefix = IpPrefix.covering(address, address.isIpv4() ? p.ipv4Mask() : p.ipv6Mask());
            BanDecision d = decide(s, prefix, now, retry, BanDecision.Reason.FAILURES);
            commit();
            return d;
        }
    }

    /**
     * Why {@code jail} ignores {@code address} (fail2ban's "Ignore ADDR by ..." words: {@code
     * ignoreself rule}, {@code ip}, {@code dns}), or null when it counts its failures.
     */
    public String ignoredBy(String jail, IpAddress address) {
        JailState s = jails.get(jail);
        return s == null || address == null ? null : s.policy.ignore().why(address);
    }

    /** Lifts a ban of one jail; returns false when it was not banned there. */
    public boolean unban(String jail, IpPrefix target) {
        synchronized (lock) {
            long now = settings.clock().getAsLong();
            if (!isBanned(jail, target, now) || !ledger.appendUnban(jail, target, now)) {
                return false;
            }
            ledger.write();
            JailState s = jails.get(jail);
            if (s != null) {
                countAggregate(s, target, -1);
            }
            pending.removeIf(d -> d.ban().jail().equals(jail) && d.ban().target().equals(target));
            try {
                enforcer.unban(jail, List.of(target));
            } catch (EnforcerException | RuntimeException e) {
                enforcerErrors++;
                LOG.log(System.Logger.Level.ERROR, "firewall refused to unban " + target + " in " + jail + ": " + e.getMessage());
            }
            ledger.force();
            unbans++;
            actions.log(System.Logger.Level.INFO, "[" + jail + "] Unban " + target);
            return true;
        }
    }

    /** Lifts the target's bans in every jail ({@code fail2ban-client unban ADDR}); returns how many. */
    public int unbanEverywhere(IpPrefix target) {
        synchronized (lock) {
            int n = 0;
            for (String jail : jails.keySet()) {
                if (unban(jail, target)) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * Periodic work: bans whose time is over are forgotten (and lifted in the firewall unless it
     * expires them itself), failures past findtime are swept in bounded steps, ignoreip names and
     * files are refreshed, bans the firewall refused are retried, and the ledger is compacted when
     * dead records dominate.
     */
    public void tick(long now) {
        // DNS and files are read outside the lock: a slow resolver must not stall onFailure
        if (now - lastIgnoreRefresh >= settings.ignoreRefreshMillis()) {
            lastIgnoreRefresh = now;
            for (JailState s : jails.values()) {
                s.policy.ignore().refresh();
            }
        }
        synchronized (lock) {
            expireAndMaintain(now);
        }
    }

    private void expireAndMaintain(long now) {
        Map<String, List<IpPrefix>> lift = new LinkedHashMap<>();
        while (!expiries.isEmpty() && expiries.peek().at() <= now) {
            Expiry x = expiries.poll();
            BanLedger.Entry e = ledger.find(x.jail(), x.target());
            if (e == null || !e.active() || e.expiry() != x.at()) {
                continue; // unbanned or re-banned since
            }
            ledger.expire(x.jail(), x.target());
            JailState s = jails.get(x.jail());
            if (s != null) {
                countAggregate(s, x.target(), -1);
            }
            unbans++;
            actions.log(System.Logger.Level.INFO, "[" + x.jail() + "] Unban " + x.target());
            if (!settings.kernelExpires()) {
                lift.computeIfAbsent(x.jail(), j -> new ArrayList<>()).add(x.target());
            }
        }
        for (Map.Entry<String, List<IpPrefix>> l : lift.entrySet()) {
            try {
                enforcer.unban(l.getKey(), l.getValue());
            } catch (EnforcerException | RuntimeException e) {
                enforcerErrors++;
                LOG.log(System.Logger.Level.ERROR, "firewall refused to lift " + l.getValue().size() + " expired bans of "
                        + l.getKey() + ": " + e.getMessage());
            }
        }
        tracker.sweep(now, SWEEP_BUDGET);
        if (recidiveTracker != null) {
            recidiveTracker.sweep(now, SWEEP_BUDGET);
        }
        if (!pending.isEmpty() || ledger.lag() > 0) {
            commit();
        }
        ledger.compactIfWorthIt(now);
    }

    /** fail2ban counts a restored ban in its jail's "Total banned". */
    private BanLedger.RestoreReport countRestored(BanLedger.RestoreReport r) {
        for (Ban b : r.restored()) {
            JailState s = jails.get(b.jail());
            if (s != null) {
                s.totalBanned++;
            }
        }
        return r;
    }

    /**
     * Replays the ledger's bans of this engine's jails into the firewall in one call (see {@link
     * BanLedger#restore}). Call once at start, after {@code Enforcer.scaffold}. Bans of jails that
     * are not running stay in the ledger only (counted in {@link BanLedger.RestoreReport#otherJails}).
     */
    public BanLedger.RestoreReport restore() {
        synchronized (lock) {
            return countRestored(ledger.restore(enforcer, settings.clock().getAsLong(), jails::containsKey));
        }
    }

    /**
     * As {@link #restore()} for some of this engine's jails only: those a reload started (their
     * firewall state was just created, empty).
     */
    public BanLedger.RestoreReport restore(Collection<String> only) {
        synchronized (lock) {
            return countRestored(ledger.restore(enforcer, settings.clock().getAsLong(), j -> jails.containsKey(j) && only.contains(j)));
        }
    }

    /** fail2ban-client's status of one jail. */
    public JailStatus status(String jail) {
        synchronized (lock) {
            JailState s = jails.get(jail);
            if (s == null) {
                throw new IllegalArgumentException("no jail named " + jail);
            }
            long now = settings.clock().getAsLong();
            List<BanLedger.Entry> active = new ArrayList<>();
            for (BanLedger.Entry e : ledger.entries()) {
                if (e.jail().equals(jail) && e.active() && e.expiry() > now) {
                    active.add(e);
                }
            }
            // in the order the bans were made, as fail2ban's ban list (a dict) keeps them
            active.sort(java.util.Comparator.comparingLong(BanLedger.Entry::banOrder));
            List<IpPrefix> banned = new ArrayList<>(active.size());
            for (BanLedger.Entry e : active) {
                banned.add(e.target());
            }
            int failed = s == recidive ? recidiveTracker.size() : tracker.sizeOf(s.index);
            return new JailStatus(jail, failed, s.totalFailed, banned.size(), s.totalBanned, banned);
        }
    }

    /** Failures counted (not ignored). */
    public long failures() {
        synchronized (lock) {
            return failures;
        }
    }

    /** Failures from ignored addresses. */
    public long ignored() {
        synchronized (lock) {
            return ignored;
        }
    }

    public long bans() {
        synchronized (lock) {
            return bans;
        }
    }

    public long unbans() {
        synchronized (lock) {
            return unbans;
        }
    }

    /** Keys evicted from the full tracker before their findtime was over. */
    public long evictions() {
        synchronized (lock) {
            return tracker.evictions();
        }
    }

    public int trackedFailures() {
        synchronized (lock) {
            return tracker.size();
        }
    }

    public int trackerCapacity() {
        synchronized (lock) {
            return tracker.capacity();
        }
    }

    public long ledgerErrors() {
        synchronized (lock) {
            return ledger.errors();
        }
    }

    /** Ledger records not yet forced to disk. */
    public long ledgerLag() {
        synchronized (lock) {
            return ledger.lag();
        }
    }

    /** Ledger compactions so far. */
    public long ledgerCompactions() {
        synchronized (lock) {
            return ledger.compactions();
        }
    }

    public long enforcerErrors() {
        synchronized (lock) {
            return enforcerErrors;
        }
    }

    /** Decisions dropped because too many waited for a refusing firewall. */
    public long droppedDecisions() {
        synchronized (lock) {
            return droppedDecisions;
        }
    }

    /** F-ID keys that reached maxretry without ever naming an address to ban. */
    public long unbannableIds() {
        synchronized (lock) {
            return unbannableIds;
        }
    }

    /** Commits what is pending and closes the ledger; the enforcer stays open (the caller owns it). */
    @Override
    public void close() {
        synchronized (lock) {
            commit();
            ledger.close();
        }
    }
}
