package ips.filter;

import ips.api.IpAddress;
import ips.api.LogLine;
import ips.filter.date.DateMatch;
import ips.filter.regex.BudgetedText;
import ips.filter.regex.BulkChars;
import ips.filter.regex.GroupDict;
import ips.filter.regex.Py;
import ips.filter.regex.PyRegex;
import ips.filter.regex.RegexMatcher;
import ips.filter.regex.UserSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.MatchResult;

/**
 * fail2ban's {@code Filter.processLine} / {@code findFailure} for one log source: date removal,
 * the multi-line buffer ({@code maxlines}), prefregex and {@code <F-CONTENT>}, failregexes,
 * ignoreregexes, and the multi-line failure id cache ({@code <F-MLFID>}, {@code <F-NOFAIL>},
 * {@code <F-MLFFORGET>}, {@code <F-MLFGAINED>}). Single-threaded; reuses its buffers and matchers,
 * so a line that no regex matches allocates nothing (single-line filters).
 *
 * <p>Each line's regex work is bounded: once {@link #DEFAULT_LINE_BUDGET} character reads are
 * spent, the running regex counts as not matched and {@link #budgetExceeded()} is incremented.
 */
public final class FilterMatcher {
    /** Character reads all regexes together may spend on one line (about 10 ms of work). */
    public static final long DEFAULT_LINE_BUDGET = 4_000_000L;

    private static final long NO_DATE = Long.MIN_VALUE;
    private static final long MLFID_MAX_TIME_MS = 5 * 60 * 1000L; // filter.py: Utils.Cache(maxCount=100, maxTime=5*60)
    private static final int MLFID_MAX_COUNT = 100;

    private final CompiledFilter filter;
    private final LineDater dater;
    private final LongSupplier nowMillis;
    private final boolean checkAll;
    /** Failures carry their lines ({@code matches}, {@code nofail-matches}); see {@link #withoutMatches}. */
    private boolean keepMatches = true;
    private final boolean multi;
    private final int maxLines;
    private final PyRegex pref;
    private final PyRegex[] fail;
    private final PyRegex[] ignore;
    private final RegexMatcher prefA;
    private final RegexMatcher[] failA;
    private final RegexMatcher[] ignoreA;
    /** Unicode-class matchers, made on the first non-ASCII text (their patterns compile lazily). */
    private final java.util.IdentityHashMap<PyRegex, RegexMatcher> unicode = new java.util.IdentityHashMap<>();
    private final int prefContent;
    /** The filter's literal gate, fetched on the first line (it is built lazily). */
    private LiteralGate gate;

    private final DateMatch dm = new DateMatch();
    private final BudgetedText text = new BudgetedText();
    private final BudgetedText content = new BudgetedText();
    private final BudgetedText rebuilt = new BudgetedText();
    private final BudgetedText ignoreText = new BudgetedText();
    private long lineBudget = DEFAULT_LINE_BUDGET;

    // the current line (single-line filters keep it here until something matches)
    private CharSequence curLine;
    private int curStart;
    private int curEnd;
    private String curTimeText; // null: curLine[curStart, curEnd)
    private List<LogTuple> curOrg;

    private List<LogTuple> lineBuffer = new ArrayList<>();
    private char[] lastTimeChars = new char[64];
    private int lastTimeLen;
    private String lastTimeString = "";
    private long lastDate = NO_DATE;
    /** {@link DateMatch#wholeSeconds} of {@link #lastDate}, and of the current line's date. */
    private boolean lastWhole;
    private boolean curWhole;
    private final LinkedHashMap<String, MlfidEntry> mlfidCache = new LinkedHashMap<>();

    /** An entry of filter.py's mlfidCache: the failure merged so far, kept until {@code expiresAt} (the line's date is not used). */
    private record MlfidEntry(Map<String, Object> fail, long expiresAt) {}
    private final List<FilterFailure> pending = new ArrayList<>();

    private long lines;
    private long budgetExceeded;
    private boolean checkFindTime;
    private boolean inOperation;
    private long findTimeMillis;
    private boolean lineIgnored;
    private final long[] ignoreHits;
    /**
     * fail2ban's {@code prefRegex.hasMatched()}: whether the prefregex's last search matched. It is
     * searched on every line but those an ignoreregex drops first, which keep the last line's answer.
     */
    private boolean prefMatched;
    /** Answers for the lines whose prefregex search the literal gate skipped ({@link #countingPrefregex}). */
    private PrefregexProbe prefProbe;
    /** The prefregex's last match, kept for {@link #prefregexGroups} (test-filter's {@code -v}), or null. */
    private MatchResult prefLast;
    private boolean keepPrefGroups;
    /** fail2ban's {@code ignorePending}: without checkAllRegex, a failure still without an id ends the line unreported. */
    private boolean ignorePending = true;
    /** fail2ban's warnings about dates ({@link #warningTo}), or null: none said. */
    private FilterWarnings warnings;
    /** The time text of the entry being processed ({@link #process(CharSequence, long, String, FailureSink)}), or null. */
    private String givenTimeText;
    /** The current line's "now" ({@link #process}), for {@link #warnings} from {@link #findFailure}. */
    private long curNow;
    /**
     * Reading old content: a line within findtime has been read. fail2ban seeks a log to now less
     * findtime at start, past its old lines, and warns only of an older line it reads after that.
     */
    private boolean restoreSawRecent;

