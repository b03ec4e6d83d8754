package ips.engine.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FailureTrackerTest {
    private static final int V4 = FailureTracker.tag(1, 4);
    private static final long MIN = 60_000;

    private static FailureTracker tracker(int capacity, long findTime) {
        FailureTracker t = new FailureTracker(capacity, 4);
        t.setFindTime(1, findTime);
        return t;
    }

    @Test
    void countsFailuresPerKeyWithinFindtime() {
        FailureTracker t = tracker(16, 10 * MIN);
        assertEquals(1, t.add(V4, 0, 1, 0, 0, 0, 0));
        assertEquals(2, t.add(V4, 0, 1, MIN, 0, 0, 0));
        assertEquals(1, t.add(V4, 0, 2, MIN, 0, 0, 0));
        assertEquals(3, t.add(V4, 0, 1, 2 * MIN, 0, 0, 0));
        assertEquals(2, t.size());
    }

    @Test
    void carryOverKeepsKeysUnderTheirNewJailIndexAndLeavesOutDroppedJailsAndAgedKeys() {
        FailureTracker old = new FailureTracker(16, 4);
        old.setFindTime(1, 10 * MIN);
        old.setFindTime(2, 10 * MIN);
        old.setFindTime(3, 10 * MIN);
        old.add(FailureTracker.tag(1, 4), 0, 1, 0, 4, 0, 1);
        old.add(FailureTracker.tag(1, 4), 0, 1, MIN, 4, 0, 1);
        old.add(FailureTracker.tag(2, 4), 0, 2, MIN, 0, 0, 0); // jail 2 is stopped by the reload
        old.add(FailureTracker.tag(3, 4), 0, 3, 0, 0, 0, 0); // past jail 1's new, shorter findtime
        FailureTracker t = new FailureTracker(16, 4);
        t.setFindTime(2, 10 * MIN); // old jail 1 is now index 2
        t.setFindTime(1, 2 * MIN); // old jail 3 is now index 1, with a 2-minute findtime
        t.carryOver(old, new int[] {-1, 2, -1, 1}, 3 * MIN);
        assertEquals(1, t.size());
        int e = t.find(FailureTracker.tag(2, 4), 0, 1);
        assertEquals(2, t.retryOf(e));
        assertEquals(4, t.addressTagOf(e), "the address to ban comes along");
        assertEquals(3, t.add(FailureTracker.tag(2, 4), 0, 1, 4 * MIN, 0, 0, 0), "and counting goes on");
        assertEquals(1, t.sizeOf(2));
        assertEquals(-1, t.find(FailureTracker.tag(2, 4), 0, 2));
    }

    @Test
    void carryOverIntoASmallerTableEvictsAsAFullTableDoesAndKeepsTheEvictionCount() {
        FailureTracker old = tracker(8, 10 * MIN);
        for (int i = 0; i < 8; i++) {
            old.add(V4, 0, i, 0, 0, 0, 0);
        }
        old.add(V4, 0, 100, MIN, 0, 0, 0); // one eviction in the old table
        assertEquals(1, old.evictions());
        FailureTracker t = tracker(4, 10 * MIN);
        t.carryOver(old, new int[] {-1, 1, -1, -1}, 2 * MIN);
        assertEquals(4, t.size());
        assertEquals(1 + 4, t.evictions());
    }

    @Test
    void startsAgainWhenTheLastFailureIsOlderThanFindtime() {
        FailureTracker t = tracker(16, 10 * MIN);
        t.add(V4, 0, 1, 0, 0, 0, 0);
        t.add(V4, 0, 1, MIN, 0, 0, 0);
        assertEquals(1, t.add(V4, 0, 1, 11 * MIN, 0, 0, 0));
    }

    @Test
    void scalesTheCountByTheRateWhenTheIntervalOutgrowsFindtimeAsFail2banAdjustTimeDoes() {
        // ticket.py adjustTime: retry = round(retry / (time - firstTime) * maxTime); firstTime = time - maxTime
        FailureTracker t = tracker(16, 10 * MIN);
        t.add(V4, 0, 1, 0, 0, 0, 0);          // 1
        t.add(V4, 0, 1, 5 * MIN, 0, 0, 0);    // 2
        t.add(V4, 0, 1, 9 * MIN, 0, 0, 0);    // 3, first at 0
        // at 15 min: 3 / 15 * 10 = 2 (round), then +1 = 3
        assertEquals(3, t.add(V4, 0, 1, 15 * MIN, 0, 0, 0));
        // first is now 5 min; at 24 min: 3 / 19 * 10 = 1.58 -> 2, +1 = 3
        assertEquals(3, t.add(V4, 0, 1, 24 * MIN, 0, 0, 0));
    }

    @Test
    void evictsWithClockWhenFullAndCountsEvictions() {
        FailureTracker t = tracker(4, 10 * MIN);
        for (int i = 0; i < 10; i++) {
            t.add(V4, 0, i, 0, 0, 0, 0);
        }
        assertEquals(4, t.size());
        assertEquals(6, t.evictions());
    }

    @Test
    void agedEntriesMakeRoomWithoutCountingAsEvictions() {
        FailureTracker t = tracker(2, MIN);
        t.add(V4, 0, 1, 0, 0, 0, 0);
        t.add(V4, 0, 2, 0, 0, 0, 0);
        t.add(V4, 0, 3, 2 * MIN, 0, 0, 0);
        assertEquals(0, t.evictions());
        assertEquals(2, t.size());
    }

    @Test
    void removeForgetsTheKeyAndKeepsOthersFindable() {
        FailureTracker t = tracker(64, 10 * MIN);
        for (int i = 0; i < 40; i++) {
            t.add(V4, 0, i, 0, 0, 0, 0);
        }
        assertTrue(t.remove(V4, 0, 7));
        assertFalse(t.remove(V4, 0, 7));
        for (int i = 0; i < 40; i++) {
            assertEquals(i != 7, t.find(V4, 0, i) >= 0, "key " + i);
        }
    }

    /**
     * One random operation on key {@code k}, on the tracker and on a map model of it: a remove one
     * time in four, else an add; after an eviction the model drops whatever the tracker no longer has.
     */
    private static void modelStep(FailureTracker t, Map<Long, Integer> model, int cap, SplittableRandom r, long k) {
        if (r.nextInt(4) == 0) {
            assertEquals(model.remove(k) != null, t.remove(V4, 0, k));
        } else {
            int n = t.add(V4, 0, k, 0, 0, 0, 0);
            Integer before = model.get(k);
            if (before == null && model.size() == cap) {
                model.keySet().removeIf(x -> t.find(V4, 0, x) < 0);
            }
            model.put(k, before == null ? 1 : before + 1);
            assertEquals(model.get(k), n);
        }
        assertEquals(model.size(), t.size());
    }

    @Test
    void agreesWithAMapModelUnderRandomOperationsAtTheCeiling() {
        int cap = 256;
        FailureTracker t = tracker(cap, Long.MAX_VALUE / 8);
        Map<Long, Integer> model = new HashMap<>();
        SplittableRandom r = new SplittableRandom(42);
        for (int step = 0; step < 200_000; step++) {
            modelStep(t, model, cap, r, r.nextInt(300));
        }
        for (Map.Entry<Long, Integer> e : model.entrySet()) {
            int entry = t.find(V4, 0, e.getKey());
            assertEquals(e.getValue(), t.retryOf(entry));
        }
    }

    @Test
    void agreesWithAMapModelUnderRandomOperationsWhileGrowingToTheCeiling() {
        // starts at 2 entries: the random adds and removes drive several doublings, then eviction
        int cap = 1000;
        FailureTracker t = new FailureTracker(cap, 4, 2);
        t.setFindTime(1, Long.MAX_VALUE / 8);
        Map<Long, Integer> model = new HashMap<>();
        SplittableRandom r = new SplittableRandom(7);
        int grown = 0;
        int allocated = t.entriesAllocated();
        for (int step = 0; step < 200_000; step++) {
            modelStep(t, model, cap, r, r.nextInt(step < 20_000 ? 600 : 2000));
            if (t.entriesAllocated() != allocated) {
                // grows only when every entry is live, and by doubling up to the ceiling
                assertEquals(Math.min(cap, 2 * allocated), t.entriesAllocated());
                assertEquals(allocated + 1, t.size());
                allocated = t.entriesAllocated();
                grown++;
            }
        }
        assertEquals(9, grown, "2 -> 4 -> ... -> 512 -> 1000");
        assertEquals(cap, t.entriesAllocated());
        assertTrue(t.evictions() > 0);
        for (Map.Entry<Long, Integer> e : model.entrySet()) {
            assertEquals(e.getValue(), t.retryOf(t.find(V4, 0, e.getKey())));
        }
    }

    @Test
    void startsSmallAndAllocatesItsCeilingOnlyWhenItHasThatManyKeys() {
        FailureTracker t = new FailureTracker(100_000, 8);
        assertEquals(100_000, t.capacity());
        assertEquals(FailureTracker.INITIAL_ENTRIES, t.entriesAllocated());
        assertEquals(4 * FailureTracker.INITIAL_ENTRIES, t.indexSlots());
        assertTrue(t.bytesAllocated() < 100 * 1024, "at construction: " + t.bytesAllocated());
        assertEquals(16, new FailureTracker(16, 1).entriesAllocated(), "a ceiling below the start is the start");
        FailureTracker largest = new FailureTracker(1 << 29, 1);
        assertEquals(1 << 29, largest.capacity());
        assertTrue(largest.bytesAllocated() < 100 * 1024, "the largest ceiling at construction: " + largest.bytesAllocated());
        t.setFindTime(1, 10 * MIN);
        for (int i = 0; i < 100_000; i++) {
            t.add(V4, 0, i, 0, 0, 0, 0);
        }
        assertEquals(100_000, t.entriesAllocated());
        assertEquals(262_144, t.indexSlots(), "the same index a table sized for the ceiling has");
        assertEquals(262_144L * 4 + 100_000L * (FailureTracker.BYTES_PER_ENTRY - 16), t.bytesAllocated());
        assertEquals(0, t.evictions());
    }

    @Test
    void keysAndCountsSurviveSeveralDoublings() {
        FailureTracker t = new FailureTracker(5000, 4, 4);
        t.setFindTime(1, 10 * MIN);
        t.setFindTime(2, 10 * MIN);
        int[] sizes = new int[5001];
        for (int i = 0; i < 5000; i++) {
            int tag = FailureTracker.tag(1 + (i & 1), 4 + (i % 3));
            for (int f = 0; f <= i % 5; f++) {
                assertEquals(f + 1, t.add(tag, i * 31L, ~i, f * MIN, 4, 0, i));
            }
            sizes[i + 1] = t.entriesAllocated();
        }
        // 4, 8, ..., 4096, then the ceiling, each time the columns were full
        for (int k = 1; k <= 5000; k++) {
            int expected = k <= 4 ? 4 : Math.min(5000, Integer.highestOneBit(k - 1) << 1);
            assertEquals(expected, sizes[k], "after " + k + " keys");
        }
        assertEquals(5000, t.size());
        assertEquals(2500, t.sizeOf(1));
        assertEquals(2500, t.sizeOf(2));
        for (int i = 0; i < 5000; i++) {
            int e = t.find(FailureTracker.tag(1 + (i & 1), 4 + (i % 3)), i * 31L, ~i);
            assertTrue(e >= 0, "key " + i);
            assertEquals(i % 5 + 1, t.retryOf(e));
            assertEquals(4, t.addressTagOf(e));
            assertEquals(i, t.addressLoOf(e));
            // the count goes on where it was, findtime and all
            assertEquals(i % 5 + 2, t.add(FailureTracker.tag(1 + (i & 1), 4 + (i % 3)), i * 31L, ~i, 5 * MIN, 0, 0, 0));
        }
        assertEquals(0, t.evictions());
    }

    @Test
    void backwardShiftDeletionStaysCorrectAfterGrowth() {
        FailureTracker t = new FailureTracker(4096, 4, 8);
        t.setFindTime(1, 10 * MIN);
        for (int i = 0; i < 3000; i++) {
            t.add(V4, 0, i, 0, 0, 0, 0);
        }
        assertEquals(4096, t.entriesAllocated());
        for (int i = 0; i < 3000; i += 3) {
            assertTrue(t.remove(V4, 0, i));
        }
        for (int i = 0; i < 3000; i++) {
            assertEquals(i % 3 != 0, t.find(V4, 0, i) >= 0, "key " + i);
        }
        assertEquals(2000, t.size());
        // freed entries are reused before the columns grow or anything is evicted
        for (int i = 3000; i < 4096 + 1000; i++) {
            assertEquals(1, t.add(V4, 0, i, 0, 0, 0, 0));
        }
        assertEquals(4096, t.size());
        assertEquals(0, t.evictions());
        for (int i = 0; i < 4096 + 1000; i++) {
            assertEquals(i >= 3000 || i % 3 != 0, t.find(V4, 0, i) >= 0, "key " + i);
        }
    }

    @Test
    void theCeilingHoldsAfterGrowthAndEvictionsAreCounted() {
        FailureTracker t = new FailureTracker(100, 4, 4);
        t.setFindTime(1, 10 * MIN);
        for (int i = 0; i < 1000; i++) {
            t.add(V4, 0, i, 0, 0, 0, 0);
            assertTrue(t.size() <= 100 && t.entriesAllocated() <= 100);
        }
        assertEquals(100, t.size());
        assertEquals(100, t.entriesAllocated());
        assertEquals(900, t.evictions());
        // aged entries make room without counting as evictions, as before any growth
        t.add(V4, 1, 1, 11 * MIN, 0, 0, 0);
        assertEquals(900, t.evictions());
        assertEquals(100, t.size());
    }

    @Test
    void aGrowingTrackerDoesExactlyWhatOneSizedForItsCeilingDoes() {
        // entries are handed out in the same order whatever the columns' length, so every answer,
        // entry index, sweep and eviction must match a tracker that allocated its ceiling at once
        for (int seed = 0; seed < 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int cap = 1 + r.nextInt(3000);
            FailureTracker sized = new FailureTracker(cap, 4, cap);
            FailureTracker grows = new FailureTracker(cap, 4, 1 + r.nextInt(8));
            for (FailureTracker t : new FailureTracker[] {sized, grows}) {
                t.setFindTime(1, 10 * MIN);
                t.setFindTime(2, MIN);
            }
            int keys = 1 + r.nextInt(2 * cap + 10);
            long now = 0;
            for (int step = 0; step < 30_000; step++) {
                now += r.nextInt(2000);
                int tag = FailureTracker.tag(1 + r.nextInt(2), 4);
                long k = r.nextInt(keys);
                int op = r.nextInt(100);
                if (op < 70) {
                    assertEquals(sized.add(tag, 0, k, now, 4, 0, k), grows.add(tag, 0, k, now, 4, 0, k));
                } else if (op < 90) {
                    assertEquals(sized.remove(tag, 0, k), grows.remove(tag, 0, k));
                } else if (op < 99) {
                    int budget = r.nextInt(64);
                    assertEquals(sized.sweep(now, budget), grows.sweep(now, budget));
                } else {
                    sized.clearJail(2);
                    grows.clearJail(2);
                }
                assertEquals(sized.find(tag, 0, k), grows.find(tag, 0, k));
                assertEquals(sized.size(), grows.size());
                assertEquals(sized.evictions(), grows.evictions());
            }
            assertEquals(sized.sizeOf(1), grows.sizeOf(1));
            assertEquals(sized.sizeOf(2), grows.sizeOf(2));
            for (long k = 0; k < keys; k++) {
                for (int j = 1; j <= 2; j++) {
                    int e = sized.find(FailureTracker.tag(j, 4), 0, k);
                    assertEquals(e, grows.find(FailureTracker.tag(j, 4), 0, k));
                    if (e >= 0) {
                        assertEquals(sized.retryOf(e), grows.retryOf(e));
                    }
                }
            }
        }
    }

    @Test
    void sweepDropsEntriesPastFindtimeInBoundedSteps() {
        FailureTracker t = tracker(1000, MIN);
        for (int i = 0; i < 1000; i++) {
            t.add(V4, 0, i, 0, 0, 0, 0);
        }
        assertEquals(100, t.sweep(2 * MIN, 100));
        assertEquals(900, t.sizeOf(1));
        t.sweep(2 * MIN, 10_000);
        assertEquals(0, t.size());
    }

    @Test
    void keysOfDifferentJailsAreDistinct() {
        FailureTracker t = tracker(16, MIN);
        t.setFindTime(2, MIN);
        t.add(FailureTracker.tag(1, 4), 0, 5, 0, 0, 0, 0);
        assertEquals(1, t.add(FailureTracker.tag(2, 4), 0, 5, 0, 0, 0, 0));
        assertEquals(1, t.sizeOf(1));
        assertEquals(1, t.sizeOf(2));
    }

    @Test
    void aKeyThatFailsAgainSurvivesAFloodOfOneShotKeys() {
        FailureTracker t = tracker(1000, 10 * MIN);
        int attacker = 0;
        for (int i = 0; i < 1_000_000; i++) {
            t.add(V4, 1, i, 0, 0, 0, 0);
            if (i % 100 == 0) {
                attacker = t.add(V4, 0, 42, 0, 0, 0, 0);
            }
        }
        assertEquals(10_000, attacker);
        assertTrue(t.evictions() > 990_000);
    }

    @Test
    void evictionPassesOverAtMostABoundedNumberOfReferencedEntries() {
        FailureTracker t = tracker(10_000, 10 * MIN);
        for (int i = 0; i < 10_000; i++) {
            t.add(V4, 0, i, 0, 0, 0, 0);
            t.add(V4, 0, i, 0, 0, 0, 0); // referenced
        }
        t.add(V4, 1, 1, 0, 0, 0, 0);
        assertEquals(1, t.evictions());
        // the victim lies within MAX_CLOCK_STEPS of the hand's start: keys beyond it are untouched
        int missing = 0;
        for (int i = 0; i <= FailureTracker.MAX_CLOCK_STEPS; i++) {
            if (t.find(V4, 0, i) < 0) {
                missing++;
            }
        }
        assertEquals(1, missing);
    }
}
