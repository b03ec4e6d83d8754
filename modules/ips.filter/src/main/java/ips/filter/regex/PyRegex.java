package ips.filter.regex;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One fail2ban regex (failregex, ignoreregex or prefregex) after tag expansion, compiled twice: for
 * ASCII-only text (ASCII classes, faster) and for any text (Unicode classes, as Python). Immutable
 * and shareable; matching state lives in {@link Matcher}s the caller owns.
 */
public final class PyRegex {
    private static final java.util.regex.Pattern COMPLNAME = Pattern.compile("^(alt_|tuple_)(.*?)(?:_\\d+)?$");

    private final String python;
    private final Pattern ascii;
    /**
     * Translated and compiled on first use (most logs are ASCII): see {@link #unicodePattern}. The
     * two translations differ only in the text of character classes, so the ASCII one alone
     * checks the regex and numbers its groups.
     */
    private volatile Pattern unicode;
    private final boolean multiline;
    private final int flags;
    private final String[] names;
    private final int[] groups;
    /** alt_/tuple_ names: {source index, target name} sorted as failregex.py sorts them. */
    private final String[][] alt;
    private final String[][] tuple;
    private final int[] skipLines;
    /** Every match starts at 0 ({@code ^} first, no top-level alternation, not multi-line). */
    private final boolean anchored;

    private PyRegex(String python, boolean multiline, Pattern ascii, int flags, PyRegexTranslator.Translation t) {
        this.python = python;
        this.multiline = multiline;
        this.flags = flags;
        this.anchored = !multiline && anchoredAtStart(python);
        this.ascii = ascii;
        String[] ns = t.names().toArray(new String[0]);
        for (int i = 0; i < ns.length; i++) {
            ns[i] = ns[i].intern(); // a group dict's lookups by a literal name then hit by reference
        }
        this.names = ns;
        this.groups = t.javaGroups();
        List<String[]> a = new ArrayList<>();
        List<String[]> tp = new ArrayList<>();
        for (String k : names) {
            if (k.length() > 4) {
                Matcher m = COMPLNAME.matcher(k);
                if (m.matches()) {
                    String n = FailTags.mapTag2Opt(m.group(2));
                    (m.group(1).equals("alt_") ? a : tp).add(new String[] {k, n});
                }
            }
        }
        if (a.size() > 1) {
            a.sort(PyRegex::comparePairs);
        }
        if (tp.size() > 1) {
            tp.sort(PyRegex::comparePairs);
        }
        alt = a.toArray(new String[0][]);
        tuple = tp.toArray(new String[0][]);
        int count = 0;
        while (t.group("skiplines" + count) >= 0) {
            count++;
        }
        skipLines = new int[count];
        for (int i = 0; i < count; i++) {
            skipLines[i] = t.group("skiplines" + i);
        }
    }

    /** By source name, then target name (failregex.py sorts the (name, target) pairs). */
    private static int comparePairs(String[] x, String[] y) {
        int c = x[0].compareTo(y[0]);
        return c != 0 ? c : x[1].compareTo(y[1]);
    }

    /**
     * Expands fail2ban's tags in {@code regex} and compiles it.
     *
     * @param multiline compiled with {@code re.MULTILINE} (failregex when maxlines &gt; 1)
     * @param useDns fail2ban's usedns ({@code "no"} narrows {@code <HOST>} to addresses)
     * @throws PatternSyntaxException when the regex is empty or invalid
     */
    public static PyRegex compile(String regex, boolean multiline, String useDns) {
        String expanded = FailTags.expand(regex, useDns);
        if (expanded.strip().isEmpty()) {
            throw new PatternSyntaxException("Cannot add empty regex", regex, 0);
        }
        expanded = FailTags.globalToLocalFlags(expanded);
        return compilePython(expanded, multiline);
    }