    FilterMatcher(CompiledFilter filter, LineDater dater, LongSupplier nowMillis, boolean checkAllRegex) {
        this.filter = filter;
        this.dater = dater == null ? LineDater.NONE : dater;
        this.nowMillis = nowMillis;
        this.checkAll = checkAllRegex;
        this.maxLines = filter.maxLines();
        this.multi = maxLines > 1;
        this.pref = filter.pref();
        this.fail = filter.fail();
        this.ignore = filter.ignore();
        this.prefA = pref == null ? null : pref.asciiMatcher();
        this.prefContent = pref == null ? -1 : pref.group("content");
        failA = new RegexMatcher[fail.length];
        for (int i = 0; i < fail.length; i++) {
            failA[i] = fail[i].asciiMatcher();
        }
        ignoreHits = new long[ignore.length];
        ignoreA = new RegexMatcher[ignore.length];
        for (int i = 0; i < ignore.length; i++) {
            ignoreA[i] = ignore[i].asciiMatcher();
        }
    }

    public CompiledFilter filter() {
        return filter;
    }

    /**
     * fail2ban-server's time checks ({@code checkFindTime}): while {@code inOperation} (tailing
     * new lines) a date more than 60 s away from now is taken as now, and a line without a date is
     * dated now; otherwise (reading old content at start) lines older than {@code findTimeMillis}
     * are skipped. Off by default (fail2ban-regex and the sample tests).
     */
    public void checkFindTime(boolean inOperation, long findTimeMillis) {
        this.checkFindTime = true;
        if (!inOperation && this.inOperation) {
            restoreSawRecent = false;
        }
        this.inOperation = inOperation;
        this.findTimeMillis = findTimeMillis;
    }

    /**
     * Failures no longer carry the lines that made them ({@code matches} and {@code nofail-matches}
     * in {@link FilterFailure#fields}); everything else, ids, addresses, times, nofail and the
     * multi-line merging, stays the same. For callers that never read those lines (the daemon, the
     * tester's summary and {@code -o ip}): a single-line filter then copies no line out of its
     * reader, and the multi-line cache keeps no lines per {@code mlfid}.
     */
    public FilterMatcher withoutMatches() {
        keepMatches = false;
        return this;
    }

    /**
     * Says fail2ban's warnings about this filter's dates to {@code w} ({@link FilterWarnings}): a
     * match without a date, a date far from now in operation, old lines skipped at start, a date
     * that does not convert.
     */
    public FilterMatcher warningTo(FilterWarnings w) {
        warnings = w;
        return this;
    }

    /** {@link #warningTo} was called: a matcher kept across a reload keeps its warnings' once-a-day state. */
    public boolean warning() {
        return warnings != null;
    }

    /**
     * Keeps {@link #prefregexMatched()} true to fail2ban also on the lines no failregex can match,
     * whose prefregex search the matcher otherwise skips (test-filter's {@code Prefregex: N total}).
     */
    public FilterMatcher countingPrefregex() {
        if (pref != null) {
            prefProbe = new PrefregexProbe(filter, keepPrefGroups);
        }
        return this;
    }

    /**
     * Reports a failure that has no id yet (a multi-line failure waiting for its address) also
     * without checkAllRegex, as fail2ban-regex's summary does ({@code ignorePending = bool(opts.out)}).
     */
    public FilterMatcher reportingPending() {
        ignorePending = false;
        return this;
    }

    /**
     * {@link #countingPrefregex} that also keeps the groups of the prefregex's last match ({@link
     * #prefregexGroups}): it is then searched on every line, as fail2ban does. For a matcher fed no
     * {@link ScreenedLine}s.
     */
    public FilterMatcher keepingPrefregexGroups() {
        keepPrefGroups = true;
        return countingPrefregex();
    }

    /**
     * After {@link #process}, with {@link #keepingPrefregexGroups}: fail2ban's {@code
     * prefRegex.getGroups()}, the named groups of the prefregex's last match (an earlier line's
     * when an ignoreregex dropped this one first), or null when it has not matched.
     */
    public Map<String, Object> prefregexGroups() {
        return prefMatched && prefLast != null ? pref.groups(prefLast) : null;
    }

