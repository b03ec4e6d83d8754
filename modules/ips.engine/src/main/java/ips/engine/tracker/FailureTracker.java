package ips.engine.tracker;

/**
 * Counts failures per key under a hard ceiling fixed at construction, with fail2ban's semantics
 * ({@code failmanager.py} {@code addFailure}, {@code ticket.py} {@code adjustTime}).
 *
 * <p>A key is 128 bits plus a 32-bit tag (the tag holds the jail's index and the key's kind, so
 * several jails share one table and one ceiling). Storage is primitive arrays: an open-addressing
 * index of {@code int} slots (linear probing, backward-shift deletion, no tombstones) pointing into
 * per-entry columns. The index has at most the slots of a table sized for the ceiling (load at most
 * 1/2 there) and, below it, four slots per entry of the columns (load at most 1/4).
 *
 * <p>The columns start at {@value #INITIAL_ENTRIES} entries (or the ceiling, when smaller), so an
 * idle daemon does not pay for its ceiling. When every entry is in use and the ceiling is not
 * reached, the columns double (capped at the ceiling) and the index is rebuilt at its new size: O(live
 * entries) once per doubling, amortised O(1) per new key, {@code ceil(log2(ceiling / }{@value
 * #INITIAL_ENTRIES}{@code ))} times at most in the tracker's life (7 for 100,000). Entries are handed
 * out in the same order whatever the columns' length (the last freed one, else the lowest never
 * used), so a growing tracker gives the same answers as one sized for its ceiling, and at the ceiling
 * its arrays are exactly the ones that table has.
 *
 * <p>At the ceiling, with every entry in use, a CLOCK hand evicts in O(1) (at most {@value
 * #MAX_CLOCK_STEPS} steps): an entry whose last failure is past its findtime goes at once, a
 * referenced entry gets a second chance. Nothing is allocated once the columns have grown to the
 * peak of live keys (or the ceiling): counting, removing, sweeping and evicting reuse entries.
 *
 * <p>Not thread-safe.
 */
public final class FailureTracker {
    /**
     * Bytes one entry costs at most once the columns have grown to the ceiling: six long and four int
     * columns (one is the stack of freed entries), a byte, and up to four index slots. Below the
     * ceiling the columns hold only a power of two at least as large as the peak of live keys; during
     * a doubling the old arrays stay on the heap beside the new ones until the next collection.
     */
    public static final int BYTES_PER_ENTRY = 8 * 6 + 4 * 4 + 1 + 4 * 4;

    /** The most referenced entries the CLOCK hand passes over before it evicts regardless. */
    static final int MAX_CLOCK_STEPS = 32;

    /** Entries the columns start with (the ceiling, when smaller). */
    static final int INITIAL_ENTRIES = 1024;

    /** Returned by {@link #add} when the key is unknown to the tracker and nothing was counted. */
    public static final int NO_ENTRY = -1;

    /** The hard ceiling on entries. */
    private final int capacity;
    /** Index slots: entry + 1, or 0 when empty; {@code mask} is its length - 1. */
    private int[] slots;
    private int mask;
    // per-entry columns, all of one length: the entries allocated so far (<= capacity)
    private long[] keyHi;
    private long[] keyLo;
    private int[] keyTag;
    private long[] firstTime;
    private long[] lastTime;
    private int[] retry;
    /** The address to ban for an id key: hi, lo, and family tag (0 = none). */
    private long[] addrHi;
    private long[] addrLo;
    private int[] addrTag;
    private byte[] referenced;
    /** Freed entries, as a stack; entries at or past {@code next} were never used and are free too. */
    private int[] free;
    private int freeTop;
    /** The lowest entry never used: entries {@code [0, next)} are live or on the free stack. */
    private int next;
    private int clockHand;
    private int size;
    private long evictions;
    /** findtime per jail index, ms; entries older than it count as gone. */
    private final long[] findTimeOfJail;
    private final int[] sizeOfJail;

    /**
     * @param maxEntries the hard ceiling on tracked keys
     * @param maxJails how many jail indexes {@link #setFindTime} accepts
     */
    public FailureTracker(int maxEntries, int maxJails) {
        this(maxEntries, maxJails, INITIAL_ENTRIES);
    }

