package ips.api;

import java.util.Collection;
import java.util.List;

/**
 * A firewall that keeps banned sources out. Implementations write straight to the kernel and
 * never start a process. Every method either completes wholly or throws; none blocks forever.
 * Not thread-safe: the daemon calls it from one thread.
 */
public interface Enforcer extends AutoCloseable {

    /** The backend's name, such as {@code nftables}. */
    String name();

    /**
     * Creates, atomically, whatever the given jails need (tables, sets, chains, rules). Running it
     * again with the same or other jails is idempotent and keeps every existing ban of the jails
     * that remain.
     *
     * <p>A jail no longer listed is stopped, as fail2ban's {@code actionstop} does: its bans leave
     * the firewall and whatever belonged only to it (its sets, its rules, its table) is removed,
     * where the backend allows in the same atomic step. That covers every jail this enforcer
     * scaffolded or banned into before; a backend whose layout is wholly its own (nftables: its
     * table) also removes what an earlier process left of jails listed no more. Afterwards {@link
     * #ban}, {@link #unban} and {@link #flush} may refuse that jail. A jail listed again starts
     * empty: keeping a stopped jail's bans (the ledger) and putting the unexpired ones back when
     * it returns is the caller's job.
     */
    void scaffold(List<JailRule> jails) throws EnforcerException;

    /**
     * Bans a batch. Each ban carries its own expiry, which the kernel enforces where it can; a
     * re-ban of a banned target refreshes its expiry. Bans whose expiry is already past are skipped.
     */
    void ban(Collection<Ban> bans) throws EnforcerException;

    /** Lifts the given bans of one jail; a target that is not banned is ignored. */
    void unban(String jail, Collection<IpPrefix> targets) throws EnforcerException;

    /** Every ban currently in the firewall, with its expiry as the kernel reports it. */
    List<Ban> list() throws EnforcerException;

    /**
     * {@link #list()} for the jails {@code jails} accepts; a firewall that keeps each jail apart
     * reads only theirs (restoring the bans of a jail a reload started need not read every other
     * jail's, which may be hundreds of thousands).
     */
    default List<Ban> list(java.util.function.Predicate<String> jails) throws EnforcerException {
        List<Ban> all = list();
        List<Ban> out = new java.util.ArrayList<>(all.size());
        for (Ban b : all) {
            if (jails.test(b.jail())) {
                out.add(b);
            }
        }
        return out;
    }

    /** Lifts every ban of one jail. */
    void flush(String jail) throws EnforcerException;

    /**
     * Lifts what an earlier run of the daemon left in the firewall for {@code jails}, jails that are
     * not in the scaffold now (the ledger holds bans of theirs: they were disabled while the daemon
     * was down). Their bans stay in the ledger for when the jail runs again, as fail2ban keeps a
     * stopped jail's bans in its database. By default nothing: a firewall whose {@link #scaffold}
     * already removes everything of the jails it does not list (nftables: the whole table is ours)
     * has nothing left over.
     *
     * @return how many of {@code jails} had something in the firewall that is now gone
     */
    default int liftLeftovers(Collection<String> jails) throws EnforcerException {
        return 0;
    }

    /**
     * Prepares the ban path for the first bans after a start (one-time runtime work such as method
     * handle specialisation) without touching the firewall's state. Called once, on a low-priority
     * thread, after the daemon is ready; may run while other threads ban.
     */
    default void warmUp() {}

    /**
     * Checks that the firewall still holds what {@link #scaffold} created, and re-creates it when
     * someone removed it (say, {@code nft flush ruleset}). Returns how many times the scaffold has
     * been re-created since the enforcer was opened, by this check or by an operation that found
     * it gone: when the number grows, the caller re-applies the bans the firewall lost.
     */
    default long verifyScaffold() throws EnforcerException {
        return 0;
    }

    /**
     * Takes {@code next}'s block type and forward setting for the following {@link #scaffold} (a
     * reload after portcullis.conf changed them); bans stay. Returns false, changing nothing, when
     * this firewall cannot: another table (a restart moves to it), or a backend that has no such
     * settings. By default false.
     */
    default boolean adopt(EnforcerSettings next) {
        return false;
    }

    /**
     * Removes what this firewall holds for Portcullis for good: every ban and what {@link
     * #scaffold} made (nftables: its table; pf: the tables of {@code jails}, the jails the
     * configuration and the ledger know, since PF's table names are shared with the operator's own).
     * For a host that stops using Portcullis: a stopped daemon leaves its bans in the kernel, so
     * that a restart loses none. Returns how many objects went (0: nothing was there).
     */
    default int removeAll(Collection<String> jails) throws EnforcerException {
        throw new EnforcerException("remove firewall state", 0, name() + " cannot remove its firewall state");
    }

    /** Releases native resources; bans stay in the kernel. */
    @Override
    void close();

    /**
     * An enforcer that accepts every call and keeps nothing: for benchmarks and tests of the
     * layers above the firewall. As it holds no bans, a jail dropped from its scaffold leaves
     * nothing behind, and {@link #list} is always empty.
     */
    static Enforcer discarding() {
        return new Enforcer() {
            @Override
            public String name() {
                return "discarding";
            }

            @Override
            public void scaffold(List<JailRule> jails) {}

            @Override
            public void ban(Collection<Ban> bans) {}

            @Override
            public void unban(String jail, Collection<IpPrefix> targets) {}

            @Override
            public List<Ban> list() {
                return List.of();
            }

            @Override
            public void flush(String jail) {}

            @Override
            public void close() {}
        };
    }
}
