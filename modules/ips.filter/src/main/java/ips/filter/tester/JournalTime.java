package ips.filter.tester;

import ips.api.LogLine;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * A journal entry's time as fail2ban-regex has it (filtersystemd.py {@code getJrnEntTime} and
 * {@code formatJournalEntry}, with python-systemd's dates in the host's zone): the text it puts
 * before the entry's line, {@code 2024-12-06T07:26:40.003000+00:00 }, and its time in seconds.
 */
final class JournalTime {
    private JournalTime() {}

    /** Python's {@code date.isoformat() + ' '} of the entry's time in {@code zone}. */
    static String text(LogLine entry, ZoneRules zone) {
        long micros = entry.timeMillis() * 1000 + entry.microsOfMilli();
        long seconds = Math.floorDiv(micros, 1_000_000);
        int micro = (int) Math.floorMod(micros, 1_000_000);
        Instant at = Instant.ofEpochSecond(seconds);
        ZoneOffset offset = zone.getOffset(at);
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, offset);
        StringBuilder sb = new StringBuilder(33);
        sb.append(String.format("%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond()));
        if (micro != 0) {
            sb.append(String.format(".%06d", micro));
        }
        int off = offset.getTotalSeconds();
        sb.append(off < 0 ? '-' : '+');
        off = Math.abs(off);
        sb.append(String.format("%02d:%02d", off / 3600, off / 60 % 60));
        if (off % 60 != 0) {
            sb.append(String.format(":%02d", off % 60));
        }
        return sb.append(' ').toString();
    }

    /** {@code time.mktime(date.timetuple()) + date.microsecond / 1.0E6}: whole seconds, then the fraction added. */
    static double seconds(LogLine entry) {
        long micros = entry.timeMillis() * 1000 + entry.microsOfMilli();
        return (double) Math.floorDiv(micros, 1_000_000) + Math.floorMod(micros, 1_000_000) / 1.0E6;
    }
}