    /** As {@link #FailureTracker(int, int)}, with columns of {@code initialEntries} to start (tests). */
    FailureTracker(int maxEntries, int maxJails, int initialEntries) {
        if (maxEntries < 1 || maxEntries > (1 << 29)) {
            throw new IllegalArgumentException("maxEntries " + maxEntries + " outside 1.." + (1 << 29));
        }
        if (maxJails < 1 || maxJails > 65536) {
            throw new IllegalArgumentException("maxJails " + maxJails + " outside 1..65536");
        }
        if (initialEntries < 1) {
            throw new IllegalArgumentException("initialEntries " + initialEntries + " below 1");
        }
        this.capacity = maxEntries;
        int n = Math.min(maxEntries, initialEntries);
        slots = new int[indexSizeFor(n)];
        mask = slots.length - 1;
        keyHi = new long[n];
        keyLo = new long[n];
        keyTag = new int[n];
        firstTime = new long[n];
        lastTime = new long[n];
        retry = new int[n];
        addrHi = new long[n];
        addrLo = new long[n];
        addrTag = new int[n];
        referenced = new byte[n];
        free = new int[n];
        findTimeOfJail = new long[maxJails];
        java.util.Arrays.fill(findTimeOfJail, Long.MAX_VALUE / 4);
        sizeOfJail = new int[maxJails];
    }

    /** The tag of a key: jail index in the high 16 bits, kind in the low 16. */
    public static int tag(int jailIndex, int kind) {
        return jailIndex << 16 | (kind & 0xFFFF);
    }

    public static int jailOf(int tag) {
        return tag >>> 16;
    }

    public void setFindTime(int jailIndex, long findTimeMillis) {
        findTimeOfJail[jailIndex] = Math.max(0, findTimeMillis);
    }

    /**
     * Counts one failure at {@code time} (ms) and returns the key's retry count after it, fail2ban's
     * {@code getRetry()}. A key whose last failure is older than findtime starts again at 1; a
     * failure later than the last one past findtime scales the count down by the rate over the
     * known interval, as fail2ban's {@code adjustTime}. {@code aTag}/{@code aHi}/{@code aLo}
     * remember the address to ban (0 tag = unknown, keeps a previous one).
     */
    public int add(int tag, long hi, long lo, long time, int aTag, long aHi, long aLo) {
        int e = find(tag, hi, lo);
        long findTime = findTimeOfJail[jailOf(tag)];
        if (e >= 0 && lastTime[e] <= time - findTime) {
            // fail2ban's cleanup() would have dropped it: start afresh.
            firstTime[e] = time;
            lastTime[e] = time;
            retry[e] = 0;
        }
        if (e < 0) {
            e = allocate(time);
            keyHi[e] = hi;
            keyLo[e] = lo;
            keyTag[e] = tag;
            firstTime[e] = time;
            lastTime[e] = time;
            retry[e] = 0;
            addrTag[e] = 0;
            // a first failure is not a reference: one-shot flood keys are the first to go, keys
            // that fail again get CLOCK's second chance
            referenced[e] = 0;
            insertSlot(e);
            size++;
            sizeOfJail[jailOf(tag)]++;
        } else {
            referenced[e] = 1;
        }
        if (time > lastTime[e]) {
            if (firstTime[e] < time - findTime) {
                retry[e] = (int) Math.rint(retry[e] / (double) (time - firstTime[e]) * findTime);
                firstTime[e] = time - findTime;
            }
            lastTime[e] = time;
        }
        retry[e]++;
        if (aTag != 0) {
            addrTag[e] = aTag;
            addrHi[e] = aHi;
            addrLo[e] = aLo;
        }
        return retry[e];
    }

    /** The entry holding the key, or -1. */
    public int find(int tag, long hi, long lo) {
        int i = (int) mix(tag, hi, lo) & mask;
        while (true) {
            int s = slots[i];
            if (s == 0) {
                return -1;
            }
            int e = s - 1;
            if (keyLo[e] == lo && keyHi[e] == hi && keyTag[e] == tag) {
                return e;
            }
            i = (i + 1) & mask;
        }
    }

    /** Forgets the key (a ban clears its failures); returns true when it was tracked. */
    public boolean remove(int tag, long hi, long lo) {
        int e = find(tag, hi, lo);
        if (e < 0) {
            return false;
        }
        removeEntry(e);
        return true;
    }

