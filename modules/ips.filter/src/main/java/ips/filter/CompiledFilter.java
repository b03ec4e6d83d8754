package ips.filter;

import ips.config.FilterDefinition;
import ips.filter.date.DateDetector;
import ips.filter.date.DatePatternException;
import java.time.zone.ZoneRules;
import ips.filter.regex.PyRegex;
import ips.filter.regex.RequiredLiterals;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.PatternSyntaxException;

/**
 * A fail2ban filter compiled once: prefregex, failregexes, ignoreregexes and {@code maxlines},
 * with fail2ban's tags expanded and Python's regex syntax translated. Immutable and shareable;
 * each log source gets its own {@link FilterMatcher} from {@link #newMatcher}.
 */
public final class CompiledFilter {
    /** fail2ban: the groups that make a failure id. */
    private static final String[] FAILURE_ID_PRESENTS = {"fid", "ip4", "ip6", "dns", "mlfid"};

    private final String name;
    private final PyRegex pref;
    private final PyRegex[] fail;
    private final PyRegex[] ignore;
    private final int maxLines;
    /** Built on first use ({@link #gate()}): the literal analysis is not on the start-up path. */
    private volatile LiteralGate gate;
    /** The filter's datepattern, or null for fail2ban's default templates. */
    private final String datepattern;

    private CompiledFilter(String name, PyRegex pref, PyRegex[] fail, PyRegex[] ignore, int maxLines) {
        this(name, pref, fail, ignore, maxLines, null);
    }

    private CompiledFilter(String name, PyRegex pref, PyRegex[] fail, PyRegex[] ignore, int maxLines, String datepattern) {
        this.datepattern = datepattern;
        this.name = name;
        this.pref = pref;
        this.fail = fail;
        this.ignore = ignore;
        this.maxLines = maxLines;
    }

    /**
     * A failregex, ignoreregex or prefregex as fail2ban's server holds it (and {@code fail2ban-client
     * get JAIL failregex} prints it): tags expanded for {@code useDns}, global flags made local.
     */
    public static String asFail2banHoldsIt(String regex, String useDns) {
        return ips.filter.regex.FailTags.globalToLocalFlags(ips.filter.regex.FailTags.expand(regex, useDns));
    }

    /**
     * Compiles a filter definition read by {@code ips.config}.
     *
     * @param useDns the jail's {@code usedns} ({@code "no"} makes {@code <HOST>} match addresses
     *     only; anything else also lets it match host names, which are reported raw)
     */
    public static CompiledFilter compile(FilterDefinition def, String useDns) throws FilterException {
        CompiledFilter f = compile(def.name(), def.prefregex(), def.failregex(), def.ignoreregex(), def.maxlines(), useDns);
        String dp = def.datepattern();
        if (dp != null && !dp.isBlank()) {
            try {
                DateDetector.check(dp);
            } catch (DatePatternException e) {
                throw new FilterException("Invalid datepattern '" + dp + "': " + e.getMessage(), e);
            }
            return new CompiledFilter(f.name, f.pref, f.fail, f.ignore, f.maxLines, dp);
        }
        return f;
    }

    /** Compiles a filter from its parts (regexes with fail2ban tags, as in filter.d). */
    public static CompiledFilter compile(String name, String prefregex, List<String> failregex,
            List<String> ignoreregex, int maxlines, String useDns) throws FilterException {
        if (maxlines <= 0) {
            throw new FilterException("maxlines must be integer greater than zero: " + maxlines);
        }
        boolean multi = maxlines > 1;
        PyRegex pref = null;
        if (prefregex != null && !prefregex.isEmpty()) {
            pref = compileOne("prefregex", prefregex, false, useDns);
        }
        List<PyRegex> f = new ArrayList<>();
        for (String r : failregex) {
            if (r.isEmpty()) {
                continue;
            }
            PyRegex p = compileOne("failregex", r, multi, useDns);
            if (!hasFailureId(p) && (pref == null || !hasFailureId(pref))) {
                throw FilterException.noFailureId(p.python());
            }
            f.add(p);
        }
        List<PyRegex> ig = new ArrayList<>();
        for (String r : ignoreregex) {
            if (!r.isEmpty()) {
                ig.add(compileOne("ignoreregex", r, false, useDns));
            }
        }
        return new CompiledFilter(name, pref, f.toArray(new PyRegex[0]), ig.toArray(new PyRegex[0]), maxlines);
    }

    private static boolean hasFailureId(PyRegex p) {
        for (String g : FAILURE_ID_PRESENTS) {
            if (p.hasGroup(g)) {
                return true;
            }
        }
        return false;
    }

