package ips.nftables;

import ips.api.Ban;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one prefix set ({@code flags interval}) holds, kept in user space because the kernel
 * rejects an interval that overlaps one already in the set and does not merge them (nft's
 * auto-merge lives in the nft program). CIDR prefixes either nest or are disjoint, so the rule is:
 *
 * <ul>
 *   <li>a new prefix inside one already banned until at least as late is <b>skipped</b> (covered);
 *   <li>a new prefix inside one banned for less long <b>refreshes</b> the wider one to the later
 *       expiry (delete and re-add it in the same batch);
 *   <li>a new prefix that covers banned ones <b>absorbs</b> them: they are deleted and the new
 *       prefix is added with the latest expiry among them and itself, so no address is let in
 *       earlier than it would have been.
 * </ul>
 *
 * Single addresses never come here: they live in the jail's plain address set, which has no
 * overlap rule, and the rules match both sets. Entries whose expiry has passed count as gone.
 */
final class PrefixBook {
    private final TreeMap<IpPrefix, Long> entries = new TreeMap<>();

    /** What a ban must do to the set: delete {@link #removals}, then add {@link #add} (or nothing). */
    static final class Plan {
        final List<IpPrefix> removals = new ArrayList<>();
        final List<Long> removalExpiries = new ArrayList<>();
        IpPrefix add;
        long addExpiresAt;

        void clear() {
            removals.clear();
            removalExpiries.clear();
            add = null;
        }
    }

    int size() {
        return entries.size();
    }

    void clear() {
        entries.clear();
    }

    /** Records an element read back from the kernel. */
    void load(IpPrefix prefix, long expiresAt) {
        entries.put(prefix, expiresAt);
    }

    /** Plans banning {@code prefix} until {@code expiresAt} and records the outcome as done. */
    void planBan(IpPrefix prefix, long expiresAt, long now, Plan plan) {
        plan.clear();
        IpPrefix covering = covering(prefix, now, plan);
        if (covering != null) {
            long has = entries.get(covering);
            if (has >= expiresAt) {
                return; // covered
            }
            remove(covering, plan);
            plan.add = covering;
            plan.addExpiresAt = expiresAt;
            entries.put(covering, expiresAt);
            return;
        }
        long latest = expiresAt;
        for (IpPrefix inside : contained(prefix)) {
            long e = entries.get(inside);
            if (e > now || e == Ban.PERMANENT) {
                latest = Math.max(latest, e);
            }
            remove(inside, plan);
        }
        plan.add = prefix;
        plan.addExpiresAt = latest;
        entries.put(prefix, latest);
    }

    /** Plans lifting {@code prefix}: the entry equal to it and every entry inside it. */
    void planUnban(IpPrefix prefix, Plan plan) {
        plan.clear();
        for (IpPrefix inside : contained(prefix)) {
            remove(inside, plan);
        }
    }

    private void remove(IpPrefix p, Plan plan) {
        plan.removals.add(p);
        plan.removalExpiries.add(entries.remove(p));
    }

    /** The live entry that contains {@code prefix} (possibly equal to it), or null. */
    private IpPrefix covering(IpPrefix prefix, long now, Plan plan) {
        for (int len = prefix.length(); len >= 0; len--) {
            IpPrefix candidate = len == prefix.length() ? prefix : IpPrefix.covering(prefix.address(), len);
            Long e = entries.get(candidate);
            if (e != null) {
                if (e != Ban.PERMANENT && e <= now) {
                    remove(candidate, plan); // expired, perhaps not yet collected by the kernel
                    return null;
                }
                return candidate;
            }
        }
        return null;
    }

    /** Entries inside {@code prefix}, itself included. */
    private List<IpPrefix> contained(IpPrefix prefix) {
        IpAddress last = prefix.lastAddress();
        Map<IpPrefix, Long> range = entries.subMap(new IpPrefix(prefix.address(), prefix.length()), true,
                IpPrefix.of(last), true);
        List<IpPrefix> out = new ArrayList<>();
        for (IpPrefix p : range.keySet()) {
            if (prefix.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