    public int retryOf(int entry) {
        return retry[entry];
    }

    public int addressTagOf(int entry) {
        return addrTag[entry];
    }

    public long addressHiOf(int entry) {
        return addrHi[entry];
    }

    public long addressLoOf(int entry) {
        return addrLo[entry];
    }

    public int size() {
        return size;
    }

    /** Tracked keys of one jail (entries past findtime count until swept or reused). */
    public int sizeOf(int jailIndex) {
        return sizeOfJail[jailIndex];
    }

    public int capacity() {
        return capacity;
    }

    /** The most entries that fit in {@code bytes}, whatever power of two the index rounds to. */
    public static int entriesForBytes(long bytes) {
        return (int) Math.max(1, Math.min(1 << 29, bytes / BYTES_PER_ENTRY));
    }

    /** Bytes the arrays take now (excluding object headers); grows with the columns up to the ceiling. */
    public long bytesAllocated() {
        return (long) slots.length * 4 + (long) keyTag.length * (8 * 6 + 4 * 4 + 1);
    }

    /** Entries the columns hold now: from {@value #INITIAL_ENTRIES} (or the ceiling) up to the ceiling. */
    int entriesAllocated() {
        return keyTag.length;
    }

    /** Slots of the index now. */
    int indexSlots() {
        return slots.length;
    }

    public long evictions() {
        return evictions;
    }

    /**
     * Drops up to {@code budget} entries' worth of aged entries, scanning from the clock hand (fail2ban's
     * {@code cleanup}, in bounded steps so no call pauses with the table's size). Returns how many
     * were dropped.
     */
    public int sweep(long now, int budget) {
        int dropped = 0;
        // entries at or past next were never used: the hand turns over [0, next) only
        int used = next;
        int steps = Math.min(budget, used);
        int i = clockHand;
        for (int n = 0; n < steps; n++) {
            int e = i;
            i = i + 1 >= used ? 0 : i + 1;
            if (isLive(e) && lastTime[e] <= now - findTimeOfJail[jailOf(keyTag[e])]) {
                removeEntry(e);
                dropped++;
            }
        }
        clockHand = i;
        return dropped;
    }

    /**
     * Takes over {@code from}'s keys (a reload's new engine keeps the failures counted so far, as
     * fail2ban's reload keeps a running jail's): each live key of old jail index {@code j} is
     * counted here under {@code jailMap[j]} with its times, retry count and address; keys of a jail
     * mapped to -1 (stopped, or counted otherwise now), and keys already past the new jail's
     * findtime at {@code now}, are left out. Over this tracker's ceiling the usual eviction applies.
     * {@code from}'s evictions are added to this one's, so the count never goes back.
     */
    public void carryOver(FailureTracker from, int[] jailMap, long now) {
        for (int e = 0; e < from.next; e++) {
            if (!from.isLive(e)) {
                continue;
            }
            int oldJail = jailOf(from.keyTag[e]);
            int jail = oldJail < jailMap.length ? jailMap[oldJail] : -1;
            if (jail < 0 || jail >= findTimeOfJail.length || from.lastTime[e] <= now - findTimeOfJail[jail]) {
                continue;
            }
            int tag = tag(jail, from.keyTag[e] & 0xFFFF);
            if (find(tag, from.keyHi[e], from.keyLo[e]) >= 0) {
                continue;
            }
            int n = allocate(now);
            keyHi[n] = from.keyHi[e];
            keyLo[n] = from.keyLo[e];
            keyTag[n] = tag;
            firstTime[n] = from.firstTime[e];
            lastTime[n] = from.lastTime[e];
            retry[n] = from.retry[e];
            addrTag[n] = from.addrTag[e];
            addrHi[n] = from.addrHi[e];
            addrLo[n] = from.addrLo[e];
            referenced[n] = from.referenced[e];
            insertSlot(n);
            size++;
            sizeOfJail[jail]++;
        }
        evictions += from.evictions;
    }

    /** Forgets every key of one jail (a jail stopped or reloaded). */
    public void clearJail(int jailIndex) {
        for (int e = 0; e < next; e++) {
            if (isLive(e) && jailOf(keyTag[e]) == jailIndex) {
                removeEntry(e);
            }
        }
    }

