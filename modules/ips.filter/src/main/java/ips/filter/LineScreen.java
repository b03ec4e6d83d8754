package ips.filter;

import ips.filter.date.DateMatch;
import ips.filter.regex.BudgetedText;
import ips.filter.regex.PyRegex;
import ips.filter.regex.RegexMatcher;
import java.util.regex.MatchResult;

/**
 * The stateless part of {@link FilterMatcher#process} for single-line filters without
 * ignoreregexes: the text without its date, the literal gate, the prefregex and the failregex
 * searches. Being stateless it can run on another thread, ahead of the matcher; its
 * {@link ScreenedLine} gives the matcher exactly what its own searches would have found. Lines it
 * cannot decide alone (a date text that is not a valid date, a spent regex budget) give null: the
 * matcher then does all the work itself. One instance per thread.
 */
public final class LineScreen {
    private final CompiledFilter filter;
    private final PyRegex pref;
    private final PyRegex[] fail;
    private final LiteralGate gate;
    private final RegexMatcher prefA;
    private final RegexMatcher[] failA;
    /** Unicode-class matchers, made on the first non-ASCII text (their patterns compile lazily). */
    private final java.util.IdentityHashMap<PyRegex, RegexMatcher> unicode = new java.util.IdentityHashMap<>();
    private final int prefContent;
    private final boolean firstHitOnly;
    private final BudgetedText text = new BudgetedText();
    private final BudgetedText content = new BudgetedText();
    private long lineBudget = FilterMatcher.DEFAULT_LINE_BUDGET;
    /** The current line's date text, as {@link #cutDate} found it. */
    private int cutStart;
    private int cutEnd;
    /** Tells {@link ScreenedLine#MISS_PREF} from {@link ScreenedLine#MISS} on gated lines, or null. */
    private PrefregexProbe prefProbe;

    private LineScreen(CompiledFilter f, boolean firstHitOnly) {
        this.firstHitOnly = firstHitOnly;
        this.filter = f;
        this.pref = f.pref();
        this.fail = f.fail();
        this.gate = f.gate();
        this.prefA = pref == null ? null : pref.asciiMatcher();
        this.prefContent = pref == null ? -1 : pref.group("content");
        failA = new RegexMatcher[fail.length];
        for (int i = 0; i < fail.length; i++) {
            failA[i] = fail[i].asciiMatcher();
        }
    }

    /**
     * A screen for {@code f}, or null when its lines depend on each other (maxlines &gt; 1) or on
     * ignoreregexes.
     *
     * @param firstHitOnly stop at the first failregex that matches (a matcher without checkAllRegex
     *     needs no more)
     */
    public static LineScreen of(CompiledFilter f, boolean firstHitOnly) {
        if (f.maxLines() > 1 || f.ignore().length > 0) {
            return null;
        }
        return new LineScreen(f, firstHitOnly);
    }

    /**
     * Also answers for the prefregex on the lines the literal gate rules out, which are otherwise
     * {@link ScreenedLine#MISS} whatever the prefregex says: {@link ScreenedLine#MISS_PREF} when
     * it matches (for a matcher {@link FilterMatcher#countingPrefregex counting} it).
     */
    public LineScreen countingPrefregex() {
        if (pref != null) {
            prefProbe = new PrefregexProbe(filter, false);
        }
        return this;
    }

    /** Sets the per-line regex budget; must equal the matcher's ({@link FilterMatcher#lineBudget}). */
    public void lineBudget(long charReads) {
        this.lineBudget = charReads;
    }

    /**
     * Screens one line given its date detector's answer ({@code found}, {@code dm}), for a matcher
     * that gets the same line and the same answer, without a time of its own.
     *
     * @return what the matcher's searches would find, {@link ScreenedLine#MISS} or {@link
     *     ScreenedLine#MISS_PREF} when nothing can match, or null when the matcher must search itself
     */
    public ScreenedLine screen(CharSequence line, boolean found, DateMatch dm) {
        if (!cutDate(found, dm)) {
            return null;
        }
        content.budget(lineBudget);
        textWithoutDate(line);
        long may = gate.candidates(text);
        if (may == 0 && gate.allGated()) {
            return miss(text);
        }
        return searches(may);
    }

    /**
     * {@link #screen(CharSequence, boolean, DateMatch)} of an ASCII line that is the bytes {@code
     * a[from, from + line.length())}: the usual case, a date at the line's start, is gated on those
     * bytes in place, and only a line the gate lets through is copied out as characters.
     */
    public ScreenedLine screen(CharSequence line, byte[] a, int from, boolean found, DateMatch dm) {
        if (!cutDate(found, dm)) {
            return null;
        }
        int len = line.length();
        long may;
        if (cutStart == 0 && gate.newlineFree()) {
            may = gate.candidates(a, from + cutEnd, from + len);
            if (may == 0 && gate.allGated()) {
                return miss(a, from + cutEnd, from + len);
            }
            content.budget(lineBudget);
            text.budget(lineBudget);
            text.clear().appendAscii(a, from + cutEnd, len - cutEnd).append('\n');
        } else {
            content.budget(lineBudget);
            textWithoutDate(line);
            may = gate.candidates(text);
            if (may == 0 && gate.allGated()) {
                return miss(text);
            }
        }
        return searches(may);
    }

