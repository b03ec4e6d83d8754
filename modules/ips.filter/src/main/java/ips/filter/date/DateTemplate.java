package ips.filter.date;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One date template (fail2ban datetemplate.py {@code DateTemplate}): a regex whose group 1 is the date
 * text, word/line boundary flags, a weight for ranking, and a conversion of the last match to a time.
 * Not thread-safe: it keeps its {@link Matcher} and the bounds of its last match.
 */
abstract class DateTemplate {

    static final int LINE_BEGIN = 8;
    static final int LINE_END = 4;
    static final int WORD_BEGIN = 2;
    static final int WORD_END = 1;

    /** DateTemplate.setRegex: wordBegin argument False / True / 'start'. */
    static final int BEGIN_NONE = 0;
    static final int BEGIN_WORD = 1;
    static final int BEGIN_LINE = 2;

    private static final Pattern RE_GLOBALFLAGS = Pattern.compile("((?:^|(?!<\\\\))\\(\\?[a-z]+\\))");
    private static final Pattern RE_NO_WRD_BOUND_BEG =
            Pattern.compile("^\\(*(?:\\(\\?\\w+\\))?(?:\\^|\\(*\\*\\*|\\((?:\\?:)?\\^)");
    private static final Pattern RE_NO_WRD_BOUND_END = Pattern.compile("(?<!\\\\)(?:\\$\\)?|\\\\b|\\\\s|\\*\\*\\)*)$");
    private static final Pattern RE_GROUPED = Pattern.compile("(?<!(?:\\(\\?))(?<!\\\\)\\((?!\\?)");
    private static final Pattern RE_GROUP = Pattern.compile("^((?:\\(\\?\\w+\\))?\\^?(?:\\(\\?\\w+\\))?)(.*?)(\\$?)$", Pattern.DOTALL);
    private static final Pattern RE_LINE_BOUND_BEG = Pattern.compile("^(?:\\(\\?\\w+\\))?(?:\\^|\\((?:\\?:)?\\^(?!\\|))");
    private static final Pattern RE_LINE_BOUND_END = Pattern.compile("(?<![\\\\|])(?:\\$\\)?)$");
    private static final Pattern RE_DEL_WRD_BOUNDS = Pattern.compile("^\\(*(?:\\(\\?\\w+\\))?\\(*\\*\\*|(?<!\\\\)\\*\\*\\)*$");

    /** Result of fail2ban's DateTemplate.setRegex: final regex text, flags and the (maybe prefixed) name. */
    record Regex(String regex, int flags, String name) {
    }

    final String name;
    final int flags;
    /** 100 for the line-begin copies of the default templates, else 1 (datedetector.py _cacheTemplate). */
    double weight = 1.0;
    /**
     * {@link LineShape} bits a line must hold for this template to match anywhere in it; 0 when unknown
     * (the template is always searched).
     */
    int needs;
    /** Times {@link #matchDate} succeeded (fail2ban's template.hits). */
    long hits;

    /** The regex, compiled on first use ({@link #check} compiles a datepattern's at once). */
    private final PythonRegex.Compiled compiled;
    private final String datePattern;
    private final String regexText;
    private Matcher matcher;
    private final LineWindow window = new LineWindow();
    private final boolean anchoredAtStart;

    /** Bounds of the whole last match (fail2ban's match.start()/end()). */
    int matchStart;
    int matchEnd;
    private int dateStart;
    private int dateEnd;

    DateTemplate(Regex regex, String datePattern) throws DatePatternException {
        this.name = regex.name();
        this.flags = regex.flags();
        this.compiled = PythonRegex.compile(regex.regex(), datePattern);
        this.datePattern = datePattern;
        this.regexText = regex.regex();
        this.anchoredAtStart = anchoredAtStart(regex.regex());
    }

    private static final Pattern LEADING_CARET = Pattern.compile("^(?:\\(\\?[a-zA-Z]+\\))?\\^");

