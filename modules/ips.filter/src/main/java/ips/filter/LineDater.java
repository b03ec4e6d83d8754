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

    /** A dater that never finds a date. */
    LineDater NONE = (line, out) -> false;
}