    /** The searches of {@link #screen} on {@link #text}, once the gate let the line through. */
    private ScreenedLine searches(long may) {
        BudgetedText buf = text;
        MatchResult prefM = null;
        boolean contentReplaced = false;
        if (pref != null) {
            RegexMatcher m = buf.isAscii() ? prefA : unicode(pref);
            int r = search(pref, m, buf);
            if (r < 0) {
                return null;
            }
            if (r == 0) {
                return ScreenedLine.MISS;
            }
            if (prefContent > 0) {
                int cs = m.start(prefContent);
                if (cs >= 0 && m.end(prefContent) > cs) {
                    int ce = m.end(prefContent);
                    content.clear().append(buf, cs, ce).append('\n');
                    contentReplaced = true;
                    buf = content;
                }
            }
            prefM = m.snapshot();
        }
        MatchResult[] hits = null;
        int i = 0;
        for (; i < fail.length; i++) {
            if (!LiteralGate.may(may, i)) {
                continue;
            }
            RegexMatcher m = buf.isAscii() ? failA[i] : unicode(fail[i]);
            int r = search(fail[i], m, buf);
            if (r < 0) {
                return null;
            }
            if (r > 0) {
                if (hits == null) {
                    hits = new MatchResult[fail.length];
                }
                hits[i] = m.snapshot();
                if (firstHitOnly) {
                    i++;
                    break;
                }
            }
        }
        if (hits == null) {
            return prefM != null ? ScreenedLine.MISS_PREF : ScreenedLine.MISS;
        }
        return new ScreenedLine(may, prefM, contentReplaced, hits, i);
    }

    /**
     * Only the cheap part of {@link #screen}: the literal gate on the text without its date.
     *
     * @return {@link ScreenedLine#MISS} or {@link ScreenedLine#MISS_PREF} when no failregex can
     *     match the line, else null (the matcher searches itself)
     */
    public ScreenedLine gate(CharSequence line, boolean found, DateMatch dm) {
        if (!gate.allGated()) {
            return null;
        }
        if (!cutDate(found, dm)) {
            return null;
        }
        if (cutStart == 0 && line instanceof BudgetedText bt && gate.newlineFree()) {
            // the text is the line after its date: scan it in place, copy it only for the prefregex's probe
            if (gate.candidates(bt.array(), cutEnd, bt.length()) != 0) {
                return null;
            }
            if (prefProbe == null) {
                return ScreenedLine.MISS;
            }
            textWithoutDate(line);
            return miss(text);
        }
        textWithoutDate(line);
        return gate.candidates(text) == 0 ? miss(text) : null;
    }

    /**
     * {@link #gate(CharSequence, boolean, DateMatch)} of an ASCII line that is the bytes
     * {@code a[from, from + line.length())}, seen as characters through {@code line}: the usual case,
     * a date at the line's start, scans those bytes in place.
     */
    public ScreenedLine gate(CharSequence line, byte[] a, int from, boolean found, DateMatch dm) {
        if (!gate.allGated()) {
            return null;
        }
        if (!cutDate(found, dm)) {
            return null;
        }
        if (cutStart == 0 && gate.newlineFree()) {
            int end = from + line.length();
            return gate.candidates(a, from + cutEnd, end) == 0 ? miss(a, from + cutEnd, end) : null;
        }
        textWithoutDate(line);
        return gate.candidates(text) == 0 ? miss(text) : null;
    }

    /** The miss of a gated line whose text without its date is {@code t} (with its final newline). */
    private ScreenedLine miss(BudgetedText t) {
        return prefProbe != null && prefProbe.matches(t) ? ScreenedLine.MISS_PREF : ScreenedLine.MISS;
    }

    /** The miss of a gated ASCII line whose text without its date is the bytes {@code a[from, to)}. */
    private ScreenedLine miss(byte[] a, int from, int to) {
        if (prefProbe == null) {
            return ScreenedLine.MISS;
        }
        if (prefProbe.everyNonEmptyLine()) {
            return to > from ? ScreenedLine.MISS_PREF : ScreenedLine.MISS;
        }
        text.budget(lineBudget);
        text.clear().appendAscii(a, from, to - from).append('\n');
        return miss(text);
    }

    /**
     * Sets {@link #cutStart}/{@link #cutEnd} to the date text the matcher removes from the line;
     * false when that depends on the matcher's last date (a date text that is not a valid date).
     */
    private boolean cutDate(boolean found, DateMatch dm) {
        cutStart = 0;
        cutEnd = 0;
        if (found && dm.start < dm.end) {
            if (!dm.hasTime()) {
                return false;
            }
            cutStart = dm.start;
            cutEnd = dm.end;
        }
        return true;
    }

    /** {@link #text}: the line without its date text, with the final newline the matcher adds. */
    private void textWithoutDate(CharSequence line) {
        text.budget(lineBudget);
        text.clear().append(line, 0, cutStart).append(line, cutEnd, line.length()).append('\n');
    }

    private RegexMatcher unicode(PyRegex r) {
        return unicode.computeIfAbsent(r, PyRegex::unicodeMatcher);
    }

    /** 1: found, 0: not found, -1: budget spent. */
    private static int search(PyRegex r, RegexMatcher m, BudgetedText buf) {
        try {
            return m.search(buf, r.anchored()) ? 1 : 0;
        } catch (BudgetedText.BudgetExceeded | StackOverflowError x) {
            return -1;
        }
    }
}
