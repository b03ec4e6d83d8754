package ips.filter.date;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * "Now" and the local zone of one detector (fail2ban's MyTime.now() and the process time zone), with
 * offset caches valid between two transitions so that converting a line allocates nothing.
 */
final class TimeContext {

    static final long SECONDS_PER_DAY = 86_400L;

    private final ZoneRules rules;
    private final LongSupplier clock;
    private final boolean fixed;
    private final int fixedOffset;

    private long nowMillis;

    private long utcFrom = 1;
    private long utcUntil = 0;
    private int utcOffset;

    private long localFrom = 1;
    private long localUntil = 0;
    private int localOffset;

    TimeContext(ZoneRules rules, LongSupplier clock) {
        this.rules = rules;
        this.clock = clock;
        this.fixed = rules.isFixedOffset();
        this.fixedOffset = fixed ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : 0;
    }

    /** Reads the clock once per line. */
    void tick() {
        nowMillis = clock.getAsLong();
    }

    long nowMillis() {
        return nowMillis;
    }

    /** Now as a naive local time in milliseconds (datetime.now() seen as UTC). */
    long nowLocalMillis() {
        return nowMillis + offsetAtUtc(Math.floorDiv(nowMillis, 1000L)) * 1000L;
    }

    /** Offset in seconds east of UTC at the instant. */
    int offsetAtUtc(long epochSecond) {
        if (fixed) {
            return fixedOffset;
        }
        if (epochSecond >= utcFrom && epochSecond < utcUntil) {
            return utcOffset;
        }
        Instant instant = Instant.ofEpochSecond(epochSecond);
        ZoneOffset offset = rules.getOffset(instant);
        ZoneOffsetTransition prev = rules.previousTransition(instant);
        ZoneOffsetTransition next = rules.nextTransition(instant);
        utcOffset = offset.getTotalSeconds();
        utcFrom = prev == null ? Long.MIN_VALUE
                : prev.getOffsetAfter().equals(offset) ? prev.toEpochSecond() : epochSecond;
        utcUntil = next == null ? Long.MAX_VALUE : next.toEpochSecond();
        return utcOffset;
    }

    /**
     * time.mktime of a naive local time: epoch seconds. In a gap the clock is read with the offset before
     * the gap; in an overlap the earlier offset wins (java.time's choice).
     */
    long utcOfLocal(long localSecond) {
        if (fixed) {
            return localSecond - fixedOffset;
        }
        if (localSecond >= localFrom && localSecond < localUntil) {
            return localSecond - localOffset;
        }
        LocalDateTime ldt = LocalDateTime.ofEpochSecond(localSecond, 0, ZoneOffset.UTC);
        List<ZoneOffset> valid = rules.getValidOffsets(ldt);
        if (valid.size() != 1) {
            ZoneOffsetTransition t = rules.getTransition(ldt);
            return localSecond - t.getOffsetBefore().getTotalSeconds();
        }
        int offset = valid.get(0).getTotalSeconds();
        Instant instant = Instant.ofEpochSecond(localSecond - offset);
        ZoneOffsetTransition prev = rules.previousTransition(instant);
        ZoneOffsetTransition next = rules.nextTransition(instant);
        if (prev != null && prev.getOffsetAfter().getTotalSeconds() != offset) {
            return localSecond - offset; // not cacheable, be exact
        }
        localOffset = offset;
        localFrom = prev == null ? Long.MIN_VALUE : prev.toEpochSecond()
                + Math.max(prev.getOffsetBefore().getTotalSeconds(), prev.getOffsetAfter().getTotalSeconds());
        localUntil = next == null ? Long.MAX_VALUE : next.toEpochSecond()
                + Math.min(next.getOffsetBefore().getTotalSeconds(), next.getOffsetAfter().getTotalSeconds());
        return localSecond - offset;
    }

    // ---- proleptic Gregorian arithmetic (Howard Hinnant's days_from_civil), no allocation ----

    static long daysFromCivil(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /** Packs year*10000 + month*100 + day of the epoch day. */
    static long civilFromDays(long z) {
        z += 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp + (mp < 10 ? 3 : -9);
        return (y + (m <= 2 ? 1 : 0)) * 10000 + m * 100 + d;
    }

    static boolean isLeap(long y) {
        return (y & 3) == 0 && (y % 100 != 0 || y % 400 == 0);
    }

    static int lengthOfMonth(long y, int m) {
        return switch (m) {
            case 2 -> isLeap(y) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