    private static PyRegex compileOne(String what, String regex, boolean multi, String useDns) throws FilterException {
        try {
            return PyRegex.compile(regex, multi, useDns);
        } catch (PatternSyntaxException e) {
            throw FilterException.uncompilable(what, regex, asFail2banHoldsIt(regex, useDns), e.getDescription(), e);
        } catch (StackOverflowError e) {
            throw FilterException.uncompilable(what, regex, asFail2banHoldsIt(regex, useDns), "nested too deeply", e);
        }
    }

    /**
     * A matcher for one log source (single-threaded).
     *
     * @param dater finds dates in lines (fail2ban's date detector), or {@link LineDater#NONE}
     * @param nowMillis the clock (fail2ban's MyTime): lines without a date borrow the last date
     *     when it is less than 60 s old
     * @param checkAllRegex try every failregex and report every hit (fail2ban-regex / sample
     *     tests); false for the daemon (first hit wins, as fail2ban-server)
     */
    public FilterMatcher newMatcher(LineDater dater, LongSupplier nowMillis, boolean checkAllRegex) {
        return new FilterMatcher(this, dater, nowMillis, checkAllRegex);
    }

    /**
     * The daemon's matcher for one log source: the filter's own date detection (its datepattern, or
     * fail2ban's default templates) in zone {@code tz}, first failregex hit wins (as fail2ban-server).
     * Journal lines carry their own time and skip date detection. Time checks are fail2ban-server's
     * for tailed lines ({@link FilterMatcher#checkFindTime}: in operation); call {@code
     * checkFindTime(false, findtime)} while catching up on old content. Its failures carry no
     * {@code matches} ({@link FilterMatcher#withoutMatches}): the daemon never reads them.
     */
    public FilterMatcher newSourceMatcher(ZoneRules tz, LongSupplier nowMillis) {
        FilterMatcher m = new FilterMatcher(this, new FirstLineDater(tz, nowMillis), nowMillis, false).withoutMatches();
        m.checkFindTime(true, 0);
        return m;
    }

    /**
     * The filter's date detector, built on the first line rather than with the matcher: building
     * the templates compiles a regex each (fail2ban's defaults: a few dozen), which the daemon
     * otherwise does for every source before it reports ready. The datepattern was checked by
     * {@link #compile}, so building it cannot fail.
     */
    private final class FirstLineDater implements LineDater {
        private final ZoneRules tz;
        private final LongSupplier nowMillis;
        private DateDetector detector;

        FirstLineDater(ZoneRules tz, LongSupplier nowMillis) {
            this.tz = tz;
            this.nowMillis = nowMillis;
        }

        @Override
        public boolean find(CharSequence line, ips.filter.date.DateMatch out) {
            DateDetector d = detector;
            if (d == null) {
                try {
                    d = datepattern == null ? DateDetector.defaults(tz, nowMillis) : DateDetector.forPattern(datepattern, tz, nowMillis);
                } catch (DatePatternException e) {
                    throw new IllegalStateException("datepattern was checked at compile time", e);
                }
                detector = d;
            }
            return d.find(line, out);
        }
    }

    /** The filter's datepattern, or null when it uses fail2ban's default date templates. */
    public String datepattern() {
        return datepattern;
    }

    public String name() {
        return name;
    }

    LiteralGate gate() {
        LiteralGate g = gate;
        if (g == null) {
            synchronized (this) {
                g = gate;
                if (g == null) {
                    List<List<List<String>>> req = new ArrayList<>();
                    for (PyRegex r : fail) {
                        req.add(RequiredLiterals.allOf(r.python(), LiteralGate.MIN_LITERAL));
                    }
                    g = LiteralGate.ofRequirements(req);
                    gate = g;
                }
            }
        }
        return g;
    }

    PyRegex pref() {
        return pref;
    }

    /** Built on first use: only test-filter's summary probes the prefregex ({@link PrefregexProbe}). */
    private volatile PrefregexProbe.Shape prefShape;

    PrefregexProbe.Shape prefShape() {
        PrefregexProbe.Shape s = prefShape;
        if (s == null) {
            synchronized (this) {
                s = prefShape;
                if (s == null) {
                    s = PrefregexProbe.Shape.of(pref, maxLines);
                    prefShape = s;
                }
            }
        }
        return s;
    }

    /** The prefregex after tag expansion (Python syntax), as fail2ban-regex prints it, or null. */
    public String prefRegex() {
        return pref == null ? null : pref.python();
    }

    PyRegex[] fail() {
        return fail;
    }

    PyRegex[] ignore() {
        return ignore;
    }

    public int maxLines() {
        return maxLines;
    }

    public int failRegexCount() {
        return fail.length;
    }

    /** The i-th failregex after tag expansion (Python syntax), for summaries. */
    public String failRegex(int i) {
        return fail[i].python();
    }

    public int ignoreRegexCount() {
        return ignore.length;
    }
}
