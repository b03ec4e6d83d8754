package ips.pf;

import ips.api.EnforcerException;
import ips.api.IpPrefix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * PF's table requests over one device: each method fills the reused {@code pfioc_table} and
 * element buffer, issues one or more {@code DIOCR*} ioctls and reads the counts back. Requests
 * with more elements than {@code net.pf.request_maxcount} are split. Every kernel refusal becomes
 * an {@link EnforcerException} carrying the errno and the operation.
 */
final class PfTables {
    /** What one table looks like from user space. */
    record TableInfo(String anchor, String name, int flags) {
        boolean referenced() {
            return (flags & (PfrTableLayout.PFR_TFLAG_REFERENCED | PfrTableLayout.PFR_TFLAG_REFDANCHOR)) != 0;
        }

        boolean active() {
            return (flags & PfrTableLayout.PFR_TFLAG_ACTIVE) != 0;
        }
    }

    /** Counts from {@code DIOCRSETADDRS}. */
    record SetResult(int added, int deleted, int changed) {
    }

    private final IoctlDevice device;
    private final int maxCount;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment io = arena.allocate(PfiocTableLayout.LAYOUT);
    private MemorySegment buffer = arena.allocate(PfrAddrLayout.SIZE * 256, 8);

    PfTables(IoctlDevice device, int maxCount) {
        if (maxCount < 1) {
            throw new IllegalArgumentException("request max count " + maxCount);
        }
        this.device = device;
        this.maxCount = maxCount;
    }

    int maxCount() {
        return maxCount;
    }

    private MemorySegment buffer(long bytes) {
        if (buffer.byteSize() < bytes) {
            buffer = Arena.ofAuto().allocate(Math.max(bytes, buffer.byteSize() * 2), 8);
        }
        return buffer;
    }

    private void prepare(String table, int flags, long esize, int size) {
        io.fill((byte) 0);
        if (table != null) {
            PfrTableLayout.encode(io.asSlice(PfiocTableLayout.PFRIO_TABLE, PfrTableLayout.SIZE), table, 0);
        }
        io.set(ValueLayout.ADDRESS, PfiocTableLayout.PFRIO_BUFFER, buffer);
        io.set(ValueLayout.JAVA_INT, PfiocTableLayout.PFRIO_ESIZE, (int) esize);
        io.set(ValueLayout.JAVA_INT, PfiocTableLayout.PFRIO_SIZE, size);
        io.set(ValueLayout.JAVA_INT, PfiocTableLayout.PFRIO_FLAGS, flags);
    }

    private int get(long offset) {
        return io.get(ValueLayout.JAVA_INT, offset);
    }

    private void call(long request, String operation) throws EnforcerException {
        int errno = device.ioctl(request, io);
        if (errno != 0) {
            throw new EnforcerException(operation + " (" + PfIoctls.name(request) + ")", errno, Errno.describe(errno));
        }
    }

    /** {@code DIOCRADDTABLES}: creates the main-ruleset tables that do not exist; returns how many. */
    int addTables(List<String> names, int tableFlags) throws EnforcerException {
        int added = 0;
        for (int from = 0; from < names.size(); from += maxCount) {
            int n = Math.min(maxCount, names.size() - from);
            MemorySegment buf = buffer(PfrTableLayout.SIZE * n);
            for (int i = 0; i < n; i++) {
                PfrTableLayout.encode(buf.asSlice(i * PfrTableLayout.SIZE, PfrTableLayout.SIZE), names.get(from + i), tableFlags);
            }
            prepare(null, 0, PfrTableLayout.SIZE, n);
            call(PfIoctls.DIOCRADDTABLES, "create tables " + names.subList(from, from + n));
            added += get(PfiocTableLayout.PFRIO_NADD);
        }
        return added;
    }

    /**
     * {@code DIOCRDELTABLES}: takes the main-ruleset tables out of the active ruleset; returns how
     * many were active. pf_table.c empties each one (pfr_setflags_ktable drops the entries of a table
     * that is no longer active) and destroys it unless a rule still references it, in which case it
     * stays, inactive and empty, until {@link #addTables} activates it again. Missing ones are ignored.
     */
    int delTables(List<String> names) throws EnforcerException {
        int deleted = 0;
        for (int from = 0; from < names.size(); from += maxCount) {
            int n = Math.min(maxCount, names.size() - from);
            MemorySegment buf = buffer(PfrTableLayout.SIZE * n);
            for (int i = 0; i < n; i++) {
                PfrTableLayout.encode(buf.asSlice(i * PfrTableLayout.SIZE, PfrTableLayout.SIZE), names.get(from + i), 0);
            }
            prepare(null, 0, PfrTableLayout.SIZE, n);
            call(PfIoctls.DIOCRDELTABLES, "delete tables " + names.subList(from, from + n));
            deleted += get(PfiocTableLayout.PFRIO_NDEL);
        }
        return deleted;
    }

    /** {@code DIOCRGETTABLES} of the main ruleset, negotiating the buffer size with the kernel. */
    List<TableInfo> getTables() throws EnforcerException {
        int size = 0;
        for (int attempt = 0; attempt < 8; attempt++) {
            buffer(PfrTableLayout.SIZE * Math.max(size, 1));
            prepare(null, 0, PfrTableLayout.SIZE, size);
            call(PfIoctls.DIOCRGETTABLES, "list tables");
            int got = get(PfiocTableLayout.PFRIO_SIZE);
            if (got <= size) {
                List<TableInfo> out = new ArrayList<>(got);
                for (int i = 0; i < got; i++) {
                    MemorySegment t = buffer.asSlice(i * PfrTableLayout.SIZE, PfrTableLayout.SIZE);
                    out.add(new TableInfo(PfrTableLayout.anchor(t), PfrTableLayout.name(t), PfrTableLayout.flags(t)));
                }
                return out;
            }
            size = got;
        }
        throw new EnforcerException("list tables", 0, "the table count kept growing while listing");
    }

