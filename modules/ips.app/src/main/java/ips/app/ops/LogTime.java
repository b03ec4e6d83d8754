package ips.app.ops;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * Local wall-clock text for log lines, {@code 2026-11-23 18:20:17} (fail2ban's "Found" time) and
 * {@code 2026-11-23 18:20:17,123} (the line's own time), without a {@code DateTimeFormatter} per
 * line: under a burst every failure writes a "Found" line, and the formatter cost about as much
 * as matching the line. The texts of the last two seconds formatted are kept (one immutable holder,
 * so any thread may call); only another second resolves the zone offset and builds the date text.
 * The zone's rules are loaded on the first line, not when the log is made: loading the time-zone
 * database costs 15-20 ms, which then overlaps the firewall's start instead of preceding it.
 */
public final class LogTime {
    private final ZoneId zoneId;
    private volatile ZoneRules zone;
    /** The last two seconds formatted, the latest first. */
    private volatile Seconds last = new Seconds(new Second(Long.MIN_VALUE, ""), new Second(Long.MIN_VALUE, ""));

    private record Second(long epochSecond, String text) {}

    /**
     * Two, not one: a "Found" line carries two times, the line's own (now) and the failure's (its
     * log line's date), often in different seconds; one entry would format both on every line.
     */
    private record Seconds(Second latest, Second before) {}

    /** In {@code zone}; null: the system's default zone, looked up on the first line. */
    public LogTime(ZoneId zone) {
        this.zoneId = zone;
    }

    /** {@code yyyy-MM-dd HH:mm:ss} of the epoch milliseconds, in this zone. */
    public String seconds(long epochMillis) {
        long sec = Math.floorDiv(epochMillis, 1000L);
        Seconds c = last;
        if (c.latest.epochSecond == sec) {
            return c.latest.text;
        }
        if (c.before.epochSecond == sec) {
            return c.before.text;
        }
        Second s = new Second(sec, format(sec));
        last = new Seconds(s, c.latest);
        return s.text;
    }

    /** Appends {@code yyyy-MM-dd HH:mm:ss,SSS} of the epoch milliseconds, in this zone, to {@code b}. */
    public StringBuilder appendMillis(StringBuilder b, long epochMillis) {
        int ms = (int) Math.floorMod(epochMillis, 1000L);
        // three digits without a branch on the value: a branch that a warm-up happened never to
        // take (its lines all came in the same 900 ms) costs the compiled logging code at the first
        // live line that takes it
        return b.append(seconds(epochMillis)).append(',').append((char) ('0' + ms / 100))
                .append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
    }

    private String format(long epochSecond) {
        ZoneRules rules = zone;
        if (rules == null) {
            rules = zoneId != null ? zoneId.getRules() : ips.filter.date.TimeZones.system();
            zone = rules;
        }
        int offset = rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, java.time.ZoneOffset.ofTotalSeconds(offset));
        StringBuilder b = new StringBuilder(19);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            b.append(year); // outside fail2ban's range: still readable
        } else {
            pad(b, year, 4);
        }
        b.append('-');
        pad(b, t.getMonthValue(), 2);
        b.append('-');
        pad(b, t.getDayOfMonth(), 2);
        b.append(' ');
        pad(b, t.getHour(), 2);
        b.append(':');
        pad(b, t.getMinute(), 2);
        b.append(':');
        pad(b, t.getSecond(), 2);
        return b.toString();
    }

    private static void pad(StringBuilder b, int v, int width) {
        for (int p = width == 4 ? 1000 : 10; p > 1 && v < p; p /= 10) {
            b.append('0');
        }
        b.append(v);
    }
}