    /** Kinds are never 0, so a live entry's tag is never 0. */
    private boolean isLive(int e) {
        return keyTag[e] != 0;
    }

    private int allocate(long now) {
        if (freeTop > 0) {
            return free[--freeTop];
        }
        if (next == keyTag.length && next < capacity) {
            grow();
        }
        if (next < keyTag.length) {
            return next++;
        }
        // CLOCK: at the ceiling, and every entry is live here. An aged entry goes at once; a
        // referenced one loses its bit and is passed over, but never more than MAX_CLOCK_STEPS of
        // them, so the worst case is a constant however large the table.
        for (int step = 0; ; step++) {
            int e = clockHand;
            clockHand = e + 1 == capacity ? 0 : e + 1;
            boolean aged = lastTime[e] <= now - findTimeOfJail[jailOf(keyTag[e])];
            if (aged || referenced[e] == 0 || step == MAX_CLOCK_STEPS) {
                if (!aged) {
                    evictions++;
                }
                removeEntry(e);
                return free[--freeTop];
            }
            referenced[e] = 0;
        }
    }

    /**
     * Doubles the columns (capped at the ceiling) and rebuilds the index at the size the new length
     * calls for. Called only when every entry is live, so the stack of freed entries is empty.
     */
    private void grow() {
        int n = (int) Math.min(capacity, 2L * keyTag.length);
        keyHi = java.util.Arrays.copyOf(keyHi, n);
        keyLo = java.util.Arrays.copyOf(keyLo, n);
        keyTag = java.util.Arrays.copyOf(keyTag, n);
        firstTime = java.util.Arrays.copyOf(firstTime, n);
        lastTime = java.util.Arrays.copyOf(lastTime, n);
        retry = java.util.Arrays.copyOf(retry, n);
        addrHi = java.util.Arrays.copyOf(addrHi, n);
        addrLo = java.util.Arrays.copyOf(addrLo, n);
        addrTag = java.util.Arrays.copyOf(addrTag, n);
        referenced = java.util.Arrays.copyOf(referenced, n);
        free = new int[n];
        int tableSize = indexSizeFor(n);
        if (tableSize != slots.length) {
            slots = new int[tableSize];
            mask = tableSize - 1;
            for (int e = 0; e < next; e++) {
                if (isLive(e)) {
                    insertSlot(e);
                }
            }
        }
    }

    /**
     * Index slots for columns of {@code entries}: below the ceiling, four slots per entry (load at
     * most 1/4, as short probes as the table sized for the ceiling gives a working set that small);
     * never more than the table sized for the ceiling, which is what it is at the ceiling.
     */
    private int indexSizeFor(int entries) {
        return (int) Math.min(tableSizeFor(capacity), 2L * tableSizeFor(entries));
    }

    /** The power of two at least twice {@code entries} (load at most 1/2). */
    private static int tableSizeFor(int entries) {
        return Integer.highestOneBit(Math.max(2, entries) * 2 - 1) << 1;
    }

    private void removeEntry(int e) {
        int i = (int) mix(keyTag[e], keyHi[e], keyLo[e]) & mask;
        while (slots[i] != e + 1) {
            i = (i + 1) & mask;
        }
        // backward-shift deletion (Knuth 6.4 algorithm R): no tombstones.
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            int s = slots[j];
            if (s == 0) {
                break;
            }
            int home = (int) mix(keyTag[s - 1], keyHi[s - 1], keyLo[s - 1]) & mask;
            // move s into the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!stays) {
                slots[hole] = s;
                hole = j;
            }
        }
        slots[hole] = 0;
        sizeOfJail[jailOf(keyTag[e])]--;
        keyTag[e] = 0;
        keyHi[e] = 0;
        keyLo[e] = 0;
        referenced[e] = 0;
        size--;
        free[freeTop++] = e;
    }

    private void insertSlot(int e) {
        int i = (int) mix(keyTag[e], keyHi[e], keyLo[e]) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = e + 1;
    }

    private static long mix(int tag, long hi, long lo) {
        long h = hi * 0x9E3779B97F4A7C15L + lo * 0xC2B2AE3D27D4EB4FL + tag;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }
}
