package ips.app.ops;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * Local wall-clock text for log lines, {@code 2026-11-23 18:20:17} (fail2ban's "Found" time) and
 * {@code 2026-11-23 18:20:17,123} (the line's own time), without a {@code DateTimeFormatter} per
 * line: under a burst every failure writes a "Found" line, and the formatter cost about as much
 * as matching the line. The text of the last second formatted is kept (one immutable holder, so
 * any thread may call); only a new second resolves the zone offset and builds the date text.
 * The zone's rules are loaded on the first line, not when the log is made: loading the time-zone
 * database costs 15-20 ms, which then overlaps the firewall's start instead of preceding it.
 */
public final class LogTime {
    private final ZoneId zoneId;
    private volatile ZoneRules zone;
    private volatile Second last = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String text) {}

    /** In {@code zone}; null: the system's default zone, looked up on the first line. */
    public LogTime(ZoneId zone) {
        this.zoneId = zone;
    }

    /** {@code yyyy-MM-dd HH:mm:ss} of the epoch milliseconds, in this zone. */
    public String seconds(long epochMillis) {
        long sec = Math.floorDiv(epochMillis, 1000L);
        Second s = last;
        if (s.epochSecond != sec) {
            s = new Second(sec, format(sec));
            last = s;
        }
        return s.text;
    }

    /** {@code yyyy-MM-dd HH:mm:ss,SSS} of the epoch milliseconds, in this zone. */
    public String millis(long epochMillis) {
        String sec = seconds(epochMillis);
        int ms = (int) Math.floorMod(epochMillis, 1000L);
        StringBuilder b = new StringBuilder(sec.length() + 4).append(sec).append(',');
        if (ms < 100) {
            b.append('0');
        }
        if (ms < 10) {
            b.append('0');
        }
        return b.append(ms).toString();
    }

    private String format(long epochSecond) {
        ZoneRules rules = zone;
        if (rules == null) {
            rules = (zoneId != null ? zoneId : ZoneId.systemDefault()).getRules();
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