    /**
     * True when the regex starts with {@code ^} (after inline flags) and has no top-level alternative: it can
     * only match at index 0, so {@code lookingAt} replaces a {@code find} that would try every index.
     */
    static boolean anchoredAtStart(String regex) {
        if (!LEADING_CARET.matcher(regex).find()) {
            return false;
        }
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
            } else if (c == '[') {
                inClass = true;
                if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
                    i++;
                } else if (i + 2 < regex.length() && regex.charAt(i + 1) == '^' && regex.charAt(i + 2) == ']') {
                    i += 2;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                return false;
            }
        }
        return true;
    }

    /** Python group names by Java group index. */
    /**
     * The last converted date is a Python int in fail2ban ({@link DateMatch#wholeSeconds}): it had a
     * zone of its own ({@code %z}, {@code %Z}), or it is TAI64N.
     */
    boolean zoned() {
        return false;
    }

    /** Converts with a zone when the date has none ({@code default_tz}); only datepattern templates do. */
    boolean takesDefaultZone() {
        return false;
    }

    /** fail2ban's {@code template.pattern} ({@code getattr(template, 'pattern', '')}): a datepattern's, else empty. */
    String pattern() {
        return "";
    }

    /** fail2ban's {@code template.regex}: the regex text as its {@code setRegex} made it. */
    String regexText() {
        return regexText;
    }

    final String[] groupNames() {
        return compiled.groupNames();
    }

    final Matcher matcher() {
        Matcher m = matcher;
        if (m == null) {
            m = compiled.pattern().matcher("");
            m.useTransparentBounds(true).useAnchoringBounds(false);
            matcher = m;
        }
        return m;
    }

    /**
     * Compiles the regex now and checks it has the date group: a template of a filter's datepattern
     * is checked when the filter is set up (the default templates' regexes compile on first use).
     */
    final void check() throws DatePatternException {
        compiled.check();
        if (compiled.groupNames().length < 2) {
            throw new DatePatternException(datePattern, "no group 1 in " + regexText);
        }
    }

    /** Start of group 1 of the last match, the date text. */
    final int dateStart() {
        return dateStart;
    }

    /** End of group 1 of the last match. */
    final int dateEnd() {
        return dateEnd;
    }

    /** Records a match found without the regex (a hand-written recognizer for a common form). */
    final void matchedWithoutRegex(int start, int end) {
        matchedWithoutRegex(start, start, end);
    }

    /** As above, when the whole match starts before the date text (a skipped line-begin prefix). */
    final void matchedWithoutRegex(int start, int textStart, int end) {
        hits++;
        matchStart = start;
        dateStart = textStart;
        matchEnd = dateEnd = end;
    }

    /**
     * After a {@link #matchDate} of a whole line from its start that matched: how many leading
     * characters decided it, when every line at least that long with the same leading characters
     * is known to get the same match; 0 when not known (a regex's match).
     */
    int repeatableReach() {
        return 0;
    }

    /** Counts the last match again, for a line {@link #repeatableReach()} says it holds for. */
    void repeatMatch() {
        throw new IllegalStateException("no repeatable match");
    }

    /** Python {@code regex.search(line, pos, endpos)}: the text ends at endpos, {@code ^} only at 0. */
    boolean matchDate(CharSequence line, int pos, int endpos) {
        int len = line.length();
        int end = Math.min(endpos, len);
        int start = Math.min(Math.max(pos, 0), len);
        if (end < start) {
            return false;
        }
        CharSequence text = end == len ? line : window.wrap(line, end);
        Matcher matcher = matcher();
        matcher.reset(text);
        matcher.region(start, end);
        if (anchoredAtStart ? start != 0 || !matcher.lookingAt() : !matcher.find()) {
            return false;
        }
        hits++;
        matchStart = matcher.start();
        matchEnd = matcher.end();
        dateStart = matcher.start(1);
        dateEnd = matcher.end(1);
        return true;
    }

    /** The regex at exactly {@code p} of the whole line ({@code lookingAt}, bounds transparent). */
    final boolean matchAt(CharSequence line, int p) {
        Matcher matcher = matcher();
        matcher.reset(line);
        matcher.region(p, line.length());
        if (!matcher.lookingAt()) {
            return false;
        }
        hits++;
        matchStart = matcher.start();
        matchEnd = matcher.end();
        dateStart = matcher.start(1);
        dateEnd = matcher.end(1);
        return true;
    }

    final boolean matchDate(CharSequence line) {
        return matchDate(line, 0, Integer.MAX_VALUE);
    }

    /** Converts the last match; {@link DateMatch#NO_TIME} when fail2ban's conversion raises. */
    abstract long epochMillis(CharSequence line, TimeContext context);

    /** Date text bounds of the last match (group 1 except where a template says otherwise). */
    int textStart() {
        return dateStart();
    }

    int textEnd() {
        return dateEnd();
    }

    /** Port of DateTemplate.setRegex (datetemplate.py). */
    static Regex setRegex(String regex, String name, int wordBegin, boolean wordEnd) {
        regex = regex.strip();
        String gf = null;
        Matcher g = RE_GLOBALFLAGS.matcher(regex);
        if (g.find()) {
            gf = g.group(1);
            regex = regex.substring(0, g.start()) + regex.substring(g.end());
        }
        boolean boundBegin = wordBegin != BEGIN_NONE && !RE_NO_WRD_BOUND_BEG.matcher(regex).find();
        boolean boundEnd = wordEnd && !RE_NO_WRD_BOUND_END.matcher(regex).find();
        if (!RE_GROUPED.matcher(regex).find()) {
            Matcher m = RE_GROUP.matcher(regex);
            if (m.matches()) {
                regex = m.group(1) + "(" + m.group(2) + ")" + m.group(3);
            }
        }
        int flags = 0;
        if (boundBegin) {
            if (wordBegin != BEGIN_LINE) {
                flags |= WORD_BEGIN;
                regex = "(?=^|\\b|\\W)" + regex;
            } else {
                flags |= LINE_BEGIN;
                regex = "^(?:\\W{0,2})?" + regex;
                if (!name.startsWith("{^LN-BEG}")) {
                    name = "{^LN-BEG}" + name;
                }
            }
        }
        if (boundEnd) {
            flags |= WORD_END;
            regex += "(?=\\b|\\W|$)";
        }
        if ((flags & LINE_BEGIN) == 0 && RE_LINE_BOUND_BEG.matcher(regex).find()) {
            flags |= LINE_BEGIN;
        }
        if ((flags & LINE_END) == 0 && RE_LINE_BOUND_END.matcher(regex).find()) {
            flags |= LINE_END;
        }
        Matcher d = RE_DEL_WRD_BOUNDS.matcher(regex);
        StringBuilder sb = new StringBuilder();
        while (d.find()) {
            d.appendReplacement(sb, Matcher.quoteReplacement(d.group().replace("**", "")));
        }
        d.appendTail(sb);
        regex = sb.toString();
        if (gf != null) {
            regex = gf + regex;
        }
        return new Regex(regex, flags, name);
    }

    /** A prefix of a line as a CharSequence, so that lookaheads and {@code $} stop at Python's endpos. */
    static final class LineWindow implements CharSequence {
        private CharSequence base;
        private int length;

        LineWindow wrap(CharSequence line, int end) {
            this.base = line;
            this.length = end;
            return this;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            if (index >= length) {
                throw new IndexOutOfBoundsException(index);
            }
            return base.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return base.subSequence(start, Math.min(end, length));
        }

        @Override
        public String toString() {
            return base.subSequence(0, length).toString();
        }
    }
}