    /** Compiles a Python regex (tags already expanded). */
    public static PyRegex compilePython(String python, boolean multiline) {
        int flags = PyRegexTranslator.JAVA_FLAGS | (multiline ? Pattern.MULTILINE : 0);
        PyRegexTranslator.Translation ta = PyRegexTranslator.translate(python, multiline, true);
        Pattern a = Pattern.compile(ta.java(), flags);
        return new PyRegex(python, multiline, a, flags, ta);
    }

    /**
     * True when a match can only start at the beginning of the text, so {@code lookingAt} finds
     * what {@code search} finds without trying every start position.
     */
    public boolean anchored() {
        return anchored;
    }

    static boolean anchoredAtStart(String p) {
        int i = 0;
        // leading inline flags such as (?i)
        while (p.startsWith("(?", i) && i + 2 < p.length() && Character.isLetter(p.charAt(i + 2))) {
            int e = p.indexOf(')', i);
            if (e < 0 || p.substring(i + 2, e).chars().anyMatch(c -> !Character.isLetter(c))) {
                return false;
            }
            i = e + 1;
        }
        if (!(p.startsWith("^", i) || p.startsWith("\\A", i))) {
            return false;
        }
        int depth = 0;
        boolean inClass = false;
        for (int k = i; k < p.length(); k++) {
            char c = p.charAt(k);
            if (c == '\\') {
                k++;
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
                continue;
            }
            switch (c) {
                case '[' -> {
                    inClass = true;
                    if (k + 1 < p.length() && p.charAt(k + 1) == '^') {
                        k++;
                    }
                    if (k + 1 < p.length() && p.charAt(k + 1) == ']') {
                        k++;
                    }
                }
                case '(' -> depth++;
                case ')' -> depth--;
                case '|' -> {
                    if (depth == 0) {
                        return false;
                    }
                }
                default -> { }
            }
        }
        return true;
    }

    /** The regex as Python sees it (tags expanded). */
    public String python() {
        return python;
    }

    public Pattern asciiPattern() {
        return ascii;
    }

    /**
     * Whether ASCII text is matched by {@link FastMatcher} where it can ({@code
     * -Dportcullis.regex=jdk} keeps every pattern on {@code java.util.regex}, for comparison).
     */
    private static final boolean FAST = !"jdk".equals(System.getProperty("portcullis.regex"));
    /** The ASCII form for {@link FastMatcher}; {@link #NOT_FAST} when it cannot run it. Made on first use. */
    private volatile Object fast;
    private static final Object NOT_FAST = new Object();

    /**
     * A new matcher for ASCII text ({@link BudgetedText#isAscii}): a {@link FastMatcher} when the
     * pattern is within what it runs, else {@code java.util.regex}'s. One per thread. The pattern
     * is compiled for the {@link FastMatcher} on the first search, not here: in the cold code of
     * a daemon's start that takes ~1 ms a pattern (sshd's 23: ~20 ms), which READY=1 need not wait for.
     */
    public RegexMatcher asciiMatcher() {
        return new FirstSearch(this);
    }

    private RegexMatcher newAsciiMatcher() {
        Object f = fast;
        if (f == null) {
            synchronized (this) { // one compile when two threads start at once (test-filter's)
                f = fast;
                if (f == null) {
                    FastRegex r = FAST ? FastRegex.compile(ascii.pattern(), flags) : null;
                    f = r == null ? NOT_FAST : r;
                    fast = f;
                }
            }
        }
        return f instanceof FastRegex r ? new FastMatcher(r, ascii) : RegexMatcher.jdk(ascii);
    }

    /** Makes the real matcher on its first search and hands everything to it. */
    private static final class FirstSearch implements RegexMatcher {
        private final PyRegex regex;
        private RegexMatcher m;

        FirstSearch(PyRegex regex) {
            this.regex = regex;
        }

        @Override
        public boolean search(BudgetedText text, boolean anchored) {
            RegexMatcher x = m;
            if (x == null) {
                m = x = regex.newAsciiMatcher();
            }
            return x.search(text, anchored);
        }

