package ips.filter;

/**
 * fail2ban's tuple line {@code (prefix, datetext, suffix)}: a line as the regexes see it (date text
 * removed) and as it was written. {@link #toString()} is the whole line.
 */
public final class LogTuple {
    private final String base;
    private final int start;
    private final int end;
    private final String timeText;

    /**
     * @param base the line
     * @param start start of the date text in {@code base}
     * @param end end of the date text in {@code base}
     * @param timeText the date text, or null for {@code base[start, end)}
     */
    public LogTuple(String base, int start, int end, String timeText) {
        this.base = base;
        this.start = start;
        this.end = end;
        this.timeText = timeText;
    }

    /** The text before the date (fail2ban's {@code tupleLine[0]}). */
    public String prefix() {
        return base.substring(0, start);
    }

    /** The date text (fail2ban's {@code tupleLine[1]}). */
    public String timeText() {
        return time();
    }

    /** The text after the date (fail2ban's {@code tupleLine[2]}). */
    public String suffix() {
        return base.substring(end);
    }

    /** prefix + suffix: what the regexes see. */
    public String stripped() {
        if (start == end) {
            return base;
        }
        return base.substring(0, start) + base.substring(end);
    }

    /** Appends prefix + suffix. */
    void appendStripped(ips.filter.regex.BudgetedText to) {
        to.append(base, 0, start).append(base, end, base.length());
    }

    /** The same tuple as fail2ban compares them: equal prefix, date text and suffix. */
    public boolean sameAs(LogTuple o) {
        int suffix = base.length() - end;
        return start == o.start && suffix == o.base.length() - o.end && base.regionMatches(0, o.base, 0, start)
                && base.regionMatches(end, o.base, o.end, suffix) && time().equals(o.time());
    }

    private String time() {
        return timeText != null ? timeText : base.substring(start, end);
    }

    @Override
    public String toString() {
        if (timeText == null) {
            return base;
        }
        return base.substring(0, start) + timeText + base.substring(end);
    }
}
