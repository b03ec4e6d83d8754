package ips.pf;

import ips.api.IpPrefix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fake {@code /dev/pf} that answers the table and state-kill requests the way
 * sys/netpfil/pf/pf_ioctl.c and pf_table.c do: ENODEV for a wrong element size or unknown
 * request; EINVAL for counts out of range, bad flags, a bad table name and any element that
 * pfr_validate_addr() rejects (bad family or prefix length, host bits past the prefix, not not in
 * {0,1}, fback set), with nothing applied; ESRCH for a missing or inactive table; ENOMEM past the
 * table-entry limit; the needed count and no error when a GET buffer is too small.
 */
final class FakePfKernel implements IoctlDevice {
    /** Which state-kill request the fake kernel knows, as FreeBSD versions differ. */
    enum KillSupport {
        /** FreeBSD 13.0: DIOCKILLSTATES only. */
        STRUCT_ONLY,
        /** FreeBSD 13.1 to 14: both. */
        BOTH,
        /** FreeBSD 15: DIOCKILLSTATESNV only. */
        NVLIST_ONLY,
        /** Neither (e.g. a future kernel with pf netlink only). */
        NONE
    }

    /** errno.h (FreeBSD): {@code EBADMSG}, what pf answers an nvlist it cannot unpack. */
    static final int EBADMSG = 89;
    /** errno.h (FreeBSD): {@code ERANGE}. */
    static final int ERANGE = 34;

    static final class Table {
        int flags;
        final LinkedHashMap<IpPrefix, Boolean> entries = new LinkedHashMap<>();

        Table(int flags) {
            this.flags = flags;
        }
    }

    final Map<String, Table> tables = new LinkedHashMap<>();
    final Set<String> referencedByRule = new HashSet<>();
    final List<String> calls = new ArrayList<>();
    final List<IpPrefix> killed = new ArrayList<>();
    final Map<IpPrefix, Integer> statesOf = new HashMap<>();
    final List<Nvlist> nvKillRequests = new ArrayList<>();
    int tableEntryLimit = 200_000;
    int requestMaxCount = PfIoctls.DEFAULT_REQUEST_MAXCOUNT;
    KillSupport killSupport = KillSupport.BOTH;
    boolean closed;
    private long failRequest;
    private int failErrno;

    /** Makes the next {@code request} fail with {@code errno}. */
    void failNext(long request, int errno) {
        failRequest = request;
        failErrno = errno;
    }

    /** Creates a table as pf.conf would ({@code table <name> persist}). */
    Table define(String name) {
        return tables.computeIfAbsent(name, n -> new Table(PfrTableLayout.PFR_TFLAG_PERSIST | PfrTableLayout.PFR_TFLAG_ACTIVE));
    }

    Set<IpPrefix> contents(String table) {
        Table t = tables.get(table);
        return t == null ? Set.of() : new LinkedHashSet<>(t.entries.keySet());
    }

    int totalEntries() {
        int n = 0;
        for (Table t : tables.values()) {
            n += t.entries.size();
        }
        return n;
    }

    @Override
    public int ioctl(long request, MemorySegment arg) {
        if (closed) {
            return Errno.EBADF;
        }
        calls.add(PfIoctls.name(request));
        if (failRequest == request && failErrno != 0) {
            int e = failErrno;
            failErrno = 0;
            return e;
        }
        if (request == PfIoctls.DIOCRADDTABLES) {
            return addTables(arg);
        } else if (request == PfIoctls.DIOCRDELTABLES) {
            return delTables(arg);
        } else if (request == PfIoctls.DIOCRGETTABLES) {
            return getTables(arg);
        } else if (request == PfIoctls.DIOCRCLRADDRS) {
            return clrAddrs(arg);
        } else if (request == PfIoctls.DIOCRADDADDRS) {
            return changeAddrs(arg, Op.ADD);
        } else if (request == PfIoctls.DIOCRDELADDRS) {
            return changeAddrs(arg, Op.DEL);
        } else if (request == PfIoctls.DIOCRSETADDRS) {
            return changeAddrs(arg, Op.SET);
        } else if (request == PfIoctls.DIOCRGETADDRS) {
            return getAddrs(arg);
        } else if (request == PfIoctls.DIOCKILLSTATES) {
            return killStates(arg);
        } else if (request == PfIoctls.DIOCKILLSTATESNV) {
            return killStatesNv(arg);
        }
        return Errno.ENODEV; // pfioctl(): default: error = ENODEV
    }

