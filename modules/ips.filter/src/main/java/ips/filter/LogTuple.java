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

    @Override
    public String toString() {
        if (timeText == null) {
            return base;
        }
        return base.substring(0, start) + timeText + base.substring(end);
    }
}
