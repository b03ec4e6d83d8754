package ips.engine.ledger;

import static ips.engine.ledger.LedgerLayout.*;

import ips.api.Ban;
import ips.api.Enforcer;
import ips.api.EnforcerException;
import ips.api.IpPrefix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * The ban ledger: every ban and unban appended to one file as checksummed records ({@link
 * LedgerLayout}), and the per-address ban history that {@code bantime.increment} and recidive read
 * (fail2ban's {@code bips} table).
 *
 * <h2>Order of operations and acknowledgement</h2>
 * A batch of bans is (1) {@link #append appended} to an in-memory buffer, (2) {@link #write
 * written} to the file (page cache), (3) sent to the kernel by the caller ({@code Enforcer.ban}),
 * (4) {@link #force forced} to disk with one {@code fsync} for the whole batch. A ban is
 * <em>acknowledged</em> when (3) and (4) both succeeded. A crash before (4) may lose a written
 * record; the kernel ban then still expires on its own (nftables timeouts). A crash after (2) but
 * before (3) leaves a record the next {@link #restore} puts in the kernel. A failing disk (full,
 * read-only) never stops (3): it is counted in {@link #errors()} and logged at ERROR.
 *
 * <h2>Recovery</h2>
 * {@link #open} replays the file; a torn or corrupt tail is truncated to the last good record and
 * reported in {@link #openReport()}. When dead records dominate, {@link #compactIfWorthIt} rewrites
 * the live state to a new file and renames it over the old one atomically.
 *
 * <p>Not thread-safe: its users hold its monitor. Every {@code JailEngine} on it does, so the
 * engine a reload replaces and the one it starts, which share it, take turns.
 */
public final class BanLedger implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("ips.engine.ledger");
    /**
     * A file ledger's buffer at first: ~1000 records (a burst's commit), written out whenever it
     * fills. It was 1 MB, a zeroed array the daemon kept resident for its whole life (idle RSS).
     */
    private static final int BUFFER_BYTES = 64 << 10;
    /** What the buffer may grow to while the disk refuses writes (~17,000 records held for it). */
    static final int MAX_BUFFER_BYTES = 1 << 20;
    /** The buffer of a memory-only ledger, which never reaches a disk (and may be one of many: the JIT warm-up's). */
    private static final int MEMORY_BUFFER_BYTES = 16 << 10;

    /** What the ledger knows about one (jail, target). */
    public static final class Entry {
        final String jail;
        final IpPrefix target;
        int banCount;
        long lastBanTime;
        long expiry;
        boolean active;
        /** When the last ban was made, in the order of this ledger's bans (read back or appended). */
        long banOrder;

        Entry(String jail, IpPrefix target) {
            this.jail = jail;
            this.target = target;
        }

        public String jail() {
            return jail;
        }

        public IpPrefix target() {
            return target;
        }

        /** How many times the target was banned in this jail (fail2ban's bips.bancount). */
        public int banCount() {
            return banCount;
        }

        public long lastBanTime() {
            return lastBanTime;
        }

        public long expiry() {
            return expiry;
        }

        /**
         * The place of the last ban among this ledger's bans, counted as they were read back and
         * appended: fail2ban lists a jail's bans in the order they were made.
         */
        public long banOrder() {
            return banOrder;
        }

        /** True while the last ban is neither lifted nor (as of the last check) over. */
        public boolean active() {
            return active;
        }
    }

    /** What {@link #open} found. */
    public record OpenReport(int records, long bytesKept, long bytesTruncated, String problem) {}

    /**
     * What {@link #restore} did.
     *
     * @param otherJails unexpired bans of jails the restore was not asked for (at start: jails that
     *     are not running): kept in the ledger, not put in the firewall
     * @param otherJailNames the jails those bans belong to
     */
    public record RestoreReport(List<Ban> restored, int expired, int otherJails, java.util.Set<String> otherJailNames,
            List<Ban> foreign, List<Ban> lifted, String problem) {}

    private record Key(String jail, IpPrefix target) {}

    private final Path path;
    private FileChannel channel;
    private final Map<Key, Entry> entries = new HashMap<>();
    /**
     * fail2ban's restore order: the address as text, then the jail (a class, not a lambda: no
     * bootstrap on the start-up path).
     */
    private static final java.util.Comparator<Entry> RESTORE_ORDER = new java.util.Comparator<>() {
        @Override
        public int compare(Entry a, Entry b) {
            int c = a.target.toString().compareTo(b.target.toString());
            return c != 0 ? c : a.jail.compareTo(b.jail);
        }
    };

    /** Bans read back and appended so far: each entry's {@link Entry#banOrder}. */
    private long bansMade;
    private final Map<IpPrefix, Entry[]> byTarget = new HashMap<>();
    private ByteBuffer buffer;
    private final CRC32C crc = new CRC32C();
    private final OpenReport openReport;
    /** Bytes of the file known to hold whole, good records. */
    private long goodEnd;
    private long recordsInFile;
    private int bufferedRecords;
    private long writtenNotForced;
    private long errors;
    private long droppedRecords;
    /** Records dropped since the disk last took a write (one error line says so, not one per record). */
    private long droppedWhileFailing;
    /** When the last "still cannot persist" line was logged (System.nanoTime), while failing. */
    private long lastFailureLog;
    private long compactions;
    private boolean failing;
    private final long purgeAgeMillis;
    private final boolean memoryOnly;
    private int compactionSlack = 1024;

    private BanLedger(Path path, FileChannel channel, OpenReport report, long purgeAgeMillis) {
        this.path = path;
        this.channel = channel;
        this.openReport = report;
        this.purgeAgeMillis = purgeAgeMillis;
        this.memoryOnly = path == null;
        // a memory-only ledger encodes its records too (the same work as a file's) but drops them
        // at each write: a buffer that holds a few is enough; a file's holds a burst's commit and
        // grows while the disk fails
        this.buffer = ByteBuffer.allocate(memoryOnly ? MEMORY_BUFFER_BYTES : BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A ledger that keeps history in memory only (tests, benchmarks, {@code dbfile = :memory:}). */
    public static BanLedger inMemory(long purgeAgeMillis) {
        return new BanLedger(null, null, new OpenReport(0, 0, 0, null), purgeAgeMillis);
    }

    /**
     * Opens (creating if needed) and replays the ledger at {@code path}. A torn or corrupt tail is
     * truncated and reported; a file that cannot be written (read-only file system, no permission)
     * is replayed and kept read-only, every later write counted as an error. Throws only when the
     * file exists and cannot even be read.
     *
     * @param purgeAgeMillis history of targets neither banned nor banned within this age is dropped at
     *     compaction (fail2ban's {@code dbpurgeage}, default 1 day)
     */
    public static BanLedger open(Path path, long purgeAgeMillis) throws IOException {
        return open(path, purgeAgeMillis, 1024);
    }

    /**
     * As {@link #open(Path, long)}, compacting once the file holds more than twice as many records
     * as there are entries, plus {@code compactionSlack}.
     */
    public static BanLedger open(Path path, long purgeAgeMillis, int compactionSlack) throws IOException {
        FileChannel ch;
        boolean readOnly = false;
        try {
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException | java.nio.file.ReadOnlyFileSystemException e) {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            readOnly = true;
        } catch (FileSystemException e) {
            if (!Files.exists(path)) {
                throw e;
            }
            ch = FileChannel.open(path, StandardOpenOption.READ);
            readOnly = true;
        }
        long size = ch.size();
        if (size > Integer.MAX_VALUE - 16) {
            ch.close();
            throw new IOException("ledger " + path + " is larger than 2 GiB; refusing to replay");
        }
        ByteBuffer all = ByteBuffer.allocate((int) size);
        while (all.hasRemaining() && ch.read(all, all.position()) >= 0) {
            // positional reads fill the buffer from the file's start
        }
        all.flip();
        List<Object[]> recs = new ArrayList<>();
        LedgerDecoder.Result r = LedgerDecoder.decode(all,
                (type, jail, target, time, expiry, count) -> recs.add(new Object[] {type, jail, target, time, expiry, count}));
        long truncated = r.totalLength() - r.goodLength();
        String problem = r.stopReason();
        if (readOnly) {
            problem = (problem == null ? "" : problem + "; ") + "ledger " + path + " is read-only: bans will not be persisted";
        }
        BanLedger l = new BanLedger(path, ch, new OpenReport(r.records(), r.goodLength(), truncated, problem), purgeAgeMillis);
        l.compactionSlack = Math.max(0, compactionSlack);
        for (Object[] o : recs) {
            l.apply((byte) o[0], (String) o[1], (IpPrefix) o[2], (long) o[3], (long) o[4], (int) o[5]);
        }
        l.recordsInFile = r.records();
        l.goodEnd = r.goodLength();
        if (readOnly) {
            l.failing = true;
            l.lastFailureLog = System.nanoTime();
            l.errors++;
            LOG.log(System.Logger.Level.ERROR, l.openReport.problem());
            return l;
        }
        if (r.stopReason() != null) {
            LOG.log(System.Logger.Level.WARNING, "ledger " + path + ": " + r.stopReason() + "; truncated " + truncated
                    + " bytes, kept " + r.records() + " records");
        }
        if (l.goodEnd < FILE_HEADER_LENGTH) {
            if (size > 0) {
                // not ours or torn at creation: keep a copy for the operator before starting afresh
                Path aside = path.resolveSibling(path.getFileName() + ".corrupt");
                Files.copy(path, aside, StandardCopyOption.REPLACE_EXISTING);
                LOG.log(System.Logger.Level.ERROR, "ledger " + path + " has no ledger header; copied to " + aside
                        + " and started an empty ledger");
            }
            ByteBuffer h = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN).putLong(0, MAGIC);
            ch.truncate(0);
            writeFully(ch, h, 0);
            l.goodEnd = FILE_HEADER_LENGTH;
        } else if (truncated > 0) {
            ch.truncate(l.goodEnd);
        }
        ch.force(true);
        return l;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
    }

    public OpenReport openReport() {
        return openReport;
    }

    public Path path() {
        return path;
    }

    private void apply(byte type, String jail, IpPrefix target, long time, long expiry, int count) {
        Entry e = entry(jail, target);
        switch (type) {
            case TYPE_BAN -> {
                e.banCount = Math.max(e.banCount, count);
                e.lastBanTime = Math.max(e.lastBanTime, time);
                e.expiry = expiry;
                e.active = true;
                e.banOrder = ++bansMade;
            }
            case TYPE_UNBAN -> e.active = false;
            default -> {
                e.banCount = Math.max(e.banCount, count);
                e.lastBanTime = Math.max(e.lastBanTime, time);
                e.active = false;
            }
        }
    }

    private Entry entry(String jail, IpPrefix target) {
        Key k = new Key(jail, target);
        Entry e = entries.get(k);
        if (e == null) {
            e = new Entry(jail, target);
            entries.put(k, e);
            Entry[] list = byTarget.get(target);
            Entry[] grown = list == null ? new Entry[1] : java.util.Arrays.copyOf(list, list.length + 1);
            grown[grown.length - 1] = e;
            byTarget.put(target, grown);
        }
        return e;
    }

    /** The ledger's entry for (jail, target), or null when it was never banned there. */
    public Entry find(String jail, IpPrefix target) {
        return entries.get(new Key(jail, target));
    }

    /**
     * fail2ban's {@code getBan}: the previous ban count of {@code target} in {@code jail}, or with
     * {@code overallJails} the sum over every jail.
     */
    public int banCount(String jail, IpPrefix target, boolean overallJails) {
        return banCount(jail, target, overallJails, Long.MIN_VALUE);
    }

    /**
     * As {@link #banCount(String, IpPrefix, boolean)}, forgetting history whose last ban is older
     * than the purge age at {@code now}, as fail2ban's {@code dbpurgeage} does, whether or not a
     * compaction has dropped it yet.
     */
    public int banCount(String jail, IpPrefix target, boolean overallJails, long now) {
        long horizon = now == Long.MIN_VALUE ? Long.MIN_VALUE : now - purgeAgeMillis;
        if (!overallJails) {
            Entry e = find(jail, target);
            return e == null || (!e.active && e.lastBanTime < horizon) ? 0 : e.banCount;
        }
        Entry[] list = byTarget.get(target);
        int sum = 0;
        if (list != null) {
            for (Entry e : list) {
                if (e.active || e.lastBanTime >= horizon) {
                    sum += e.banCount;
                }
            }
        }
        return sum;
    }

    /** Every entry for a target across jails. */
    public List<Entry> entriesOf(IpPrefix target) {
        Entry[] list = byTarget.get(target);
        return list == null ? List.of() : List.of(list);
    }

    /** Every entry (a copy). */
    public List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    /** Bans that are active and not over at {@code now}. */
    public List<Ban> activeBans(long now) {
        List<Ban> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.active && e.expiry > now) {
                out.add(new Ban(e.jail, e.target, e.expiry));
            }
        }
        return out;
    }

    /**
     * Buffers a ban record and updates the history; returns the entry. The ban count is the
     * entry's count plus one. Nothing reaches the file before {@link #write}.
     */
    public Entry append(Ban ban, long timeOfBan) {
        Entry e = entry(ban.jail(), ban.target());
        e.banCount++;
        e.lastBanTime = timeOfBan;
        e.expiry = ban.expiresAtMillis();
        e.active = true;
        e.banOrder = ++bansMade;
        encode(TYPE_BAN, e.jail, e.target, timeOfBan, e.expiry, e.banCount);
        return e;
    }

    /** Buffers an unban record; returns false when the target was not banned in that jail. */
    public boolean appendUnban(String jail, IpPrefix target, long now) {
        Entry e = find(jail, target);
        if (e == null || !e.active) {
            return false;
        }
        e.active = false;
        encode(TYPE_UNBAN, jail, target, e.lastBanTime, now, e.banCount);
        return true;
    }

    /** Marks a ban as over (its expiry passed) without writing: the ban record already says when. */
    public void expire(String jail, IpPrefix target) {
        Entry e = find(jail, target);
        if (e != null) {
            e.active = false;
        }
    }

    private void encode(byte type, String jail, IpPrefix target, long time, long expiry, int count) {
        byte[] name = jail.getBytes(StandardCharsets.UTF_8);
        if (name.length > MAX_JAIL_BYTES) {
            throw new IllegalArgumentException("jail name longer than " + MAX_JAIL_BYTES + " UTF-8 bytes: " + jail);
        }
        int length = FIXED_LENGTH + name.length;
        if (buffer.remaining() < length) {
            write();
            if (buffer.remaining() < length && !grow(length)) {
                droppedRecords++;
                errors++;
                if (droppedWhileFailing++ == 0) {
                    LOG.log(System.Logger.Level.ERROR, "ledger " + path + ": buffer full (" + buffer.capacity() / 1024
                            + " KB) while the disk fails; dropping records (first: " + target + " in " + jail
                            + ") until a write succeeds: those bans are in the firewall but will not survive a restart");
                }
                return;
            }
        }
        int at = buffer.position();
        buffer.putInt(at + LENGTH_OFFSET, length);
        buffer.put(at + TYPE_OFFSET, type);
        buffer.put(at + FAMILY_OFFSET, target.address().isIpv4() ? FAMILY_IPV4 : FAMILY_IPV6);
        buffer.put(at + PREFIX_LENGTH_OFFSET, (byte) target.length());
        buffer.put(at + RESERVED_OFFSET, (byte) 0);
        buffer.putLong(at + TIME_OFFSET, time);
        buffer.putLong(at + EXPIRY_OFFSET, expiry);
        buffer.putInt(at + COUNT_OFFSET, count);
        buffer.putLong(at + ADDRESS_HI_OFFSET, target.address().high());
        buffer.putLong(at + ADDRESS_LO_OFFSET, target.address().low());
        buffer.putShort(at + JAIL_LENGTH_OFFSET, (short) name.length);
        buffer.put(at + JAIL_OFFSET, name);
        crc.reset();
        crc.update(buffer.slice(at + TYPE_OFFSET, length - TYPE_OFFSET));
        buffer.putInt(at + CRC_OFFSET, (int) crc.getValue());
        buffer.position(at + length);
        bufferedRecords++;
    }

    /**
     * Makes room for {@code length} more bytes while the disk refuses the buffered records, up to
     * {@link #MAX_BUFFER_BYTES}; false when the buffer is already that large.
     */
    private boolean grow(int length) {
        int capacity = buffer.capacity();
        if (capacity >= MAX_BUFFER_BYTES) {
            return false;
        }
        int wanted = Math.min(MAX_BUFFER_BYTES, Math.max(capacity * 2, buffer.position() + length));
        if (wanted - buffer.position() < length) {
            return false;
        }
        ByteBuffer bigger = ByteBuffer.allocate(wanted).order(ByteOrder.LITTLE_ENDIAN);
        bigger.put(buffer.duplicate().flip());
        buffer = bigger;
        return true;
    }

    /** Bytes the buffer can hold now (tests). */
    int bufferCapacity() {
        return buffer.capacity();
    }

    /**
     * Writes the buffered records to the file (no fsync). Returns false, counts and logs when the
     * disk refuses; the records stay buffered for the next attempt and a partial write is cut off
     * so the file never holds a torn record in its middle.
     */
    public boolean write() {
        if (memoryOnly) {
            buffer.clear();
            bufferedRecords = 0;
            return true;
        }
        if (buffer.position() == 0) {
            return !failing;
        }
        if (channel == null || !channel.isOpen()) {
            return fail(new IOException("ledger is closed"));
        }
        try {
            if (failing) {
                channel.truncate(goodEnd);
            }
            ByteBuffer out = buffer.duplicate().flip();
            writeFully(channel, out, goodEnd);
            goodEnd += buffer.position();
            recordsInFile += bufferedRecords;
            writtenNotForced += bufferedRecords;
            bufferedRecords = 0;
            buffer.clear();
            if (failing) {
                LOG.log(System.Logger.Level.WARNING, "ledger " + path + ": writes succeed again"
                        + (droppedWhileFailing == 0 ? "" : "; " + droppedWhileFailing + " records were dropped while they failed"));
            }
            failing = false;
            droppedWhileFailing = 0;
            return true;
        } catch (IOException | RuntimeException e) {
            try {
                channel.truncate(goodEnd);
            } catch (IOException | RuntimeException ignored) {
                // the next write truncates again before appending
            }
            return fail(e);
        }
    }

    /** Forces written records to disk (one fsync for the batch). Returns false on failure (counted, logged). */
    public boolean force() {
        if (memoryOnly) {
            return true;
        }
        if (channel == null || !channel.isOpen()) {
            return fail(new IOException("ledger is closed"));
        }
        if (writtenNotForced == 0) {
            return !failing;
        }
        try {
            channel.force(false);
            writtenNotForced = 0;
            return true;
        } catch (IOException | RuntimeException e) {
            return fail(e);
        }
    }

    /** True when records were written (or are buffered) and not yet forced to disk: {@link #lag()} above 0. */
    public boolean unforced() {
        return !memoryOnly && lag() > 0;
    }

    /** Writes then forces. */
    public boolean sync() {
        boolean w = write();
        return force() && w;
    }

    /**
     * Counts a refused write. The first of a run of them is logged at once, later ones at most once a
     * minute ({@link #FAILURE_LOG_INTERVAL_NANOS}) with the counts so far: under a ban flood on a full
     * disk every record retries the write, and a line each would flood the log as well.
     */
    private boolean fail(Exception e) {
        errors++;
        long now = System.nanoTime();
        if (!failing) {
            LOG.log(System.Logger.Level.ERROR, "ledger " + path + ": cannot persist bans (" + e
                    + "); bans still reach the firewall but will not survive a restart");
            lastFailureLog = now;
        } else if (now - lastFailureLog >= FAILURE_LOG_INTERVAL_NANOS) {
            LOG.log(System.Logger.Level.ERROR, "ledger " + path + ": still cannot persist bans (" + e + "); "
                    + bufferedRecords + " records held, " + droppedWhileFailing + " dropped");
            lastFailureLog = now;
        }
        failing = true;
        return false;
    }

    /** The least time between two "still cannot persist" lines. */
    static final long FAILURE_LOG_INTERVAL_NANOS = 60_000_000_000L;

    /** As {@link #restore(Enforcer, long, Predicate)} for the bans of every jail. */
    public RestoreReport restore(Enforcer enforcer, long now) {
        return restore(enforcer, now, jail -> true);
    }

    /**
     * Puts every ban of the {@code jails} whose time is not over into the kernel in one {@code
     * Enforcer.ban} call (each with what is left of its time), lifts kernel bans of those jails the
     * ledger says are over or lifted, and reports their kernel bans it never wrote. Bans of other
     * jails are left as they are, active in the ledger and counted in {@link
     * RestoreReport#otherJails}: a jail that is not running keeps its bans for when it runs again,
     * as fail2ban's database does for a stopped jail. Whatever the jail, a ban whose time is over
     * is marked so.
     */
    public RestoreReport restore(Enforcer enforcer, long now, Predicate<String> jails) {
        List<Entry> toRestore = new ArrayList<>();
        int expired = 0;
        int otherJails = 0;
        java.util.Set<String> otherJailNames = new java.util.TreeSet<>();
        for (Entry e : entries.values()) {
            if (!e.active) {
                continue;
            }
            if (e.expiry <= now) {
                e.active = false;
                expired++;
            } else if (jails.test(e.jail)) {
                toRestore.add(e);
            } else {
                otherJails++;
                otherJailNames.add(e.jail);
            }
        }
        // in fail2ban's order: its database gives a jail's current bans ordered by the address as
        // text (database.py _getCurrentBans, "ORDER BY ip"), and its jail lists them so from then on
        if (toRestore.size() > 1) {
            toRestore.sort(RESTORE_ORDER);
        }
        List<Ban> restore = new ArrayList<>(toRestore.size());
        for (Entry e : toRestore) {
            restore.add(new Ban(e.jail, e.target, e.expiry));
            e.banOrder = ++bansMade;
        }
        List<Ban> foreign = new ArrayList<>();
        Map<String, List<IpPrefix>> lift = new LinkedHashMap<>();
        List<Ban> lifted = new ArrayList<>();
        String problem = null;
        try {
            for (Ban k : enforcer.list(jails)) {
                Entry e = find(k.jail(), k.target());
                if (e == null) {
                    foreign.add(k);
                } else if (!e.active) {
                    lift.computeIfAbsent(k.jail(), j -> new ArrayList<>()).add(k.target());
                    lifted.add(k);
                }
            }
        } catch (EnforcerException | RuntimeException ex) {
            problem = "cannot list the firewall's bans: " + ex.getMessage();
        }
        try {
            if (!restore.isEmpty()) {
                enforcer.ban(restore);
            }
        } catch (EnforcerException | RuntimeException ex) {
            problem = (problem == null ? "" : problem + "; ") + "cannot restore " + restore.size() + " bans: " + ex.getMessage();
        }
        for (Map.Entry<String, List<IpPrefix>> l : lift.entrySet()) {
            try {
                enforcer.unban(l.getKey(), l.getValue());
            } catch (EnforcerException | RuntimeException ex) {
                problem = (problem == null ? "" : problem + "; ") + "cannot lift " + l.getValue().size() + " bans of "
                        + l.getKey() + ": " + ex.getMessage();
            }
        }
        if (!foreign.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, foreign.size() + " bans in the firewall were not written by this ledger, e.g. "
                    + foreign.get(0));
        }
        if (problem != null) {
            LOG.log(System.Logger.Level.ERROR, problem);
        }
        return new RestoreReport(List.copyOf(restore), expired, otherJails, java.util.Collections.unmodifiableSet(otherJailNames),
                List.copyOf(foreign), List.copyOf(lifted), problem);
    }

    /** True when dead records dominate: more than twice the entries plus the slack (default 1024). */
    public boolean worthCompacting() {
        return !memoryOnly && recordsInFile > 2L * entries.size() + compactionSlack;
    }

    /** Compacts when {@link #worthCompacting()}; returns true when it did. */
    public boolean compactIfWorthIt(long now) {
        return worthCompacting() && compact(now);
    }

    /**
     * Rewrites the live state (active bans as BAN records, history as HISTORY records, history
     * older than the purge age dropped) to {@code <file>.compact}, forces it, and renames it over
     * the ledger atomically. Returns false (counted, logged) when the disk refuses; the old file
     * stays as it was.
     */
    public boolean compact(long now) {
        if (memoryOnly) {
            entries.values().removeIf(e -> !e.active && e.lastBanTime < now - purgeAgeMillis);
            rebuildByTarget();
            return true;
        }
        if (!write() || !force()) {
            return false;
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".compact");
        entries.values().removeIf(e -> !e.active && e.lastBanTime < now - purgeAgeMillis);
        rebuildByTarget();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer h = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN).putLong(0, MAGIC);
            writeFully(out, h, 0);
            long pos = FILE_HEADER_LENGTH;
            for (Entry e : entries.values()) {
                if (e.active && e.expiry > now) {
                    encode(TYPE_BAN, e.jail, e.target, e.lastBanTime, e.expiry, e.banCount);
                } else {
                    e.active = false;
                    encode(TYPE_HISTORY, e.jail, e.target, e.lastBanTime, 0, e.banCount);
                }
                if (buffer.remaining() < MAX_RECORD_LENGTH) {
                    pos = drainTo(out, pos);
                }
            }
            pos = drainTo(out, pos);
            out.force(true);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(path.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException ignored) {
                // some file systems cannot fsync a directory; the rename is still atomic
            }
            FileChannel old = channel;
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            old.close();
            goodEnd = pos;
            recordsInFile = entries.size();
            compactions++;
            return true;
        } catch (IOException | RuntimeException e) {
            buffer.clear();
            bufferedRecords = 0;
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            return fail(e);
        }
    }

    private void rebuildByTarget() {
        byTarget.clear();
        for (Entry e : entries.values()) {
            Entry[] list = byTarget.get(e.target);
            Entry[] grown = list == null ? new Entry[1] : java.util.Arrays.copyOf(list, list.length + 1);
            grown[grown.length - 1] = e;
            byTarget.put(e.target, grown);
        }
    }

    private long drainTo(FileChannel out, long pos) throws IOException {
        ByteBuffer b = buffer.duplicate().flip();
        writeFully(out, b, pos);
        long next = pos + buffer.position();
        buffer.clear();
        bufferedRecords = 0;
        return next;
    }

    /** Write or fsync failures so far (disk full, read-only, I/O error). */
    public long errors() {
        return errors;
    }

    /** True after a failed write or fsync until one succeeds. */
    public boolean failing() {
        return failing;
    }

    /** Records appended but not yet forced to disk. */
    public long lag() {
        return bufferedRecords + writtenNotForced;
    }

    /** Records lost because the buffer overflowed while the disk was failing. */
    public long droppedRecords() {
        return droppedRecords;
    }

    public long compactions() {
        return compactions;
    }

    public long recordsInFile() {
        return recordsInFile;
    }

    public int size() {
        return entries.size();
    }

    /** Writes, forces and closes. */
    @Override
    public void close() {
        if (memoryOnly) {
            return;
        }
        sync();
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "ledger " + path + ": close failed: " + e);
        }
    }

    @Override
    public String toString() {
        return "BanLedger[" + path + ", " + entries.size() + " entries, " + recordsInFile + " records]";
    }


}