    @Override
    public void close() {
        closed = true;
    }

    private enum Op {
        ADD, DEL, SET
    }

    private static int i32(MemorySegment io, long off) {
        return io.get(ValueLayout.JAVA_INT, off);
    }

    private static void i32(MemorySegment io, long off, int v) {
        io.set(ValueLayout.JAVA_INT, off, v);
    }

    private MemorySegment buffer(MemorySegment io, long bytes) {
        return io.get(ValueLayout.ADDRESS, PfiocTableLayout.PFRIO_BUFFER).reinterpret(bytes);
    }

    private int checkCount(MemorySegment io) {
        int size = i32(io, PfiocTableLayout.PFRIO_SIZE);
        return size < 0 || size > requestMaxCount ? -1 : size;
    }

    /** pfr_validate_table(): name non-empty, NUL within 32 and zeros after it, flags within allowed. */
    private static boolean validTable(MemorySegment t, int allowedFlags) {
        long name = PfrTableLayout.PFRT_NAME;
        if (t.get(ValueLayout.JAVA_BYTE, name) == 0) {
            return false;
        }
        if (t.get(ValueLayout.JAVA_BYTE, name + PfrTableLayout.PF_TABLE_NAME_SIZE - 1) != 0) {
            return false;
        }
        boolean end = false;
        for (int i = 0; i < PfrTableLayout.PF_TABLE_NAME_SIZE; i++) {
            byte b = t.get(ValueLayout.JAVA_BYTE, name + i);
            if (end && b != 0) {
                return false;
            }
            end |= b == 0;
        }
        boolean anchorEnds = false;
        for (int i = 0; i < PfrTableLayout.MAXPATHLEN && !anchorEnds; i++) {
            anchorEnds = t.get(ValueLayout.JAVA_BYTE, PfrTableLayout.PFRT_ANCHOR + i) == 0;
        }
        return anchorEnds && (PfrTableLayout.flags(t) & ~allowedFlags) == 0;
    }

    private static String key(MemorySegment t) {
        String anchor = PfrTableLayout.anchor(t);
        return anchor.isEmpty() ? PfrTableLayout.name(t) : anchor + "/" + PfrTableLayout.name(t);
    }

    private int addTables(MemorySegment io) {
        if (i32(io, PfiocTableLayout.PFRIO_ESIZE) != PfrTableLayout.SIZE) {
            return Errno.ENODEV;
        }
        int n = checkCount(io);
        if (n < 0 || (i32(io, PfiocTableLayout.PFRIO_FLAGS) & ~PfiocTableLayout.PFR_FLAG_DUMMY) != 0) {
            return Errno.EINVAL;
        }
        MemorySegment buf = buffer(io, n * PfrTableLayout.SIZE);
        for (int i = 0; i < n; i++) {
            if (!validTable(buf.asSlice(i * PfrTableLayout.SIZE, PfrTableLayout.SIZE), PfrTableLayout.PFR_TFLAG_USRMASK)) {
                return Errno.EINVAL;
            }
        }
        int added = 0;
        for (int i = 0; i < n; i++) {
            MemorySegment t = buf.asSlice(i * PfrTableLayout.SIZE, PfrTableLayout.SIZE);
            Table existing = tables.get(key(t));
            if (existing == null) {
                tables.put(key(t), new Table(PfrTableLayout.flags(t) | PfrTableLayout.PFR_TFLAG_ACTIVE));
                added++;
            } else if ((existing.flags & PfrTableLayout.PFR_TFLAG_ACTIVE) == 0) {
                existing.flags = PfrTableLayout.flags(t) | PfrTableLayout.PFR_TFLAG_ACTIVE;
                added++;
            }
        }
        i32(io, PfiocTableLayout.PFRIO_NADD, added);
        return 0;
    }