        private RegexMatcher m() {
            if (m == null) {
                throw new IllegalStateException("No match available");
            }
            return m;
        }

        @Override
        public java.util.regex.MatchResult snapshot() {
            return m().snapshot();
        }

        @Override
        public int start() {
            return m().start();
        }

        @Override
        public int start(int group) {
            return m().start(group);
        }

        @Override
        public int end() {
            return m().end();
        }

        @Override
        public int end(int group) {
            return m().end(group);
        }

        @Override
        public String group() {
            return m().group();
        }

        @Override
        public String group(int group) {
            return m().group(group);
        }

        @Override
        public int groupCount() {
            return m().groupCount();
        }
    }

    /** A new {@code java.util.regex} matcher for any text (Unicode classes). */
    public RegexMatcher unicodeMatcher() {
        return RegexMatcher.jdk(unicodePattern());
    }

    /** The pattern for any text (Unicode classes), compiled on the first call. */
    public Pattern unicodePattern() {
        Pattern u = unicode;
        if (u == null) {
            try {
                String java = PyRegexTranslator.translate(python, multiline, false).java();
                u = java.equals(ascii.pattern()) ? ascii : Pattern.compile(java, flags);
            } catch (PatternSyntaxException e) {
                // only the class escapes differ from the ASCII form, which compiled; a class
                // range ending in an escape such as [\d-z] (which Python rejects) stays ASCII
                u = ascii;
            }
            unicode = u;
        }
        return u;
    }

    /** Python group names in order of definition. */
    public String[] names() {
        return names.clone();
    }

    public int nameCount() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    /** Java group number of the i-th name. */
    public int group(int i) {
        return groups[i];
    }

    /** Java group number of a Python group name, or -1. */
    public int group(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return groups[i];
            }
        }
        return -1;
    }

    public boolean hasGroup(String name) {
        return group(name) >= 0;
    }

    String[][] alt() {
        return alt;
    }

    public boolean hasAltOrTuple() {
        return alt.length > 0 || tuple.length > 0;
    }

    public int[] skipLinesGroups() {
        return skipLines;
    }

    /**
     * The match's group dict as failregex.py {@code getGroups} builds it (alt_ merged, tuple_
     * combined). Values are {@code String}, {@code null} or (tuples) {@code List<Object>}.
     */
    public java.util.Map<String, Object> groups(java.util.regex.MatchResult m) {
        java.util.Map<String, Object> fail = new GroupDict(names.length + 4);
        for (int i = 0; i < names.length; i++) {
            fail.put(names[i], m.group(groups[i]));
        }
        for (String[] kn : alt) {
            Object v = fail.get(kn[0]);
            if (Py.truthy(v) && !Py.truthy(fail.get(kn[1]))) {
                fail.put(kn[1], v);
            }
        }
        for (String[] kn : tuple) {
            Object v = fail.get(kn[0]);
            Object t = fail.get(kn[1]);
            List<Object> nt = new ArrayList<>();
            if (t instanceof TupleValue tv) {
                nt.addAll(tv.items());
            } else {
                nt.add(t);
            }
            nt.add(v);
            fail.put(kn[1], new TupleValue(java.util.Collections.unmodifiableList(nt)));
        }
        return fail;
    }

    /**
     * Puts the match's groups into {@code into} in definition order, skipping the name
     * {@code skip} (may be null). Only for regexes without alt_/tuple_ groups
     * ({@link #hasAltOrTuple}), whose dict is exactly their named groups: one map then holds the
     * prefregex's and the failregex's groups, as fail2ban's {@code dict(preGroups, **fail)}.
     */
    public void putGroups(java.util.Map<String, Object> into, java.util.regex.MatchResult m, String skip) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] != skip && !names[i].equals(skip)) {
                into.put(names[i], m.group(groups[i]));
            }
        }
    }

    /** A Python tuple value (from tuple_ groups). */
    public record TupleValue(List<Object> items) {}

    @Override
    public String toString() {
        return "PyRegex(" + python + ")";
    }
}
