package ips.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** fail2ban's date warnings: its words, its arithmetic, and how often they are said. */
class FilterWarningsTest {
    private final List<String> said = new ArrayList<>();
    private final FilterWarnings daemon = new FilterWarnings("sshd", (level, m) -> said.add(level + " " + m), false);

    private static final long T = 1_780_000_000_000L;
    private static final long HOUR = 3_600_000;

    @Test
    void aDateFarFromNowIsALatencyOrATimezoneProblemSaidOnceADay() {
        daemon.oddTimestamp(T, T - 30 * 60_000, "line a");
        assertEquals(List.of("WARNING [sshd] Detected a log entry 30m before the current time in operation mode. This looks"
                + " like a latency problem. Treating such entries as if they just happened.",
                "WARNING [sshd] Please check a jail for a timing issue. Line with odd timestamp: line a"), said);
        said.clear();
        daemon.oddTimestamp(T + 1000, T - 5 * HOUR, "line b");
        daemon.oddTimestamp(T + 24 * HOUR - 1, T + 2 * HOUR, "line c");
        assertEquals(List.of(), said, "once a day");
        daemon.oddTimestamp(T + 24 * HOUR, T + 24 * HOUR + 2 * HOUR + 900_000, "line d");
        assertEquals("WARNING [sshd] Detected a log entry 2h 15m after the current time in operation mode. This looks like"
                + " a timezone problem. Treating such entries as if they just happened.", said.get(0));
        said.clear();
        // 3301 s before: past fail2ban's latency bound (-3300 <= delta < 0)
        daemon.oddTimestamp(T + 49 * HOUR, T + 49 * HOUR - 3_301_000, "line e");
        assertEquals("WARNING [sshd] Detected a log entry 55m 1s before the current time in operation mode. This looks like"
                + " a timezone problem. Treating such entries as if they just happened.", said.get(0));
    }

    @Test
    void theOtherWarningsAreSaidOnceADayEachAndOnTheirOwn() {
        daemon.obsolete(T, 600_000, "old line");
        daemon.obsolete(T + 1, 600_000, "old line 2");
        daemon.matchWithoutDate(T + 2, "", () -> "undated line");
        daemon.matchWithoutDate(T + 3, "", () -> {
            throw new AssertionError("not built when not said");
        });
        assertEquals(List.of(
                "WARNING [sshd] Ignoring all log entries older than 600s; these are probably messages generated while fail2ban"
                        + " was not running.",
                "WARNING [sshd] Please check a jail for a timing issue. Line with odd timestamp: old line",
                "WARNING [sshd] Found a match but no valid date/time found for ''.",
                "WARNING [sshd] Match without a timestamp: undated line",
                "WARNING [sshd] Please try setting a custom date pattern (see man page jail.conf(5))."), said);
        said.clear();
        daemon.matchWithoutDate(T + 24 * HOUR + 2, "it's", () -> "x");
        assertEquals("WARNING [sshd] Found a match but no valid date/time found for \"it's\".", said.get(0));
    }

    /** fail2ban says each; the daemon one a minute, with the count of the others, so such a log cannot flood it. */
    @Test
    void unparsableDatesAreEachAnErrorInTheTesterAndOneAMinuteInTheDaemon() {
        List<String> tester = new ArrayList<>();
        FilterWarnings regex = new FilterWarnings("~jailless~", (level, m) -> tester.add(level + " " + m), true);
        for (int i = 0; i < 3; i++) {
            regex.unparsableTime(T + i, "Feb 30 10:00:0" + i);
            daemon.unparsableTime(T + i * 20_000, "Feb 30 10:00:0" + i);
        }
        daemon.unparsableTime(T + 60_000, "Feb 31 10:00:00");
        assertEquals(List.of("ERROR findFailure failed to parse timeText: Feb 30 10:00:00",
                "ERROR findFailure failed to parse timeText: Feb 30 10:00:01",
                "ERROR findFailure failed to parse timeText: Feb 30 10:00:02"), tester);
        assertEquals(List.of("ERROR [sshd] findFailure failed to parse timeText: Feb 30 10:00:00",
                "ERROR [sshd] findFailure failed to parse timeText: Feb 31 10:00:00 (2 more such lines since the last one logged)"),
                said);
    }
}