    /**
     * pfr_del_tables() then pfr_setflags_ktable(): an active table loses PFR_TFLAG_ACTIVE and with
     * it its user flags and every entry; it is destroyed unless a rule references it. Missing or
     * inactive tables are skipped; pfrio_ndel counts the active ones.
     */
    private int delTables(MemorySegment io) {
        if (i32(io, PfiocTableLayout.PFRIO_ESIZE) != PfrTableLayout.SIZE) {
            return Errno.ENODEV;
        }
        int n = checkCount(io);
        if (n < 0 || (i32(io, PfiocTableLayout.PFRIO_FLAGS) & ~PfiocTableLayout.PFR_FLAG_DUMMY) != 0) {
            return Errno.EINVAL;
        }
        MemorySegment buf = buffer(io, n * PfrTableLayout.SIZE);
        for (int i = 0; i < n; i++) {
            if (!validTable(buf.asSlice(i * PfrTableLayout.SIZE, PfrTableLayout.SIZE), 0)) {
                return Errno.EINVAL;
            }
        }
        int deleted = 0;
        for (int i = 0; i < n; i++) {
            String k = key(buf.asSlice(i * PfrTableLayout.SIZE, PfrTableLayout.SIZE));
            Table t = tables.get(k);
            if (t == null || (t.flags & PfrTableLayout.PFR_TFLAG_ACTIVE) == 0) {
                continue;
            }
            deleted++;
            t.entries.clear();
            if (referencedByRule.contains(k)) {
                t.flags &= ~(PfrTableLayout.PFR_TFLAG_ACTIVE | PfrTableLayout.PFR_TFLAG_USRMASK);
            } else {
                tables.remove(k);
            }
        }
        i32(io, PfiocTableLayout.PFRIO_NDEL, deleted);
        return 0;
    }

    private int getTables(MemorySegment io) {
        if (i32(io, PfiocTableLayout.PFRIO_ESIZE) != PfrTableLayout.SIZE) {
            return Errno.ENODEV;
        }
        int size = checkCount(io);
        if (size < 0) {
            return Errno.EINVAL;
        }
        List<String> main = new ArrayList<>();
        for (String k : tables.keySet()) {
            if (!k.contains("/")) {
                main.add(k);
            }
        }
        if (main.size() > size) {
            i32(io, PfiocTableLayout.PFRIO_SIZE, main.size());
            return 0;
        }
        MemorySegment buf = buffer(io, (long) size * PfrTableLayout.SIZE);
        for (int i = 0; i < main.size(); i++) {
            Table t = tables.get(main.get(i));
            int flags = t.flags | (referencedByRule.contains(main.get(i)) ? PfrTableLayout.PFR_TFLAG_REFERENCED : 0);
            PfrTableLayout.encode(buf.asSlice(i * PfrTableLayout.SIZE, PfrTableLayout.SIZE), main.get(i), flags);
        }
        i32(io, PfiocTableLayout.PFRIO_SIZE, main.size());
        return 0;
    }

    /** The table named in pfrio_table, or an errno boxed negative. */
    private Object lookup(MemorySegment io) {
        MemorySegment t = io.asSlice(PfiocTableLayout.PFRIO_TABLE, PfrTableLayout.SIZE);
        if (!validTable(t, 0)) {
            return Errno.EINVAL;
        }
        Table table = tables.get(key(t));
        if (table == null || (table.flags & PfrTableLayout.PFR_TFLAG_ACTIVE) == 0) {
            return Errno.ESRCH;
        }
        if ((table.flags & PfrTableLayout.PFR_TFLAG_CONST) != 0) {
            return Errno.EPERM;
        }
        return table;
    }

    private int clrAddrs(MemorySegment io) {
        if (i32(io, PfiocTableLayout.PFRIO_ESIZE) != 0) {
            return Errno.ENODEV; // pf_ioctl.c: DIOCRCLRADDRS takes no elements
        }
        if ((i32(io, PfiocTableLayout.PFRIO_FLAGS) & ~PfiocTableLayout.PFR_FLAG_DUMMY) != 0) {
            return Errno.EINVAL;
        }
        Object t = lookup(io);
        if (t instanceof Integer e) {
            return e;
        }
        Table table = (Table) t;
        i32(io, PfiocTableLayout.PFRIO_NDEL, table.entries.size());
        table.entries.clear();
        return 0;
    }

    /** pfr_validate_addr(). */
    static boolean validAddr(MemorySegment buf, long i) {
        long base = i * PfrAddrLayout.SIZE;
        byte af = PfrAddrLayout.af(buf, i);
        int net = PfrAddrLayout.net(buf, i);
        if (af == PfrAddrLayout.AF_INET) {
            if (net > 32) {
                return false;
            }
        } else if (af == PfrAddrLayout.AF_INET6) {
            if (net > 128) {
                return false;
            }
        } else {
            return false;
        }
        if (net < 128 && (buf.get(ValueLayout.JAVA_BYTE, base + net / 8) & (0xFF >> (net % 8))) != 0) {
            return false;
        }
        for (int b = (net + 7) / 8; b < 16; b++) {
            if (buf.get(ValueLayout.JAVA_BYTE, base + b) != 0) {
                return false;
            }
        }
        byte not = PfrAddrLayout.not(buf, i);
        return (not == 0 || not == 1) && PfrAddrLayout.fback(buf, i) == 0;
    }