    /**
     * After {@link #process}: fail2ban's {@code prefRegex.hasMatched()}, whether the prefregex's
     * last search matched (false without a prefregex). Kept for every line only with {@link
     * #countingPrefregex}.
     */
    public boolean prefregexMatched() {
        return prefMatched;
    }

    /** Sets the per-line regex budget (character reads). */
    public void lineBudget(long charReads) {
        this.lineBudget = charReads;
    }

    /** Lines processed so far. */
    public long lines() {
        return lines;
    }

    /** Regex searches abandoned because their line spent its budget (or overflowed the stack). */
    public long budgetExceeded() {
        return budgetExceeded;
    }

    /**
     * The multi-line buffer ({@code maxlines} &gt; 1) as it stands: the lines kept for the next
     * line's search, less those a failure took. A view, valid until the next {@link #process}.
     */
    public List<LogTuple> lineBuffer() {
        return lineBuffer == null ? List.of() : java.util.Collections.unmodifiableList(lineBuffer);
    }

    /** An ignoreregex matched during the last {@link #process} call (fail2ban-regex's "ignored"). */
    public boolean lastLineIgnored() {
        return lineIgnored;
    }

    /** How often each ignoreregex matched. */
    public long ignoreHits(int i) {
        return ignoreHits[i];
    }

    /** Processes a line from a log source: its own time when it has one (journal), else its date text. */
    public void process(LogLine line, FailureSink sink) {
        process(line.text(), line.hasTime() ? line.timeMillis() : LogLine.UNKNOWN_TIME, sink);
    }

    /**
     * Processes one line ({@code text} without its newline). {@code timeMillis} is the entry's own
     * time (journal: no date detection), or {@link LogLine#UNKNOWN_TIME}. The text is only read
     * during the call.
     */
    public void process(CharSequence line, long timeMillis, FailureSink sink) {
        process(line, timeMillis, sink, null);
    }

    /**
     * Processes one entry with its own time, as {@link #process(CharSequence, long, FailureSink)},
     * its time written {@code timeText} in the lines failures carry: fail2ban's journal entries
     * carry {@code date.isoformat() + ' '} ({@code filtersystemd.py formatJournalEntry}).
     */
    public void process(CharSequence line, long timeMillis, String timeText, FailureSink sink) {
        givenTimeText = timeText;
        try {
            process(line, timeMillis, sink, null);
        } finally {
            givenTimeText = null;
        }
    }

    /**
     * Processes one line as {@link #process(CharSequence, long, FailureSink)}, with the stateless
     * part of the work already done by a {@link LineScreen} of the same filter (possibly on another
     * thread) from the same line and the same date detector answer. {@code screened} null: the
     * matcher searches itself.
     */
    public void process(CharSequence line, long timeMillis, FailureSink sink, ScreenedLine screened) {
        if (screened != null && (timeMillis != LogLine.UNKNOWN_TIME || multi || ignore.length > 0)) {
            throw new IllegalArgumentException("a screened line needs a single-line filter without ignoreregex and no own time");
        }
        lines++;
        long now = nowMillis.getAsLong();
        curNow = now;
        long date = NO_DATE;
        boolean noDate = false;
        curWhole = false; // now, a journal entry's time: Python floats
        curLine = line;
        curOrg = null;
        int len = line.length();
        if (timeMillis != LogLine.UNKNOWN_TIME) {
            curStart = 0;
            curEnd = 0;
            curTimeText = givenTimeText != null ? givenTimeText : isoUtc(timeMillis);
            date = timeMillis;
            setLastTime(curTimeText);
            lastDate = date;
            lastWhole = false;
        } else {
            if (dater.find(line, dm)) {
                curStart = dm.start;
                curEnd = dm.end;
                curTimeText = null;
                if (curStart < curEnd) {
                    if (dm.hasTime()) {
                        date = dm.epochMillis;
                        curWhole = dm.wholeSeconds;
                        setLastTime(line, curStart, curEnd);
                        lastDate = date;
                        lastWhole = curWhole;
                    } else if (warnings != null) {
                        warnings.unparsableTime(now, line.subSequence(curStart, curEnd));
                    }
                } else if (lastDate != NO_DATE && lastDate > now - 60_000) {
                    curStart = 0;
                    curEnd = 0;
                    curTimeText = lastTime();
                    date = lastDate;
                    curWhole = lastWhole;
                } else {
                    date = now;
                }
            } else {
                curStart = 0;
                curEnd = 0;
                curTimeText = "";
            }
            if (date == NO_DATE) {
                noDate = true;
                if (lastDate != NO_DATE && lastDate > now - 60_000) {
                    curStart = 0;
                    curEnd = 0;
                    curTimeText = lastTime();
                    date = lastDate;
                    curWhole = lastWhole;
                } else if (checkFindTime && inOperation) {
                    date = now;
                }
            }
        }
        if (checkFindTime && date != NO_DATE) {
            if (inOperation) {
                // filter.py: abs(int(date - now)) > 60 -> a latency or time zone problem: use now
                if (Math.abs(date - now) >= 61_000) {
                    if (warnings != null) {
                        warnings.oddTimestamp(now, date, line);
                    }
                    date = now;
                    lastDate = date;
                    curWhole = false;
                    lastWhole = false;
                }
            } else if (date < now - findTimeMillis) {
                if (warnings != null && restoreSawRecent) {
                    warnings.obsolete(now, findTimeMillis, line); // out of order: where fail2ban's seek would not skip it
                }
                return; // restoring: entries older than findtime are obsolete
            } else {
                restoreSawRecent = true;
            }
        }
        text.budget(lineBudget);
        content.budget(lineBudget);
        rebuilt.budget(lineBudget);
        ignoreText.budget(lineBudget);
        pending.clear();
        lineIgnored = false;
        try {
            findFailure(date, noDate, len, screened);
        } finally {
            curLine = null;
        }
        for (int i = 0; i < pending.size(); i++) {
            sink.accept(lines, pending.get(i));
        }
        pending.clear();
    }

