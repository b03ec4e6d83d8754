package ips.filter;

import java.util.regex.MatchResult;

/**
 * What a {@link LineScreen} found in one line: the stateless part of {@link FilterMatcher}'s work
 * (literal gate, prefregex, failregex searches), done ahead of time on another thread and handed
 * to {@link FilterMatcher#process(CharSequence, long, FailureSink, ScreenedLine)}, which then only
 * does the stateful part (failure ids, the multi-line id cache, output).
 */
public final class ScreenedLine {
    /**
     * No failregex can match the line: the matcher only keeps its date bookkeeping. The prefregex,
     * if any, does not match it either, or was not tried ({@link LineScreen#countingPrefregex}).
     */
    public static final ScreenedLine MISS = new ScreenedLine(0, null, false, null, 0);
    /** As {@link #MISS}, but the filter's prefregex matches the line (fail2ban-regex counts it). */
    public static final ScreenedLine MISS_PREF = new ScreenedLine(0, null, false, null, 0);

    /** The literal gate's candidates ({@link LiteralGate#candidates}). */
    final long may;
    /** The prefregex match, or null when the filter has none. */
    final MatchResult pref;
    /** The prefregex's content group replaced the text the failregexes ran on. */
    final boolean contentReplaced;
    /** Per failregex below {@link #searched}: its match, or null. */
    final MatchResult[] fail;
    /** Failregexes {@code [0, searched)} were searched on the line's text. */
    final int searched;

    /** {@code s} is {@link #MISS} or {@link #MISS_PREF}: no failregex can match its line. */
    public static boolean missed(ScreenedLine s) {
        return s == MISS || s == MISS_PREF;
    }

    ScreenedLine(long may, MatchResult pref, boolean contentReplaced, MatchResult[] fail, int searched) {
        this.may = may;
        this.pref = pref;
        this.contentReplaced = contentReplaced;
        this.fail = fail;
        this.searched = searched;
    }
}
