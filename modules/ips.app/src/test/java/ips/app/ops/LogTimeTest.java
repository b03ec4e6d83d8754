package ips.app.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LogTime gives exactly what DateTimeFormatter gives, across zones, DST changes and second edges. */
class LogTimeTest {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"})
    void agreesWithDateTimeFormatter(String zoneId) {
        ZoneId zone = ZoneId.of(zoneId);
        LogTime t = new LogTime(zone);
        SplittableRandom r = new SplittableRandom(zoneId.hashCode());
        long[] edges = {0L, 999L, 1000L, -1L, -1001L, 1_711_846_799_999L, 1_711_846_800_000L, // CET -> CEST
            1_729_990_799_500L, 1_729_990_800_000L, 253_402_257_600_000L}; // CEST -> CET; 9999-12-31 noon UTC
        for (long ms : edges) {
            check(t, zone, ms);
        }
        long ms = 1_700_000_000_000L;
        for (int i = 0; i < 20_000; i++) {
            ms += r.nextLong(0, 3_000_000); // runs of the same second and jumps across DST changes
            check(t, zone, ms);
            check(t, zone, ms + r.nextInt(0, 1000));
            check(t, zone, ms - r.nextInt(0, 5000)); // a Found line's two times, often two seconds
            check(t, zone, ms);
        }
    }

    @org.junit.jupiter.api.Test
    void nullMeansTheSystemZone() {
        LogTime t = new LogTime(null);
        for (long ms = 1_700_000_000_123L; ms < 1_700_000_000_123L + 86_400_000L * 200; ms += 3_600_000L * 7 + 1) {
            check(t, ZoneId.systemDefault(), ms);
        }
    }

    private static void check(LogTime t, ZoneId zone, long ms) {
        var local = Instant.ofEpochMilli(ms).atZone(zone);
        assertEquals(SECONDS.format(local), t.seconds(ms), "seconds of " + ms);
        assertEquals(MILLIS.format(local), t.appendMillis(new StringBuilder(), ms).toString(), "millis of " + ms);
    }
}