    private int changeAddrs(MemorySegment io, Op op) {
        if (i32(io, PfiocTableLayout.PFRIO_ESIZE) != PfrAddrLayout.SIZE) {
            return Errno.ENODEV;
        }
        int n = checkCount(io);
        int flags = i32(io, PfiocTableLayout.PFRIO_FLAGS);
        if (n < 0 || (flags & ~(PfiocTableLayout.PFR_FLAG_DUMMY | PfiocTableLayout.PFR_FLAG_FEEDBACK)) != 0) {
            return Errno.EINVAL;
        }
        Object t = lookup(io);
        if (t instanceof Integer e) {
            return e;
        }
        Table table = (Table) t;
        MemorySegment buf = buffer(io, (long) n * PfrAddrLayout.SIZE);
        List<IpPrefix> given = new ArrayList<>(n);
        List<Boolean> nots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (!validAddr(buf, i)) {
                return Errno.EINVAL; // senderr(EINVAL): nothing applied
            }
            given.add(PfrAddrLayout.decode(buf, i));
            nots.add(PfrAddrLayout.not(buf, i) == 1);
        }
        byte[] fb = new byte[n];
        Set<IpPrefix> seen = new HashSet<>();
        int add = 0;
        int del = 0;
        int change = 0;
        LinkedHashMap<IpPrefix, Boolean> next = new LinkedHashMap<>(table.entries);
        if (op == Op.SET) {
            next.clear();
        }
        for (int i = 0; i < n; i++) {
            IpPrefix p = given.get(i);
            Boolean old = table.entries.get(p);
            if (!seen.add(p)) {
                fb[i] = PfrAddrLayout.PFR_FB_DUPLICATE;
                continue;
            }
            switch (op) {
                case ADD -> {
                    if (old == null) {
                        next.put(p, nots.get(i));
                        fb[i] = PfrAddrLayout.PFR_FB_ADDED;
                        add++;
                    } else {
                        fb[i] = old.equals(nots.get(i)) ? PfrAddrLayout.PFR_FB_NONE : PfrAddrLayout.PFR_FB_CONFLICT;
                    }
                }
                case DEL -> {
                    if (old != null && old.equals(nots.get(i))) {
                        next.remove(p);
                        fb[i] = PfrAddrLayout.PFR_FB_DELETED;
                        del++;
                    } else {
                        fb[i] = PfrAddrLayout.PFR_FB_NONE;
                    }
                }
                case SET -> {
                    next.put(p, nots.get(i));
                    if (old == null) {
                        add++;
                    } else if (!old.equals(nots.get(i))) {
                        change++;
                    }
                }
            }
        }
        if (op == Op.SET) {
            for (IpPrefix p : table.entries.keySet()) {
                if (!next.containsKey(p)) {
                    del++;
                }
            }
        }
        int after = totalEntries() - table.entries.size() + next.size();
        if (after > tableEntryLimit && next.size() > table.entries.size()) {
            return Errno.ENOMEM; // pfr_create_kentry() fails: the whole request is undone
        }
        if ((flags & PfiocTableLayout.PFR_FLAG_DUMMY) == 0) {
            table.entries.clear();
            table.entries.putAll(next);
        }
        i32(io, PfiocTableLayout.PFRIO_NADD, add);
        i32(io, PfiocTableLayout.PFRIO_NDEL, del);
        i32(io, PfiocTableLayout.PFRIO_NCHANGE, change);
        if ((flags & PfiocTableLayout.PFR_FLAG_FEEDBACK) != 0 && op != Op.SET) {
            for (int i = 0; i < n; i++) {
                buf.set(ValueLayout.JAVA_BYTE, i * PfrAddrLayout.SIZE + PfrAddrLayout.PFRA_FBACK, fb[i]);
            }
        }
        return 0;
    }

    private int getAddrs(MemorySegment io) {
        if (i32(io, PfiocTableLayout.PFRIO_ESIZE) != PfrAddrLayout.SIZE) {
            return Errno.ENODEV;
        }
        int size = checkCount(io);
        if (size < 0) {
            return Errno.EINVAL;
        }
        Object t = lookup(io);
        if (t instanceof Integer e) {
            return e;
        }
        Table table = (Table) t;
        if (table.entries.size() > size) {
            i32(io, PfiocTableLayout.PFRIO_SIZE, table.entries.size());
            return 0;
        }
        MemorySegment buf = buffer(io, (long) size * PfrAddrLayout.SIZE);
        int i = 0;
        for (Map.Entry<IpPrefix, Boolean> e : table.entries.entrySet()) {
            PfrAddrLayout.encode(buf, i, e.getKey());
            buf.set(ValueLayout.JAVA_BYTE, i * PfrAddrLayout.SIZE + PfrAddrLayout.PFRA_NOT, (byte) (e.getValue() ? 1 : 0));
            i++;
        }
        i32(io, PfiocTableLayout.PFRIO_SIZE, i);
        return 0;
    }

    private int killStates(MemorySegment psk) {
        if (killSupport == KillSupport.NVLIST_ONLY || killSupport == KillSupport.NONE) {
            return Errno.ENODEV;
        }
        byte af = psk.get(ValueLayout.JAVA_BYTE, PfiocStateKillLayout.PSK_AF);
        long src = PfiocStateKillLayout.PSK_SRC;
        if (psk.get(ValueLayout.JAVA_BYTE, src + PfiocStateKillLayout.RULE_ADDR_TYPE) != PfiocStateKillLayout.PF_ADDR_ADDRMASK) {
            return Errno.EINVAL;
        }
        IpPrefix p = fromAddrMask(af,
                psk.asSlice(src + PfiocStateKillLayout.RULE_ADDR_ADDR, 16).toArray(ValueLayout.JAVA_BYTE),
                psk.asSlice(src + PfiocStateKillLayout.RULE_ADDR_MASK, 16).toArray(ValueLayout.JAVA_BYTE));
        if (p == null) {
            return Errno.EINVAL;
        }
        killed.add(p);
        psk.set(ValueLayout.JAVA_INT, PfiocStateKillLayout.PSK_KILLED, statesOf.getOrDefault(p, 0));
        return 0;
    }

    /** An addr/mask pair as a prefix, or null when the mask is not contiguous or host bits are set. */
    static IpPrefix fromAddrMask(byte af, byte[] addr, byte[] mask) {
        int width = af == PfrAddrLayout.AF_INET ? 4 : af == PfrAddrLayout.AF_INET6 ? 16 : -1;
        if (width < 0) {
            return null;
        }
        int len = 0;
        boolean ended = false;
        for (int i = 0; i < 16; i++) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean set = ((mask[i] >> bit) & 1) != 0;
                if (set && (ended || i >= width)) {
                    return null;
                }
                if (set) {
                    len++;
                } else {
                    ended = true;
                }
            }
        }
        StringBuilder text = new StringBuilder();
        try {
            byte[] a = java.util.Arrays.copyOf(addr, width);
            text.append(ips.api.IpAddress.ofBytes(a)).append('/').append(len);
        } catch (ips.api.AddressFormatException e) {
            return null;
        }
        return IpPrefix.tryParse(text);
    }

    private int killStatesNv(MemorySegment nv) {
        if (killSupport == KillSupport.STRUCT_ONLY || killSupport == KillSupport.NONE) {
            return Errno.ENODEV;
        }
        long len = nv.get(ValueLayout.JAVA_LONG, PfiocNvLayout.LEN);
        long size = nv.get(ValueLayout.JAVA_LONG, PfiocNvLayout.SIZE_FIELD);
        if (len > requestMaxCount) {
            return Errno.ENOMEM;
        }
        MemorySegment data = nv.get(ValueLayout.ADDRESS, PfiocNvLayout.DATA).reinterpret(Math.max(len, size));
        Nvlist req;
        try {
            req = Nvlist.unpack(data.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE));
        } catch (IllegalArgumentException e) {
            return EBADMSG;
        }
        nvKillRequests.add(req);
        IpPrefix p;
        try {
            p = PfKillSchema.check(req);
        } catch (PfKillSchema.Refused r) {
            return r.errno;
        }
        killed.add(p);
        byte[] reply = new Nvlist().addNumber("killed", statesOf.getOrDefault(p, 0)).pack();
        nv.set(ValueLayout.JAVA_LONG, PfiocNvLayout.LEN, reply.length);
        if (size == 0) {
            return 0;
        }
        if (size < reply.length) {
            return Errno.ENOSPC;
        }
        MemorySegment.copy(reply, 0, data, ValueLayout.JAVA_BYTE, 0, reply.length);
        return 0;
    }
}
