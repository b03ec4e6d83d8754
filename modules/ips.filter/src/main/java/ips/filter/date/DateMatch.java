package ips.filter.date;

/**
 * Result of {@link DateDetector#find}: mutable and reused by the caller, one per scanning thread.
 *
 * <p>{@code [start, end)} is the date text in the line (fail2ban's {@code timeMatch.start(1)..end(1)}),
 * which the failregex engine cuts out of the line. {@link #epochMillis} is the instant, or
 * {@link #NO_TIME} when a template matched but fail2ban's conversion fails (e.g. {@code Feb 30}, hour 24,
 * unknown zone abbreviation): fail2ban still cuts the text out and falls back to the last known time.
 */
public final class DateMatch {

    /** {@link #epochMillis} value for "date text found, but it is not a valid date". */
    public static final long NO_TIME = Long.MIN_VALUE;

    /** Start (inclusive) of the date text. */
    public int start;
    /** End (exclusive) of the date text. */
    public int end;
    /** Milliseconds since the epoch, or {@link #NO_TIME}. Whole seconds except for EPOCH/LEPOCH templates, as in fail2ban. */
    public long epochMillis;

    /**
     * The time is whole seconds as fail2ban has it, a Python int: its strptime ends in {@code
     * calendar.timegm} when the date had a zone or the detector has one set (logtimezone), and in
     * {@code time.mktime}, a float, otherwise (and epoch dates are floats). It shows only where
     * fail2ban-regex prints the time as a Python value ({@code -o row}).
     */
    public boolean wholeSeconds;

    /** True when the date text converted to a valid time. */
    public boolean hasTime() {
        return epochMillis != NO_TIME;
    }

    @Override
    public String toString() {
        return "DateMatch[" + start + ".." + end + ", " + (hasTime() ? epochMillis : "NO_TIME") + "]";
    }
}
