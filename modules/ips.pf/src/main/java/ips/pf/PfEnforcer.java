package ips.pf;

import ips.api.Ban;
import ips.api.Enforcer;
import ips.api.EnforcerException;
import ips.api.EnforcerSettings;
import ips.api.IpPrefix;
import ips.api.JailRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The PF enforcer: one persistent table per jail, {@code <table>-<jail>} in the main ruleset
 * ({@link TableNames}), filled and emptied with {@code DIOCR*} ioctls. The operator's pf.conf
 * blocks what the tables hold (see the module README).
 *
 * <p>PF tables have no per-entry timeout, so this class keeps each ban's expiry in memory: {@link
 * #list()} reports it, and {@link #expire(long)} lifts the bans whose time is over. Every public
 * call runs {@code expire(now)} first; the daemon's tick still calls {@link #unban} for the bans
 * its ledger expires (that is the primary path, and the one that survives a restart). Entries
 * found in a table without a known expiry (written before a restart, or by hand) are reported as
 * {@link Ban#PERMANENT} until a {@code ban} refreshes them.
 *
 * <p>Newly added targets have their existing states killed (see {@link StateKiller}), up to
 * {@link #STATE_KILL_LIMIT} targets per call: each kill walks pf's whole state table, so a bulk
 * restore skips it.
 */
final class PfEnforcer implements Enforcer {
    private static final System.Logger LOG = System.getLogger(PfEnforcer.class.getName());

    /** Most new targets per {@code ban} call whose states are killed one by one. */
    static final int STATE_KILL_LIMIT = 256;

    private final IoctlDevice device;
    private final PfTables tables;
    private final StateKiller killer;
    private final String prefix;
    /** portcullis.conf's blocktype: only for the pf.conf rule a warning suggests (PF's rules are the operator's). */
    private volatile EnforcerSettings.BlockType blockType;
    private final LongSupplier clock;
    /** jail -> its table name, for every jail scaffolded or banned in this process. */
    private final Map<String, String> tableOfJail = new LinkedHashMap<>();
    /** jail -> target -> expiry (epoch ms), for every ban written by this process. */
    private final Map<String, Map<IpPrefix, Long>> expiries = new HashMap<>();
    /** No ban in {@link #expiries} ends before this (a lower bound: removals do not raise it). */
    private long nextExpiry = Long.MAX_VALUE;
    private final List<String> warnings = new ArrayList<>();
    private boolean stateKillReported;

    PfEnforcer(IoctlDevice device, EnforcerSettings settings, LongSupplier clock, int requestMaxCount) {
        this.device = device;
        this.tables = new PfTables(device, requestMaxCount);
        this.killer = new StateKiller(device);
        this.prefix = settings.table();
        this.blockType = settings.blockType();
        this.clock = clock;
    }

    /**
     * Takes portcullis.conf's blocktype again (the pf.conf rule a warning suggests); the table
     * prefix stays. {@code forward} means nothing here: pf.conf's rules decide where the tables
     * apply.
     */
    @Override
    public boolean adopt(EnforcerSettings next) {
        if (!next.table().equals(prefix)) {
            return false;
        }
        blockType = next.blockType();
        return true;
    }

    @Override
    public String name() {
        return "pf";
    }

    /** The table that holds {@code jail}'s bans. */
    String tableFor(String jail) {
        String t = tableOfJail.get(jail);
        return t != null ? t : TableNames.forJail(prefix, jail);
    }

    /** What {@code scaffold} found wrong with the ruleset, one line per problem. */
    List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    StateKiller.Mode stateKillMode() {
        return killer.mode();
    }

    /**
     * Creates each jail's table ({@code PFR_TFLAG_PERSIST}, kept across rule reloads; existing
     * tables and their addresses are left as they are), then checks with {@code DIOCRGETTABLES}
     * that a rule references each table: PF reports {@code PFR_TFLAG_REFERENCED} when one does.
     * A table no rule uses is a warning (bans into it would block nothing), not an error.
     *
     * <p>The tables of jails this enforcer scaffolded or banned into before and that are no longer
     * listed are deleted ({@code DIOCRDELTABLES}) once the listed ones exist: their bans leave the
     * firewall, and a table that a pf.conf rule still references stays behind, inactive and empty.
     * PF offers no single transaction over both requests. Tables an earlier process left are not
     * touched: the main ruleset's table names are shared with the operator's own.
     */
    @Override
    public void scaffold(List<JailRule> jails) throws EnforcerException {
        Map<String, String> wanted = new LinkedHashMap<>();
        Map<String, String> jailOfTable = new HashMap<>();
        Map<String, EnforcerSettings.BlockType> blockOfJail = new HashMap<>();
        for (JailRule j : jails) {
            blockOfJail.put(j.name(), j.blockTypeOr(blockType));
            String table = TableNames.forJail(prefix, j.name());
            String other = jailOfTable.putIfAbsent(table, j.name());
            if (other != null && !other.equals(j.name())) {
                throw new EnforcerException("scaffold", Errno.EEXIST,
                        "jails '" + other + "' and '" + j.name() + "' map to the same PF table <" + table + ">: rename one");
            }
            wanted.put(j.name(), table);
        }
        List<String> dropped = new ArrayList<>();
        for (Map.Entry<String, String> e : tableOfJail.entrySet()) {
            if (!wanted.containsKey(e.getKey()) && !jailOfTable.containsKey(e.getValue())) {
                dropped.add(e.getValue());
            }
        }
        tables.addTables(List.copyOf(wanted.values()), PfrTableLayout.PFR_TFLAG_PERSIST);
        if (!dropped.isEmpty()) {
            tables.delTables(dropped);
        }
        tableOfJail.keySet().retainAll(wanted.keySet());
        expiries.keySet().retainAll(wanted.keySet());
        tableOfJail.putAll(wanted);
        warnings.clear();
        Map<String, PfTables.TableInfo> present = new HashMap<>();
        for (PfTables.TableInfo t : tables.getTables()) {
            if (t.anchor().isEmpty()) {
                present.put(t.name(), t);
            }
        }
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            PfTables.TableInfo t = present.get(e.getValue());
            String problem = null;
            if (t == null || !t.active()) {
                problem = "table <" + e.getValue() + "> of jail " + e.getKey() + " is not active after creation";
            } else if (!t.referenced()) {
                problem = "no pf rule references table <" + e.getValue() + "> of jail " + e.getKey()
                        + ": its bans block nothing (add 'block "
                        + (blockOfJail.get(e.getKey()) == EnforcerSettings.BlockType.REJECT ? "return" : "drop")
                        + " in quick from <" + e.getValue() + ">' to pf.conf)";
            }
            if (problem != null) {
                warnings.add(problem);
                LOG.log(System.Logger.Level.WARNING, problem);
            }
        }
    }

    /**
     * Deletes ({@code DIOCRDELTABLES}) the tables {@code <prefix>-<jail>} of {@code jails} that are
     * not in the scaffold: an earlier process banned into them (its ledger says so) and they are
     * not enabled any more. Unlike a table of unknown origin, which {@link #scaffold} leaves alone,
     * these are known to be ours. A table a pf.conf rule still references stays, inactive and
     * empty; a missing one is no error. A table name a scaffolded jail also maps to is kept.
     */
    @Override
    public int liftLeftovers(Collection<String> jails) throws EnforcerException {
        List<String> names = new ArrayList<>();
        for (String j : jails) {
            String table = TableNames.forJail(prefix, j);
            if (!tableOfJail.containsKey(j) && !tableOfJail.containsValue(table) && !names.contains(table)) {
                names.add(table);
                expiries.remove(j);
            }
        }
        return names.isEmpty() ? 0 : tables.delTables(names);
    }

    /**
     * Deletes the tables of {@code jails} ({@code DIOCRDELTABLES}: each is emptied, and destroyed
     * unless a pf.conf rule still references it). Only those: other tables with our prefix may be
     * the operator's. Returns how many were active.
     */
    @Override
    public int removeAll(Collection<String> jails) throws EnforcerException {
        List<String> names = new ArrayList<>();
        for (String j : jails) {
            String table = TableNames.forJail(prefix, j);
            if (!names.contains(table)) {
                names.add(table);
            }
        }
        tableOfJail.clear();
        expiries.clear();
        return names.isEmpty() ? 0 : tables.delTables(names);
    }

    @Override
    public void ban(Collection<Ban> bans) throws EnforcerException {
        long now = clock.getAsLong();
        expire(now);
        Map<String, List<Ban>> byJail = new LinkedHashMap<>();
        for (Ban b : bans) {
            if (b.expiresAtMillis() > now) {
                byJail.computeIfAbsent(b.jail(), k -> new ArrayList<>()).add(b);
            }
        }
        for (Map.Entry<String, List<Ban>> e : byJail.entrySet()) {
            banInJail(e.getKey(), e.getValue());
        }
    }

    private void banInJail(String jail, List<Ban> bans) throws EnforcerException {
        String table = tableFor(jail);
        List<IpPrefix> targets = new ArrayList<>(bans.size());
        for (Ban b : bans) {
            targets.add(b.target());
        }
        boolean[] added = new boolean[targets.size()];
        try {
            tables.addAddrs(table, targets, added);
        } catch (EnforcerException ex) {
            if (ex.errno() != Errno.ESRCH) {
                throw ex;
            }
            // the table is gone (flushed from outside, or never scaffolded): create it, retry once
            tables.addTables(List.of(table), PfrTableLayout.PFR_TFLAG_PERSIST);
            tables.addAddrs(table, targets, added);
        }
        tableOfJail.putIfAbsent(jail, table);
        Map<IpPrefix, Long> book = expiries.computeIfAbsent(jail, k -> new HashMap<>());
        int fresh = 0;
        for (int i = 0; i < added.length; i++) {
            book.put(bans.get(i).target(), bans.get(i).expiresAtMillis());
            nextExpiry = Math.min(nextExpiry, bans.get(i).expiresAtMillis());
            if (added[i]) {
                fresh++;
            }
        }
        if (fresh > STATE_KILL_LIMIT) {
            LOG.log(System.Logger.Level.INFO, "[" + jail + "] " + fresh + " new bans at once: existing states not killed");
            return;
        }
        for (int i = 0; i < added.length; i++) {
            if (added[i] && killer.kill(targets.get(i)) < 0) {
                reportStateKillFailure();
            }
        }
    }

    private void reportStateKillFailure() {
        if (!stateKillReported) {
            stateKillReported = true;
            LOG.log(System.Logger.Level.WARNING, "cannot kill states of banned sources: "
                    + Errno.describe(killer.lastErrno()) + "; established connections outlive their ban");
        }
    }

    @Override
    public void unban(String jail, Collection<IpPrefix> targets) throws EnforcerException {
        expire(clock.getAsLong());
        lift(jail, targets);
    }

    private void lift(String jail, Collection<IpPrefix> targets) throws EnforcerException {
        if (targets.isEmpty()) {
            return;
        }
        try {
            tables.delAddrs(tableFor(jail), List.copyOf(targets));
        } catch (EnforcerException ex) {
            if (ex.errno() != Errno.ESRCH) {
                throw ex;
            }
        }
        Map<IpPrefix, Long> book = expiries.get(jail);
        if (book != null) {
            for (IpPrefix t : targets) {
                book.remove(t);
            }
        }
    }

    /**
     * Lifts every ban whose expiry is at or before {@code nowMillis}.
     *
     * @return how many bans were lifted
     */
    int expire(long nowMillis) throws EnforcerException {
        if (nowMillis < nextExpiry) {
            return 0; // the common case: nothing is due, no scan
        }
        int lifted = 0;
        long next = Long.MAX_VALUE;
        for (Map.Entry<String, Map<IpPrefix, Long>> e : expiries.entrySet()) {
            List<IpPrefix> due = null;
            for (Map.Entry<IpPrefix, Long> b : e.getValue().entrySet()) {
                if (b.getValue() <= nowMillis) {
                    if (due == null) {
                        due = new ArrayList<>();
                    }
                    due.add(b.getKey());
                } else {
                    next = Math.min(next, b.getValue());
                }
            }
            if (due != null) {
                lift(e.getKey(), due);
                lifted += due.size();
            }
        }
        nextExpiry = next;
        return lifted;
    }

    @Override
    public List<Ban> list() throws EnforcerException {
        return list(jail -> true);
    }

    /** Reads only the tables of the jails {@code which} accepts. */
    @Override
    public List<Ban> list(java.util.function.Predicate<String> which) throws EnforcerException {
        expire(clock.getAsLong());
        List<Ban> out = new ArrayList<>();
        for (Map.Entry<String, String> e : tableOfJail.entrySet()) {
            if (!which.test(e.getKey())) {
                continue;
            }
            List<IpPrefix> present;
            try {
                present = tables.getAddrs(e.getValue());
            } catch (EnforcerException ex) {
                if (ex.errno() == Errno.ESRCH) {
                    continue;
                }
                throw ex;
            }
            Map<IpPrefix, Long> book = expiries.getOrDefault(e.getKey(), Map.of());
            for (IpPrefix p : present) {
                out.add(new Ban(e.getKey(), p, book.getOrDefault(p, Ban.PERMANENT)));
            }
        }
        return out;
    }

    @Override
    public void flush(String jail) throws EnforcerException {
        try {
            tables.clrAddrs(tableFor(jail));
        } catch (EnforcerException ex) {
            if (ex.errno() != Errno.ESRCH) {
                throw ex;
            }
        }
        expiries.remove(jail);
    }

    /**
     * Makes {@code jail}'s table hold exactly the given bans (expired ones dropped), atomically with
     * {@code DIOCRSETADDRS}: for re-applying the ledger after pf.conf was reloaded by hand. States
     * are not killed here.
     *
     * @return the kernel's counts of added, deleted and changed entries
     */
    PfTables.SetResult reconcile(String jail, Collection<Ban> bans) throws EnforcerException {
        long now = clock.getAsLong();
        String table = tableFor(jail);
        Map<IpPrefix, Long> book = new HashMap<>();
        for (Ban b : bans) {
            if (!b.jail().equals(jail)) {
                throw new IllegalArgumentException("ban of jail " + b.jail() + " given to reconcile " + jail);
            }
            if (b.expiresAtMillis() > now) {
                book.merge(b.target(), b.expiresAtMillis(), Math::max);
            }
        }
        tables.addTables(List.of(table), PfrTableLayout.PFR_TFLAG_PERSIST);
        PfTables.SetResult r = tables.setAddrs(table, List.copyOf(book.keySet()));
        tableOfJail.putIfAbsent(jail, table);
        expiries.put(jail, book);
        for (long e : book.values()) {
            nextExpiry = Math.min(nextExpiry, e);
        }
        return r;
    }

    @Override
    public void close() {
        device.close();
    }
}