    /**
     * {@code DIOCRADDADDRS} with feedback: adds {@code targets}, and sets {@code added[i]} when
     * {@code targets[i]} was not in the table before.
     *
     * @return how many were added
     */
    int addAddrs(String table, List<IpPrefix> targets, boolean[] added) throws EnforcerException {
        int total = 0;
        for (int from = 0; from < targets.size(); from += maxCount) {
            int n = Math.min(maxCount, targets.size() - from);
            MemorySegment buf = buffer(PfrAddrLayout.SIZE * n);
            for (int i = 0; i < n; i++) {
                PfrAddrLayout.encode(buf, i, targets.get(from + i));
            }
            prepare(table, PfiocTableLayout.PFR_FLAG_FEEDBACK, PfrAddrLayout.SIZE, n);
            call(PfIoctls.DIOCRADDADDRS, "add " + n + " addresses to table <" + table + ">");
            total += get(PfiocTableLayout.PFRIO_NADD);
            if (added != null) {
                for (int i = 0; i < n; i++) {
                    added[from + i] = PfrAddrLayout.fback(buf, i) == PfrAddrLayout.PFR_FB_ADDED;
                }
            }
        }
        return total;
    }

    /** {@code DIOCRDELADDRS}: deletes {@code targets}; absent ones are ignored. Returns how many went. */
    int delAddrs(String table, List<IpPrefix> targets) throws EnforcerException {
        int total = 0;
        for (int from = 0; from < targets.size(); from += maxCount) {
            int n = Math.min(maxCount, targets.size() - from);
            MemorySegment buf = buffer(PfrAddrLayout.SIZE * n);
            for (int i = 0; i < n; i++) {
                PfrAddrLayout.encode(buf, i, targets.get(from + i));
            }
            prepare(table, 0, PfrAddrLayout.SIZE, n);
            call(PfIoctls.DIOCRDELADDRS, "delete " + n + " addresses from table <" + table + ">");
            total += get(PfiocTableLayout.PFRIO_NDEL);
        }
        return total;
    }

    /**
     * {@code DIOCRSETADDRS}: makes the table hold exactly {@code targets}, atomically in one
     * request (so at most {@link #maxCount()} of them).
     */
    SetResult setAddrs(String table, List<IpPrefix> targets) throws EnforcerException {
        int n = targets.size();
        if (n > maxCount) {
            throw new EnforcerException("replace table <" + table + ">", Errno.EINVAL,
                    n + " addresses exceed net.pf.request_maxcount " + maxCount + " for one atomic replace");
        }
        MemorySegment buf = buffer(PfrAddrLayout.SIZE * Math.max(n, 1));
        for (int i = 0; i < n; i++) {
            PfrAddrLayout.encode(buf, i, targets.get(i));
        }
        prepare(table, 0, PfrAddrLayout.SIZE, n);
        call(PfIoctls.DIOCRSETADDRS, "replace table <" + table + "> with " + n + " addresses");
        return new SetResult(get(PfiocTableLayout.PFRIO_NADD), get(PfiocTableLayout.PFRIO_NDEL),
                get(PfiocTableLayout.PFRIO_NCHANGE));
    }

    /**
     * {@code DIOCRGETADDRS}: every positive entry of the table. The kernel answers a too-small
     * buffer with the needed count and no error, so the request is repeated until it fits.
     * Negated ({@code !addr}) entries and entries that do not decode are skipped.
     */
    List<IpPrefix> getAddrs(String table) throws EnforcerException {
        int size = 0;
        for (int attempt = 0; attempt < 8; attempt++) {
            buffer(PfrAddrLayout.SIZE * Math.max(size, 1));
            prepare(table, 0, PfrAddrLayout.SIZE, size);
            call(PfIoctls.DIOCRGETADDRS, "list table <" + table + ">");
            int got = get(PfiocTableLayout.PFRIO_SIZE);
            if (got <= size) {
                List<IpPrefix> out = new ArrayList<>(got);
                for (int i = 0; i < got; i++) {
                    if (PfrAddrLayout.not(buffer, i) != 0) {
                        continue;
                    }
                    IpPrefix p = PfrAddrLayout.decode(buffer, i);
                    if (p != null) {
                        out.add(p);
                    }
                }
                return out;
            }
            if (got > maxCount) {
                throw new EnforcerException("list table <" + table + ">", Errno.EINVAL, "the table holds " + got
                        + " entries, more than net.pf.request_maxcount " + maxCount + " allows in one request");
            }
            size = got;
        }
        throw new EnforcerException("list table <" + table + ">", 0, "the table kept growing while listing");
    }

    /** {@code DIOCRCLRADDRS}: empties the table; returns how many entries went. */
    int clrAddrs(String table) throws EnforcerException {
        prepare(table, 0, 0, 0);
        call(PfIoctls.DIOCRCLRADDRS, "clear table <" + table + ">");
        return get(PfiocTableLayout.PFRIO_NDEL);
    }
}
