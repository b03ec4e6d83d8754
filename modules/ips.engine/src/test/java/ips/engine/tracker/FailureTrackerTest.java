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

    @Test
    void agreesWithAMapModelUnderRandomOperationsAtTheCeiling() {
        int cap = 256;
        FailureTracker t = tracker(cap, Long.MAX_VALUE / 8);
        Map<Long, Integer> model = new HashMap<>();
        SplittableRandom r = new SplittableRandom(42);
        for (int step = 0; step < 200_000; step++) {
            long k = r.nextInt(300);
            if (r.nextInt(4) == 0) {
                assertEquals(model.remove(k) != null, t.remove(V4, 0, k));
            } else {
                int n = t.add(V4, 0, k, 0, 0, 0, 0);
                Integer before = model.get(k);
                if (before == null && model.size() == cap) {
                    // something was evicted: drop from the model whatever the tracker no longer has
                    model.keySet().removeIf(x -> t.find(V4, 0, x) < 0);
                }
                model.put(k, before == null ? 1 : before + 1);
                assertEquals(model.get(k), n);
            }
            assertEquals(model.size(), t.size());
        }
        for (Map.Entry<Long, Integer> e : model.entrySet()) {
            int entry = t.find(V4, 0, e.getKey());
            assertEquals(e.getValue(), t.retryOf(entry));
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