    /**
     * Counts {@code k} lines in which a {@link LineScreen} of this filter found that no failregex can
     * match ({@link ScreenedLine#missed}), leaving the state {@link #process} would: a screened line
     * changes nothing but the line count and, when it has a date with a time, the last date (kept for
     * later lines without one). {@code dated} is the last of them with such a date, its text at
     * {@code [start, end)} (only read during the call), or null when none has one. {@code
     * lastPrefMatched}: the prefregex matches the last of them ({@link ScreenedLine#MISS_PREF}).
     */
    public void skipMissed(int k, boolean lastPrefMatched, CharSequence dated, int start, int end, long epochMillis) {
        skipMissed(k, lastPrefMatched, dated, start, end, epochMillis, false);
    }

    /** {@link #skipMissed(int, boolean, CharSequence, int, int, long)}; {@code wholeSeconds}: that date's {@link DateMatch#wholeSeconds}. */
    public void skipMissed(int k, boolean lastPrefMatched, CharSequence dated, int start, int end, long epochMillis,
            boolean wholeSeconds) {
        if (multi || ignore.length > 0) {
            throw new IllegalStateException("a screened line needs a single-line filter without ignoreregex");
        }
        if (k > 0) {
            prefMatched = lastPrefMatched && pref != null;
        }
        lines += k;
        lineBuffer = null;
        lineIgnored = false;
        if (dated != null) {
            setLastTime(dated, start, end);
            lastDate = epochMillis;
            lastWhole = wholeSeconds;
        }
    }

    private void setLastTime(CharSequence s, int from, int to) {
        int n = to - from;
        if (n > lastTimeChars.length) {
            lastTimeChars = new char[Math.max(n, lastTimeChars.length * 2)];
        }
        if (s instanceof BulkChars bc) {
            bc.getChars(from, to, lastTimeChars, 0); // every line has a date: one call, not n
        } else if (s instanceof String str) {
            str.getChars(from, to, lastTimeChars, 0);
        } else {
            for (int i = 0; i < n; i++) {
                lastTimeChars[i] = s.charAt(from + i);
            }
        }
        lastTimeLen = n;
        lastTimeString = null;
    }

    private void setLastTime(String s) {
        lastTimeLen = -1;
        lastTimeString = s;
    }

    private String lastTime() {
        if (lastTimeString == null) {
            lastTimeString = new String(lastTimeChars, 0, lastTimeLen);
        }
        return lastTimeString;
    }

