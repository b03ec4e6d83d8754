package ips.engine.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any sequence of adds, removes, sweeps and jail clears gives the same answers from a tracker that
 * starts with a few entries and grows as from one that allocated its ceiling at once, and neither
 * ever holds more than its ceiling.
 */
class FailureTrackerFuzzTest {
    @FuzzTest
    void aGrowingTrackerAnswersAsOneSizedForItsCeiling(FuzzedDataProvider data) {
        int cap = data.consumeInt(1, 300);
        FailureTracker sized = new FailureTracker(cap, 3, cap);
        FailureTracker grows = new FailureTracker(cap, 3, data.consumeInt(1, 8));
        long findTime = data.consumeLong(0, 1_000_000);
        for (FailureTracker t : new FailureTracker[] {sized, grows}) {
            t.setFindTime(1, findTime);
            t.setFindTime(2, findTime / 3);
        }
        long now = 0;
        while (data.remainingBytes() > 0) {
            int tag = FailureTracker.tag(data.consumeInt(1, 2), data.consumeInt(1, 3));
            long hi = data.consumeInt(0, 3);
            long lo = data.consumeInt(0, cap + cap / 2 + 8);
            now += data.consumeInt(0, 1000);
            int op = data.consumeInt(0, 99);
            if (op < 15) {
                assertEquals(sized.remove(tag, hi, lo), grows.remove(tag, hi, lo));
            } else if (op < 20) {
                int budget = data.consumeInt(0, 100);
                assertEquals(sized.sweep(now, budget), grows.sweep(now, budget));
            } else if (op < 21) {
                sized.clearJail(2);
                grows.clearJail(2);
            } else {
                assertEquals(sized.add(tag, hi, lo, now, 4, 0, lo), grows.add(tag, hi, lo, now, 4, 0, lo));
            }
            int e = sized.find(tag, hi, lo);
            assertEquals(e, grows.find(tag, hi, lo));
            if (e >= 0) {
                assertEquals(sized.retryOf(e), grows.retryOf(e));
                assertEquals(sized.addressLoOf(e), grows.addressLoOf(e));
            }
            assertEquals(sized.size(), grows.size());
            assertEquals(sized.sizeOf(1), grows.sizeOf(1));
            assertEquals(sized.evictions(), grows.evictions());
            assertTrue(grows.size() <= cap && grows.entriesAllocated() <= cap);
        }
    }
}
