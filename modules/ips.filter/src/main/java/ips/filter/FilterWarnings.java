package ips.filter;

import ips.api.DurationText;
import java.util.function.Supplier;

/**
 * fail2ban's warnings about a filter's dates (filter.py {@code processLine} and {@code
 * findFailure}), word for word, so that an operator hears what fail2ban would have said about a
 * broken {@code datepattern} or a log written in another time zone:
 * <ul>
 * <li>a failregex matched a line without a date ("Found a match but no valid date/time found");
 * <li>in operation, a line dated more than 60 s away from now ("Detected a log entry 5h before
 *     the current time in operation mode. This looks like a timezone problem."), taken as now;
 * <li>while reading old content at start, a line older than findtime after a newer one
 *     ("Ignoring all log entries older than 600s"), skipped (fail2ban seeks a log past its old
 *     head at start, so only such a line is one it reads and warns of);
 * <li>a date template matched text that is no valid date ("findFailure failed to parse timeText",
 *     an ERROR).
 * </ul>
 * The first three are said, as fail2ban's {@code _logWarnOnce} says them, at most once a day per
 * matcher (the others go unsaid: fail2ban logs them at its level 7, below debug). The last is said
 * for every such line when {@link #everyParseError}, as fail2ban does (test-filter); else at most
 * once a minute, with the count of the others since, so that a log full of such lines cannot
 * flood the daemon's log. Called on the matcher's thread only.
 */
public final class FilterWarnings {
    /** A line of fail2ban's {@code fail2ban.filter} logger: {@code level} is "WARNING" or "ERROR". */
    @FunctionalInterface
    public interface Log {
        void line(String level, String message);
    }

    private static final long DAY_MILLIS = 24L * 3600 * 1000;
    private static final long PARSE_ERROR_INTERVAL_MILLIS = 60_000;

    private final String jail;
    private final Log log;
    private final boolean everyParseError;
    /** fail2ban's {@code _next_noTimeWarn}, {@code _next_simByTimeWarn}, {@code _next_ignByTimeWarn}: 0 at first. */
    private long nextNoTime;
    private long nextSimByTime;
    private long nextIgnByTime;
    private long nextParseError;
    private long parseErrorsUnsaid;

    /**
     * @param jail the jail's name, as fail2ban puts it in front of each warning (fail2ban-regex's
     *     is {@code ~jailless~})
     * @param everyParseError say every unparsable date, as fail2ban does, rather than one a minute
     */
    public FilterWarnings(String jail, Log log, boolean everyParseError) {
        this.jail = jail;
        this.log = log;
        this.everyParseError = everyParseError;
    }

    /** {@code matchedLines}: the lines the failregex matched, each as written, joined by line breaks. */
    void matchWithoutDate(long nowMillis, String timeText, Supplier<String> matchedLines) {
        if (nowMillis < nextNoTime) {
            return;
        }
        nextNoTime = nowMillis + DAY_MILLIS;
        warn("Found a match but no valid date/time found for " + PyQuote.repr(timeText) + ".");
        warn("Match without a timestamp: " + matchedLines.get());
        warn("Please try setting a custom date pattern (see man page jail.conf(5)).");
    }

    /** In operation, {@code line} is dated {@code dateMillis}, more than 60 s away from now. */
    void oddTimestamp(long nowMillis, long dateMillis, CharSequence line) {
        if (nowMillis < nextSimByTime) {
            return;
        }
        nextSimByTime = nowMillis + DAY_MILLIS;
        long delta = (dateMillis - nowMillis) / 1000; // Python's int(): toward zero
        warn("Detected a log entry " + DurationText.of(Math.abs(delta)) + " " + (delta < 0 ? "before" : "after")
                + " the current time in operation mode. This looks like a "
                + (delta >= -3300 && delta < 0 ? "latency" : "timezone")
                + " problem. Treating such entries as if they just happened.");
        warn("Please check a jail for a timing issue. Line with odd timestamp: " + line);
    }

    /** Reading old content, {@code line} is older than findtime ({@code findTimeMillis}) and skipped. */
    void obsolete(long nowMillis, long findTimeMillis, CharSequence line) {
        if (nowMillis < nextIgnByTime) {
            return;
        }
        nextIgnByTime = nowMillis + DAY_MILLIS;
        String findTime = findTimeMillis % 1000 == 0 ? String.valueOf(findTimeMillis / 1000)
                : String.valueOf(findTimeMillis / 1000.0);
        warn("Ignoring all log entries older than " + findTime
                + "s; these are probably messages generated while fail2ban was not running.");
        warn("Please check a jail for a timing issue. Line with odd timestamp: " + line);
    }

    /** A date template matched {@code timeText}, which is no valid date. */
    void unparsableTime(long nowMillis, CharSequence timeText) {
        if (everyParseError) {
            log.line("ERROR", "findFailure failed to parse timeText: " + timeText);
            return;
        }
        if (nowMillis < nextParseError) {
            parseErrorsUnsaid++;
            return;
        }
        nextParseError = nowMillis + PARSE_ERROR_INTERVAL_MILLIS;
        String more = parseErrorsUnsaid == 0 ? ""
                : " (" + parseErrorsUnsaid + " more such lines since the last one logged)";
        parseErrorsUnsaid = 0;
        log.line("ERROR", "[" + jail + "] findFailure failed to parse timeText: " + timeText + more);
    }

    private void warn(String message) {
        log.line("WARNING", "[" + jail + "] " + message);
    }
}