    private static String isoUtc(long ms) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000), Math.floorMod(ms, 1000) * 1_000_000, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(26);
        sb.append(String.format("%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond()));
        if (t.getNano() != 0) {
            sb.append(String.format(".%06d", t.getNano() / 1000));
        }
        return sb.toString();
    }

    /** The current line as fail2ban's tuple (allocated on demand). */
    private LogTuple currentTuple() {
        return new LogTuple(curLine.toString(), curStart, curEnd,
                curTimeText == null ? null : curTimeText);
    }

    private List<LogTuple> org() {
        if (curOrg == null) {
            curOrg = List.of(currentTuple());
        }
        return curOrg;
    }

    private static void buildBuffer(BudgetedText to, List<LogTuple> tuples) {
        to.clear();
        for (int i = 0; i < tuples.size(); i++) {
            tuples.get(i).appendStripped(to);
            to.append('\n');
        }
    }

    private boolean search(PyRegex r, RegexMatcher a, BudgetedText buf) {
        RegexMatcher m = used(r, a, buf);
        try {
            return m.search(buf, r.anchored());
        } catch (BudgetedText.BudgetExceeded | StackOverflowError e) {
            budgetExceeded++;
            return false;
        }
    }

    /** Builds the line's text and content as the unscreened path does; returns what failregexes search. */
    private BudgetedText realBuffers(int len) {
        text.clear().append(curLine, 0, curStart).append(curLine, curEnd, len).append('\n');
        if (pref == null) {
            return text;
        }
        if (!search(pref, prefA, text)) {
            throw new IllegalStateException("the screen's prefregex match did not repeat");
        }
        RegexMatcher prefM = used(pref, prefA, text);
        if (prefContent > 0) {
            int cs = prefM.start(prefContent);
            if (cs >= 0 && prefM.end(prefContent) > cs) {
                content.clear().append(text, cs, prefM.end(prefContent)).append('\n');
                return content;
            }
        }
        return text;
    }

    private RegexMatcher used(PyRegex r, RegexMatcher a, BudgetedText buf) {
        return buf.isAscii() ? a : unicode.computeIfAbsent(r, PyRegex::unicodeMatcher);
    }

    private void findFailure(long date, boolean noDate, int len, ScreenedLine sc) {
        List<LogTuple> orgBuffer;
        BudgetedText buf;
        // screened: searches come from sc while the text they ran on is still the one to search
        boolean virt = sc != null;
        if (virt) {
            lineBuffer = null;
            if (ScreenedLine.missed(sc)) {
                prefMatched = sc == ScreenedLine.MISS_PREF && pref != null;
                return;
            }
            prefMatched = pref != null; // the screen searched it
            orgBuffer = null;
            buf = null;
        } else if (multi) {
            LogTuple t = currentTuple();
            lineBuffer.add(t);
            int from = Math.max(0, lineBuffer.size() - maxLines);
            lineBuffer = new ArrayList<>(lineBuffer.subList(from, lineBuffer.size()));
            orgBuffer = lineBuffer;
            curOrg = orgBuffer;
            buildBuffer(text, orgBuffer);
        } else {
            orgBuffer = null; // lazily [current tuple]
            lineBuffer = null;
            text.clear().append(curLine, 0, curStart).append(curLine, curEnd, len).append('\n');
        }
        buf = virt ? null : text;

        if (!virt && ignore.length > 0 && ignore.length < fail.length - 2) {
            if (ignoreLine(buf, null) >= 0) {
                return;
            }
        }

        LiteralGate gate = this.gate;
        if (gate == null) {
            gate = filter.gate();
            this.gate = gate;
        }
        long may = virt ? sc.may : gate.candidates(buf);
        if (!virt && may == 0 && gate.allGated() && !(multi && prefContent > 0)) {
            // no failregex can match: the prefregex would change nothing but its count
            if (prefProbe != null) {
                prefMatched = prefProbe.matches(buf);
                if (keepPrefGroups && prefMatched) {
                    prefLast = prefProbe.lastMatch();
                }
            }
            return;
        }

        boolean contentReplaced = false;
        MatchResult prefM = null;
        if (virt) {
            prefM = sc.pref;
            contentReplaced = sc.contentReplaced;
        } else if (pref != null) {
            prefMatched = search(pref, prefA, buf);
            if (!prefMatched) {
                return;
            }
            RegexMatcher pm = used(pref, prefA, buf);
            prefM = pm;
            if (keepPrefGroups) {
                prefLast = pm.snapshot();
            }
            if (prefContent > 0) {
                int cs = prefM.start(prefContent);
                if (cs >= 0 && prefM.end(prefContent) > cs) {
                    int ce = prefM.end(prefContent);
                    content.clear().append(buf, cs, ce).append('\n');
                    contentReplaced = true;
                    buf = content;
                }
            }
        }
        if (contentReplaced && multi) {
            // fail2ban: self.__lineBuffer = [('', '', repl)]
            String repl = content.subSequence(0, content.length() - 1);
            lineBuffer = new ArrayList<>(List.of(new LogTuple(repl, 0, 0, "")));
        }

        for (int i = 0; i < fail.length; i++) {
            if (!virt || i >= sc.searched) {
                // straight to the next failregex the gate lets through: one loop turn per
                // candidate rather than per failregex (the buffers below are built when needed)
                i = nextCandidate(may, i);
                if (i >= fail.length) {
                    break;
                }
            }
            PyRegex fr = fail[i];
            MatchResult m;
            if (virt && i < sc.searched) {
                m = sc.fail[i];
                if (m == null) {
                    continue;
                }
            } else {
                if (virt) {
                    buf = realBuffers(len);
                    virt = false;
                }
                if (buf == null) {
                    List<LogTuple> lb = lineBuffer != null ? lineBuffer : contentOrOrg(contentReplaced);
                    buildBuffer(rebuilt, lb);
                    buf = rebuilt;
                }
                if (!LiteralGate.may(may, i) || !search(fail[i], failA[i], buf)) {
                    continue;
                }
                m = used(fail[i], failA[i], buf);
            }
            Map<String, Object> failDict = failDict(fr, m, prefM);
            List<LogTuple>[] mu;
            if (keepMatches || multi) {
                if (orgBuffer == null) {
                    orgBuffer = org();
                }
                mu = matchedLines(fr, m, buf, orgBuffer);
            } else {
                mu = NO_LINES; // one line, whose text no one reads: only a multi-line buffer needs mu
            }
            if (ignore.length > 0 && ignoreLine(buf, mu) >= 0) {
                buf = null;
                virt = false;
                if (!checkAll) {
                    break;
                }
                continue;
            }
            if (noDate && warnings != null) {
                warnNoDate(mu[0]);
            }
            if (noDate && date == NO_DATE && checkFindTime) {
                continue;
            }
            if (!checkAll || multi) {
                lineBuffer = mu[1];
                buf = null;
                virt = false;
            }
            if (record(i, fr, m, failDict, mu[0], date) && !checkAll) {
                break;
            }
        }
        if (!multi) {
            lineBuffer = null;
        }
    }

    /** fail2ban's "Found a match but no valid date/time found" for the current line; {@code matched}: its matched lines, or none kept. */
    private void warnNoDate(List<LogTuple> matched) {
        String timeText = curTimeText != null ? curTimeText : curLine.subSequence(curStart, curEnd).toString();
        warnings.matchWithoutDate(curNow, timeText, () -> {
            List<LogTuple> lines = matched.isEmpty() ? List.of(currentTuple()) : matched;
            StringBuilder sb = new StringBuilder();
            for (LogTuple t : lines) {
                sb.append(sb.isEmpty() ? "" : "\n").append(t);
            }
            return sb.toString();
        });
    }

    @SuppressWarnings("unchecked")
    private static final List<LogTuple>[] NO_LINES = new List[] {List.of(), List.of()};

    /** The first failregex index from {@code i} on that {@link LiteralGate#may} match. */
    private static int nextCandidate(long may, int i) {
        if (i >= 64) {
            return i;
        }
        long rest = may & (-1L << i);
        return rest == 0 ? 64 : Long.numberOfTrailingZeros(rest);
    }

    /**
     * The groups of failregex {@code fr}'s match {@code m}: fail2ban's {@code dict(preGroups,
     * **fail)}, the prefregex's groups (without its content) under the failregex's. Kept out of
     * {@link #findFailure}, as {@link #record} is, so that the JIT compiles smaller units: with every
     * step inlined and a per-character copy loop in it, findFailure was compiled twice (on-stack
     * replacement, then whole) at ~0.3-0.6 s each on the one C2 thread of a 2-core host, right
     * when the start's warm-up needed that thread.
     */
    private Map<String, Object> failDict(PyRegex fr, MatchResult m, MatchResult prefM) {
        if (prefM != null && !fr.hasAltOrTuple() && !pref.hasAltOrTuple()) {
            // built as one map
            Map<String, Object> d = new GroupDict(pref.nameCount() + fr.nameCount() + 4);
            pref.putGroups(d, prefM, "content");
            fr.putGroups(d, m, null);
            return d;
        }
        Map<String, Object> d = fr.groups(m);
        if (prefM == null) {
            return d;
        }
        Map<String, Object> preGroups = pref.groups(prefM);
        preGroups.remove("content");
        if (preGroups.isEmpty()) {
            return d;
        }
        Map<String, Object> both = new GroupDict(preGroups.size() + d.size() + 4);
        both.putAll(preGroups);
        both.putAll(d);
        return both;
    }

    /**
     * The failure of failregex {@code i}'s match (filter.py's findFailure after the ignore checks):
     * multi-line merging by {@code mlfid}, the failure id and address, then the result is queued.
     *
     * @return false when the search goes on to the next failregex whatever checkAll says (a match
     *     without any id group); true when this match ends the line's search unless checkAll
     */
    private boolean record(int i, PyRegex fr, MatchResult m, Map<String, Object> failDict, List<LogTuple> matched,
            long date) {
        Object mlfid = failDict.get("mlfid");
        if (mlfid != null) {
            failDict = mergeFailure((String) mlfid, failDict, matched);
            if (Py.truthy(failDict.get("nofail")) && !checkAll) {
                return true;
            }
        } else if (keepMatches) {
            List<Object> ms = new ArrayList<>(asList(failDict.get("matches")));
            ms.addAll(matched);
            failDict.put("matches", ms);
        }
        Object fidObj = failDict.get("fid");
        String fid = fidObj == null ? null : String.valueOf(fidObj);
        String ip = (String) failDict.get("ip4");
        int cidr = -1;
        boolean v4 = false;
        if (ip != null) {
            cidr = cidrOf(failDict.get("cidr"));
            v4 = true;
        } else {
            ip = (String) failDict.get("ip6");
            if (ip != null) {
                cidr = cidrOf(failDict.get("cidr"));
            } else {
                Object dns = failDict.get("dns");
                ip = dns == null ? null : String.valueOf(dns);
                if (ip == null) {
                    if (fid == null && mlfid == null) {
                        fid = failId(fr, m);
                        if (fid == null) {
                            return false; // fail2ban: RegexException "No group found", logged
                        }
                    }
                    ip = fid;
                }
            }
        }
        String outFid;
        IpAddress address = null;
        boolean idIsAddress = false;
        if (ip == null) {
            failDict.put("mlfpending", 1);
            if (!checkAll && ignorePending) {
                return true; // ignorePending
            }
            outFid = null;
        } else if (fid == null || fid.equals(ip)) {
            idIsAddress = true; // the failure makes its id of ip when asked
            outFid = null;
        } else {
            address = IpAddress.tryParse(ip);
            failDict.put("ip", ntoa(ip, address, cidr, v4));
            outFid = fid;
        }
        if (checkAll && mlfid != null) {
            failDict = new GroupDict(failDict);
        }
        long when = date == NO_DATE ? FilterFailure.NO_TIME : date;
        if (checkFindTime && when != FilterFailure.NO_TIME) {
            when = Math.min(when, nowMillis.getAsLong()); // filter.py processLineAndAdd
        }
        boolean nofail = Py.truthy(failDict.get("nofail"));
        FilterFailure f = idIsAddress ? FilterFailure.ofAddressText(i, ip, cidr, v4, when, nofail, failDict)
                : new FilterFailure(i, outFid, address, when, nofail, failDict);
        f.wholeSeconds = curWhole && when == date;
        pending.add(f);
        return true;
    }

    private List<LogTuple> contentOrOrg(boolean contentReplaced) {
        if (contentReplaced) {
            return List.of(new LogTuple(content.subSequence(0, content.length() - 1), 0, 0, ""));
        }
        return org();
    }

    private static int cidrOf(Object v) {
        if (!Py.truthy(v)) {
            return -1;
        }
        try {
            return Integer.parseInt(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** IPAddr(ip, cidr).ntoa: canonical address (masked, with /plen), or the raw text. */
    static String ntoa(String ip, IpAddress a, int cidr, boolean v4) {
        if (a == null) {
            return ip;
        }
        if (v4 && !a.isIpv4()) {
            return ip;
        }
        if (cidr >= 0) {
            int full = a.isIpv4() ? 32 : 128;
            if (cidr > full) {
                return ip;
            }
            IpAddress masked = a.mask(cidr);
            String s = masked.toString();
            return cidr > 0 && cidr < full ? s + "/" + cidr : s;
        }
        return a.toString();
    }

    private static String failId(PyRegex fr, MatchResult m) {
        for (String g : new String[] {"fid", "ip4", "ip6", "dns"}) {
            int gi = fr.group(g);
            if (gi >= 0) {
                String v = m.group(gi);
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object v) {
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        return List.of();
    }

    /** failregex.py Regex.search: the matched and unmatched tuple lines of a match. */
    @SuppressWarnings("unchecked")
    private List<LogTuple>[] matchedLines(PyRegex r, MatchResult m, BudgetedText buf, List<LogTuple> orgLines) {
        if (orgLines.size() <= 1) {
            return new List[] {orgLines, new ArrayList<LogTuple>()};
        }
        int n = buf.length();
        int ms = m.start();
        int me = m.end();
        int matchLineStart = 0;
        for (int i = Math.min(ms, n - 1); i >= 0; i--) {
            if (buf.at(i) == '\n') {
                matchLineStart = i + 1;
                break;
            }
        }
        int st = me - 1;
        if (st < 0) {
            st += n;
            if (st < 0) {
                st = 0;
            }
        }
        int matchLineEnd = n;
        for (int i = st; i < n; i++) {
            if (buf.at(i) == '\n') {
                matchLineEnd = i + 1;
                break;
            }
        }
        int lc1 = 0;
        int lc2 = 0;
        for (int i = 0; i < matchLineEnd && i < n; i++) {
            if (buf.at(i) == '\n') {
                if (i < matchLineStart) {
                    lc1++;
                }
                lc2++;
            }
        }
        int size = orgLines.size();
        List<LogTuple> matched = new ArrayList<>(orgLines.subList(Math.min(lc1, size), Math.max(Math.min(lc1, size), Math.min(lc2, size))));
        List<LogTuple> unmatched = new ArrayList<>(orgLines.subList(0, Math.min(lc1, size)));
        int[] sk = r.skipLinesGroups();
        if (sk.length > 0) {
            StringBuilder skipped = new StringBuilder();
            for (int g : sk) {
                String v = m.group(g);
                if (v != null) {
                    skipped.append(v);
                }
            }
            int k = 0;
            for (String skippedLine : Py.splitLines(skipped.toString())) {
                for (int j = k; j < matched.size(); j++) {
                    if (matched.get(j).stripped().equals(skippedLine)) {
                        unmatched.add(matched.remove(j));
                        k = j;
                        break;
                    }
                }
            }
        }
        unmatched.addAll(orgLines.subList(Math.min(lc2, size), size));
        return new List[] {matched, unmatched};
    }

    /** filter.py _ignoreLine; {@code mu} is the failregex's (matched, unmatched) or null. */
    private int ignoreLine(BudgetedText buf, List<LogTuple>[] mu) {
        if (mu != null && multi) {
            buildBuffer(ignoreText, mu[0]);
            buf = ignoreText;
        }
        int fnd = -1;
        for (int j = 0; j < ignore.length; j++) {
            if (search(ignore[j], ignoreA[j], buf)) {
                fnd = j;
                lineIgnored = true;
                ignoreHits[j]++;
                if (!checkAll || multi) {
                    if (mu != null) {
                        lineBuffer = mu[1];
                    }
                }
                if (!checkAll) {
                    break;
                }
            }
        }
        return fnd;
    }

    @SuppressWarnings("unchecked")
    private static Set<Object> updateUsers(Map<String, Object> fail, Object user) {
        Object users = fail.get("users");
        if (Py.truthy(user)) {
            if (!Py.truthy(users)) {
                users = new UserSet();
                fail.put("users", users);
            }
            ((Set<Object>) users).add(user);
            return (Set<Object>) users;
        }
        return users instanceof Set<?> s ? (Set<Object>) s : null;
    }

    /** filter.py _mergeFailure. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> mergeFailure(String mlfid, Map<String, Object> fail, List<LogTuple> matched) {
        long now = nowMillis.getAsLong();
        MlfidEntry mlfidFail = mlfidCache.get(mlfid);
        if (mlfidFail != null && mlfidFail.expiresAt() <= now) {
            mlfidCache.remove(mlfid);
            mlfidFail = null;
        }
        Set<Object> users = null;
        int nfflgs = 0;
        if (Py.truthy(fail.get("mlfgained"))) {
            nfflgs |= (8 | 1);
            if (!Py.truthy(fail.get("nofail"))) {
                fail.put("nofail", fail.get("mlfgained"));
            }
        } else if (Py.truthy(fail.get("nofail"))) {
            nfflgs |= 1;
        }
        if (Py.truthy(fail.remove("mlfforget"))) {
            nfflgs |= 2;
        }
        if (mlfidFail != null) {
            Map<String, Object> mlfidGroups = mlfidFail.fail();
            users = updateUsers(mlfidGroups, fail.get("user"));
            if (Py.truthy(mlfidGroups.remove("nofail"))) {
                nfflgs |= 4;
            }
            if (Py.truthy(mlfidGroups.remove("mlfgained"))) {
                nfflgs |= 4;
            }
            if ((nfflgs & 8) != 0) {
                mlfidGroups.remove("mlfpending");
            }
            if ((nfflgs & 4) == 0 && !Py.truthy(mlfidGroups.get("mlfpending"))) {
                mlfidGroups.remove("matches");
            }
            fail.forEach((k, v) -> { // GroupDict's own: no entry objects
                if (v != null) {
                    mlfidGroups.put(k, v);
                }
            });
            fail = mlfidGroups;
            if ((nfflgs & 2) != 0) {
                mlfidCache.remove(mlfid);
            }
        } else if ((nfflgs & 2) == 0) {
            users = updateUsers(fail, fail.get("user"));
            if (mlfidCache.size() >= MLFID_MAX_COUNT) {
                var it = mlfidCache.entrySet().iterator();
                while (it.hasNext()) {
                    MlfidEntry cv = it.next().getValue();
                    it.remove();
                    if (cv.expiresAt() > now && mlfidCache.size() < MLFID_MAX_COUNT) {
                        break;
                    }
                }
            }
            mlfidCache.put(mlfid, new MlfidEntry(fail, now + MLFID_MAX_TIME_MS));
        }
        if (Py.truthy(fail.remove("mlfpending")) || (users != null && users.size() > 1)) {
            fail.remove("nofail");
            fail.remove("mlfgained");
            nfflgs &= ~(8 | 1);
        }
        if (!keepMatches) {
            return fail;
        }
        if ((nfflgs & 1) == 0) {
            Object nm = fail.remove("nofail-matches");
            List<Object> m = nm instanceof List<?> l ? (List<Object>) l : new ArrayList<>();
            m.addAll(asList(fail.get("matches")));
            if ((nfflgs & 8) == 0) {
                m.addAll(matched);
            }
            fail.put("matches", m);
        } else if ((nfflgs & 3) == 1) {
            List<Object> m = new ArrayList<>(asList(fail.get("nofail-matches")));
            m.addAll(matched);
            fail.put("nofail-matches", m);
        }
        return fail;
    }

    static boolean isCollection(Object o) {
        return o instanceof Collection<?>;
    }
}
