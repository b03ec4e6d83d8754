package ips.filter;

import ips.filter.date.DateMatch;

/**
 * Finds the date in a log line (fail2ban's {@code DateDetector.matchTime} + {@code getTime}). The
 * daemon passes {@code DateDetector::find}; tests may pass anything. Single-threaded, like the
 * matcher that owns it.
 */
@FunctionalInterface
public interface LineDater {
    /** Fills {@code out} and returns true when a date template matched (its text may be empty). */
    boolean find(CharSequence line, DateMatch out);

    /**
     * After {@link #find} returned true: how many leading characters decided its answer, such that
     * {@link #repeat} answers for a next line that begins with the same characters (and is at least
     * that long) exactly as {@code find} would; 0 (the default) when none.
     */
    default int repeatable() {
        return 0;
    }

    /** {@link #find} of a line {@link #repeatable()} holds for, without reading it again. */
    default boolean repeat(CharSequence line, DateMatch out) {
        return find(line, out);
    }

    /** A dater that never finds a date. */
    LineDater NONE = (line, out) -> false;
}
