package ips.api;

import java.util.Map;

/**
 * One line (or journal entry) from a log source.
 *
 * @param source where it came from: a file path, or {@code journal}
 * @param text the line without its newline; for a journal entry, the line fail2ban builds from it
 *     ({@code HOSTNAME IDENT[PID]: MESSAGE}), with MESSAGE itself among the fields
 * @param timeMillis the entry's own time in epoch milliseconds when the source knows it (the
 *     journal does), or {@link #UNKNOWN_TIME} when the filter must find the date in the text
 * @param fields the journal entry's fields; empty for files
 * @param microsOfMilli the microseconds of the entry's time beyond {@code timeMillis} (0-999; the
 *     journal keeps microseconds, which fail2ban-regex prints)
 */
public record LogLine(String source, String text, long timeMillis, Map<String, String> fields, int microsOfMilli) {
    public static final long UNKNOWN_TIME = Long.MIN_VALUE;

    public LogLine {
        fields = fields == null ? Map.of() : fields;
        if (microsOfMilli < 0 || microsOfMilli > 999) {
            throw new IllegalArgumentException("microseconds beyond the millisecond: " + microsOfMilli);
        }
    }

    /** A line whose time, if any, is whole milliseconds. */
    public LogLine(String source, String text, long timeMillis, Map<String, String> fields) {
        this(source, text, timeMillis, fields, 0);
    }

    /** A line read from a file, dated by its text. */
    public static LogLine ofFile(String source, String text) {
        return new LogLine(source, text, UNKNOWN_TIME, Map.of());
    }

    public boolean hasTime() {
        return timeMillis != UNKNOWN_TIME;
    }
}
