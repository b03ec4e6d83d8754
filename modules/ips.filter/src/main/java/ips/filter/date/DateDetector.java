package ips.filter.date;

import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the date in a log line exactly as fail2ban 1.0.2's {@code DateDetector} (datedetector.py) does:
 * the same templates in the same order, the same "try the last template at its last position first",
 * the same distance-collision rules and the same bubbling-up of templates that keep matching.
 *
 * <p>Single-threaded: one detector per scanning thread (its templates own their matchers).
 */
public final class DateDetector {

    /**
     * datedetector.py DateDetectorCache.DEFAULT_TEMPLATES, in order. Each gets a {@code {^LN-BEG}} copy
     * of weight 100 in front of the list (unless already line-anchored).
     */
    static final String[] DEFAULT_TEMPLATES = {
        // ISO 8601, simple date, optional subsecond and timezone: 2005-01-23T21:59:59.981746, 2005-01-23 21:59:59, 2005/01/23 21:59:59, 2006.12.21 06:43:20
        "%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\\s*%z)?",
        // asctime with optional day, subsecond and/or year: Sun Jan 23 21:59:59.011 2005, Aug 14 11:53:04
        "(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
        // asctime with optional day, subsecond and/or year coming after day: Sun Jan 23 2005 21:59:59.011
        "(?:%a )?%b %d %ExY %k:%M:%S(?:\\.%f)?",
        // simple date too (from x11vnc): 23/01/2005 21:59:59, 23/01/05 21:59:59, 17-07-2008 17:23:25
        "%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S",
        // Apache format optional time zone: [31/Oct/2006:09:22:55 -0000], 26-Jul-2007 15:20:52.252, 26-Jul-2007 15:20:52 +0200
        "%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\\.%f)?(?: %z)?",
        // CPanel 05/20/2008:01:57:39
        "%m/%d/%ExY:%H:%M:%S",
        // 01-27-2012 16:22:44.252
        "%m-%d-%ExY %k:%M:%S(?:\\.%f)?",
        // Epoch
        "EPOCH",
        // Only time information in the log
        "{^LN-BEG}%H:%M:%S",
        // <09/16/08@05:03:30>
        "^<%m/%d/%Exy@%H:%M:%S>",
        // MySQL: 130322 11:46:11
        "%Exy%Exm%Exd  ?%H:%M:%S",
        // Apache Tomcat: Jan 23, 2005 9:59:59 PM
        "%b %d, %ExY %I:%M:%S %p",
        // ASSP: Apr-27-13 02:33:06
        "^%b-%d-%Exy %k:%M:%S",
        // 20050123T215959, 20050123 215959, 20050123  85959
        "%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\\s*%z)?",
        // prefixed with optional named time zone (monit): PDT Apr 16 21:05:29
        "(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
        // +00:00 Jan 23 21:59:59.011 2005
        "(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
        // TAI64N
        "TAI64N",
    };

    /** {@link LineShape} bits each default template needs, by index in {@link #DEFAULT_TEMPLATES}. */
    private static final int[] DEFAULT_NEEDS = {
        LineShape.TIME | LineShape.YEAR_SEP, // %ExY(?P<_sep>[-/.])...%H:%M:%S
        LineShape.SPACE_TIME, LineShape.SPACE_TIME, // %b %d %k:%M:%S, %b %d %ExY %k:%M:%S
        LineShape.SPACE_TIME | LineShape.DIGIT_SEP_DIGIT, // %d(?P<_sep>[-/])%m(?P=_sep)... %k:%M:%S
        LineShape.TIME, // %d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S
        LineShape.TIME | LineShape.DIGIT_SEP_DIGIT, // %m/%d/%ExY:%H:%M:%S
        LineShape.SPACE_TIME | LineShape.DIGIT_SEP_DIGIT, // %m-%d-%ExY %k:%M:%S
        LineShape.DIGITS_10, // EPOCH
        LineShape.TIME, // {^LN-BEG}%H:%M:%S
        LineShape.TIME | LineShape.DIGIT_SEP_DIGIT, // ^<%m/%d/%Exy@%H:%M:%S>
        LineShape.SPACE_TIME | LineShape.DIGITS_6, // %Exy%Exm%Exd  ?%H:%M:%S
        LineShape.SPACE_TIME, // %b %d, %ExY %I:%M:%S %p
        LineShape.SPACE_TIME, // ^%b-%d-%Exy %k:%M:%S
        LineShape.DIGITS_8, // %ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS
        LineShape.SPACE_TIME, LineShape.SPACE_TIME, // (?:%Z )?... and (?:%z )?(?:%a )?%b %d %k:%M:%S
        LineShape.TAI64N,
    };

    /**
     * Time fields of a plain datepattern (no regex syntax) that make it need {@link LineShape#TIME}: each is a
     * field ending in a digit, a 1-2 digit minute and a field starting with a digit, separated by colons.
     */
    private static final String[] TIME_FIELDS = {"%H:%M:%S", "%k:%M:%S", "%I:%M:%S", "%l:%M:%S", "%ExH:%ExM:%ExS", "%X"};

    private static final Pattern RE_DATE_PREMATCH = Pattern.compile("(?<!\\\\)\\{DATE\\}", Pattern.CASE_INSENSITIVE);
    private static final Pattern RE_EXSANC_BOUND_BEG = Pattern.compile("^\\((?:\\?:)?\\^\\|\\\\b\\|\\\\W\\)");
    private static final Pattern RE_EXEANC_BOUND_END = Pattern.compile("\\(\\?=\\\\b\\|\\\\W\\|\\$\\)$");
    /** time the template was long unused (datedetector.py __unusedTime), in seconds. */
    private static final double UNUSED_TIME = 300;

    /** fail2ban's DateDetectorTemplate: per-detector hits, last use and distance of a template. */
    private static final class Slot {
        final DateTemplate template;
        long hits;
        double lastUsed;
        int distance = 0x7fffffff;
        /** A custom template that is, in fail2ban, one of the default templates' line-anchored copies. */
        boolean sharesAnchoredDefault;

        Slot(DateTemplate template) {
            this.template = template;
        }

        double weight() {
            return hits * template.weight / Math.max(1, distance);
        }
    }

    private final List<Slot> templates = new ArrayList<>();
    private final Set<String> knownNames = new HashSet<>();
    private final TimeContext time;

    // last known distance (bypass one char collision) and end position; chars are -1 for Python's ''
    private int lastPos = 1;
    private int lastPosBefore = -2; // None
    private int lastPosAt = -2;
    private int lastEndPos = 0x7fffffff;
    private int lastEndBefore = -2;
    private int lastEndAt = -2;
    private int lastTemplIdx = 0x7fffffff;
    /** {@link #repeatable()}; with the last answer's time and the "now" it was converted at. */
    private int repeatable;
    /** {@link DateMatch#wholeSeconds} of the repeatable answer. */
    private boolean repeatWhole;
    /** {@link #zoneGiven}. */
    private boolean explicitZone;
    private long repeatEpoch;
    private long repeatNow;
    private int firstUnused;

    /** {@link LineShape} of the current line, or -1 while not yet scanned. */
    private int shape;
    private long searches;
    private long skipped;
    /** The default templates' cache (with its weight-100 line-anchored copies) was used. */
    private boolean defaultsCached;

    private DateDetector(ZoneRules tz, LongSupplier nowMillis) {
        this.time = new TimeContext(Objects.requireNonNull(tz, "tz"), Objects.requireNonNull(nowMillis, "nowMillis"));
    }

    /** Every fail2ban default template in fail2ban's order (a filter without {@code datepattern}). */
    public static DateDetector defaults(ZoneRules tz, LongSupplier nowMillis) {
        DateDetector dd = new DateDetector(tz, nowMillis);
        try {
            dd.addDefaultTemplates(null, null, true);
        } catch (DatePatternException e) {
            throw new IllegalStateException("default date templates must compile", e);
        }
        return dd;
    }

    /**
     * A filter's {@code datepattern}: one template per non-blank line, as filter.py's setDatePattern.
     * Besides strptime-like patterns this knows fail2ban's keys {@code {DEFAULT}}, {@code {^LN-BEG}}
     * (the line-anchored defaults), {@code ...{DATE}...} (defaults wrapped in a pre-match), {@code {NONE}},
     * {@code {UNB}}, {@code EPOCH}, {@code LEPOCH}, {@code {EPOCH}}/{@code {LEPOCH}} inside a pattern and
     * {@code TAI64N}, each optionally anchored with {@code {^LN-BEG}} or {@code ^}. An empty pattern means
     * the defaults.
     */
    public static DateDetector forPattern(String datepattern, ZoneRules tz, LongSupplier nowMillis)
            throws DatePatternException {
        DateDetector dd = new DateDetector(tz, nowMillis);
        for (String line : datepattern.split("\n+")) {
            String p = line.strip();
            if (!p.isEmpty()) {
                dd.appendTemplate(p);
            }
        }
        if (dd.templates.isEmpty()) {
            dd.addDefaultTemplates(null, null, true);
        }
        if (dd.defaultsCached) {
            // fail2ban caches templates by key, process-wide: a custom {^LN-BEG}EPOCH (say) is the very
            // object the default templates' cache takes as its line-anchored Epoch, whose weight it
            // raises to 100 (datedetector.py _getAnchoredTemplate, _cacheTemplate); so it ranks as
            // that copy does when templates bubble up
            for (Slot s : dd.templates) {
                if (s.sharesAnchoredDefault) {
                    s.template.weight = 100.0;
                }
            }
        }
        return dd;
    }

    /** The cache keys of the default templates' line-anchored copies (_getAnchoredTemplate). */
    private static final java.util.Set<String> ANCHORED_DEFAULT_KEYS = anchoredDefaultKeys();

    private static java.util.Set<String> anchoredDefaultKeys() {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String p : DEFAULT_TEMPLATES) {
            if (p.startsWith("{^LN-BEG}") || p.startsWith("^")) {
                continue;
            }
            // EPOCH and TAI64N are wrapped by their names (Epoch, TAI64N), the others by their pattern
            String wrapped = "{^LN-BEG}" + (p.equals("EPOCH") ? "Epoch" : p);
            keys.add(wrapped.indexOf('%') >= 0 ? wrapped : wrapped.toUpperCase(Locale.ROOT));
        }
        return java.util.Set.copyOf(keys);
    }

    /**
     * Checks a filter's {@code datepattern} as {@link #forPattern} reads it, throwing what it would
     * throw. A pattern that only names fail2ban's default templates ({@code {^LN-BEG}}, as
     * common.conf sets for every file-log filter, or {@code {DEFAULT}}) cannot fail and builds
     * nothing here: the daemon checks every filter before it starts, and building the templates
     * (compiling their regexes) was a third of the start-up's filter compile. Any other pattern is
     * built, and thrown away.
     */
    public static void check(String datepattern) throws DatePatternException {
        if (!namesOnlyDefaults(datepattern)) {
            forPattern(datepattern, java.time.ZoneOffset.UTC.getRules(), () -> 0L);
        }
    }

    /** One line holding {@code {^LN-BEG}} or {@code {DEFAULT}}, compared as {@link #appendTemplate} does. */
    static boolean namesOnlyDefaults(String datepattern) {
        String p = datepattern.strip();
        if (p.indexOf('\n') >= 0 || p.indexOf('%') >= 0) {
            return false;
        }
        String key = p.toUpperCase(Locale.ROOT);
        return key.equals("{^LN-BEG}") || key.equals("{DEFAULT}");
    }

    /**
     * fail2ban's {@code Filter.getDatePattern()[1]}: the template's name when the detector has one
     * or two templates, else (none yet, or the default ones) {@code "Default Detectors"}.
     */
    public String patternName() {
        return templates.isEmpty() || templates.size() > 2 ? "Default Detectors" : templates.get(0).template.name;
    }

    /**
     * fail2ban-regex's "Date template hits": {@code "[hits] name"} of each template that matched,
     * in the detector's current order.
     */
    public List<String> templateHits() {
        return templateHits(false);
    }

    /** {@link #templateHits()}, with {@code all} also the templates that never matched (fail2ban-regex {@code -v}). */
    public List<String> templateHits(boolean all) {
        return templateHits(all, false);
    }

    /**
     * {@link #templateHits(boolean)}, with {@code verboseDate} each template followed by its weight
     * (this detector's, then the template's own), its datepattern and its regex, as fail2ban-regex's
     * {@code --verbose-date} prints them.
     */
    public List<String> templateHits(boolean all, boolean verboseDate) {
        List<String> out = new ArrayList<>();
        for (Slot s : templates) {
            if (all || s.hits != 0) {
                out.add("[" + s.hits + "] " + s.template.name);
                if (verboseDate) {
                    out.add("    # weight: " + threeDecimals(s.weight()) + " (" + threeDecimals(s.template.weight)
                            + "), pattern: " + s.template.pattern());
                    out.add("    # regex:   " + s.template.regexText());
                }
            }
        }
        return out;
    }

    /** Python's {@code "%.3f" % v}: the exact binary value rounded half to even, as C's printf does. */
    static String threeDecimals(double v) {
        return new java.math.BigDecimal(v).setScale(3, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Names of the templates in their current order (fail2ban's template.name), for diagnostics. */
    public List<String> templateNames() {
        List<String> names = new ArrayList<>(templates.size());
        for (Slot s : templates) {
            names.add(s.template.name);
        }
        return names;
    }

    // ------------------------------------------------------------------ construction

    private void appendTemplate(String pattern) throws DatePatternException {
        String key = pattern.indexOf('%') >= 0 ? pattern : pattern.toUpperCase(Locale.ROOT);
        DateTemplate template;
        if (key.equals("{^LN-BEG}") || key.equals("{DEFAULT}")) {
            addDefaultTemplates(key.equals("{^LN-BEG}") ? t -> (t.flags & DateTemplate.LINE_BEGIN) != 0 : null, null, true);
            return;
        } else if (key.contains("{DATE}")) {
            addDefaultTemplates(null, pattern, false);
            return;
        } else if (key.equals("{NONE}")) {
            template = patternTemplate("{UNB}^", "{NONE}");
        } else {
            template = patternTemplate(pattern, key);
        }
        template.check(); // the filter's own pattern: its errors are the configuration's
        appendSlot(template, false, pattern);
        if (ANCHORED_DEFAULT_KEYS.contains(key)) {
            templates.get(templates.size() - 1).sharesAnchoredDefault = true;
        }
    }

    private void appendSlot(DateTemplate template, boolean ignoreDup, String pattern) throws DatePatternException {
        if (!knownNames.add(template.name)) {
            if (ignoreDup) {
                return;
            }
            throw new DatePatternException(pattern, "there is already a template with name " + template.name);
        }
        templates.add(new Slot(template));
    }

    /** datedetector.py addDefaultTemplate(filterTemplate, preMatch, allDefaults). */
    private void addDefaultTemplates(Predicate<DateTemplate> filter, String preMatch, boolean allDefaults)
            throws DatePatternException {
        boolean ignoreDup = !templates.isEmpty();
        defaultsCached |= allDefaults;
        List<DateTemplate> list = allDefaults ? cachedDefaults() : defaultTemplates();
        for (DateTemplate template : list) {
            if (filter != null && !filter.test(template)) {
                continue;
            }
            if (preMatch != null) {
                template = anchored(template, s -> RE_DATE_PREMATCH.matcher(preMatch)
                        .replaceAll(Matcher.quoteReplacement(unboundPattern(s))));
                template.check();
            }
            appendSlot(template, ignoreDup, preMatch != null ? preMatch : template.name);
        }
    }

    /** DateDetectorCache.defaultTemplates: the 17 templates, fresh instances. */
    private static List<DateTemplate> defaultTemplates() throws DatePatternException {
        List<DateTemplate> list = new ArrayList<>(DEFAULT_TEMPLATES.length);
        for (int i = 0; i < DEFAULT_TEMPLATES.length; i++) {
            DateTemplate t = patternTemplate(DEFAULT_TEMPLATES[i], null);
            t.needs = DEFAULT_NEEDS[i];
            list.add(t);
        }
        return list;
    }

    /** DateDetectorCache.templates: line-anchored copies (weight 100) first, then the 17 templates. */
    private static List<DateTemplate> cachedDefaults() throws DatePatternException {
        List<DateTemplate> anchored = new ArrayList<>();
        List<DateTemplate> plain = new ArrayList<>();
        for (DateTemplate t : defaultTemplates()) {
            String name = t.name;
            if (!name.startsWith("{^LN-BEG}") && !name.startsWith("^")) {
                DateTemplate t2 = anchored(t, s -> "{^LN-BEG}" + s);
                if (!t2.name.equals(name)) {
                    t2.weight = 100.0;
                    t2.needs = t.needs;
                    anchored.add(t2);
                }
            }
            plain.add(t);
        }
        anchored.addAll(plain);
        return anchored;
    }

    /** datedetector.py _getAnchoredTemplate: wraps the pattern (or, for EPOCH/TAI64N, the name). */
    private static DateTemplate anchored(DateTemplate t, java.util.function.UnaryOperator<String> wrap)
            throws DatePatternException {
        if (t instanceof PatternTemplate pt) {
            return patternTemplate(wrap.apply(pt.pattern), null);
        }
        return patternTemplate(wrap.apply(t.name), null);
    }

    /** DateTemplate.unboundPattern. */
    private static String unboundPattern(String pattern) {
        String p = pattern;
        if (p.startsWith("{UNB}")) {
            p = p.substring(5);
        }
        if (p.startsWith("{^LN-BEG}")) {
            p = p.substring(9);
        }
        p = RE_EXSANC_BOUND_BEG.matcher(p).replaceFirst("");
        return RE_EXEANC_BOUND_END.matcher(p).replaceFirst("");
    }

    /** datedetector.py _getPatternTemplate(pattern, key). */
    static DateTemplate patternTemplate(String pattern, String key) throws DatePatternException {
        if (key == null) {
            key = pattern.indexOf('%') >= 0 ? pattern : pattern.toUpperCase(Locale.ROOT);
        }
        if (key.contains("EPOCH")) {
            if (EpochTemplate.RE_EPOCH_PATTERN.matcher(pattern).find()) {
                return EpochTemplate.ofPattern(pattern, key.contains("LEPOCH"));
            }
            switch (key) {
                case "EPOCH", "{^LN-BEG}EPOCH", "^EPOCH" -> {
                    return needing(EpochTemplate.of(!key.equals("EPOCH"), false), LineShape.DIGITS_10);
                }
                case "LEPOCH", "{^LN-BEG}LEPOCH", "^LEPOCH" -> {
                    return needing(EpochTemplate.of(!key.equals("LEPOCH"), true), LineShape.DIGITS_10);
                }
                default -> {
                }
            }
        }
        switch (key) {
            case "TAI64N", "{^LN-BEG}TAI64N", "^TAI64N" -> {
                return needing(Tai64nTemplate.of(!key.equals("TAI64N")), LineShape.TAI64N);
            }
            default -> {
                return needing(PatternTemplate.of(pattern), plainPatternNeeds(pattern));
            }
        }
    }

    private static DateTemplate needing(DateTemplate t, int needs) {
        t.needs = needs;
        return t;
    }

    /**
     * {@link LineShape#TIME} for a datepattern that is a plain sequence of fields and literal text (after an
     * optional {@code {UNB}}, {@code {^LN-BEG}} or {@code ^}, nothing a regex reads as syntax, so every part
     * is required) holding one of {@link #TIME_FIELDS}; else 0.
     */
    static int plainPatternNeeds(String pattern) {
        String p = pattern;
        for (String prefix : new String[] {"{UNB}", "{^LN-BEG}", "^"}) {
            if (p.startsWith(prefix)) {
                p = p.substring(prefix.length());
            }
        }
        if (p.endsWith("$")) {
            p = p.substring(0, p.length() - 1);
        }
        for (int i = 0; i < p.length(); i++) {
            if ("\\|()[]{}?*+^$.".indexOf(p.charAt(i)) >= 0) {
                return 0;
            }
        }
        if (p.contains("%%")) {
            return 0;
        }
        for (String f : TIME_FIELDS) {
            if (p.contains(f)) {
                return LineShape.TIME;
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ matching

    /**
     * Finds the date in the line (datedetector.py matchTime + getTime). Returns false when no template
     * matches. On true, {@code out} holds the date text bounds and the time; the time is
     * {@link DateMatch#NO_TIME} when the text does not convert, and also when the text is empty
     * ({@code {NONE}}), which fail2ban's filter does not convert either.
     */
    public boolean find(CharSequence line, DateMatch out) {
        repeatable = 0;
        Slot slot = matchTime(line);
        if (slot == null) {
            return false;
        }
        DateTemplate t = slot.template;
        out.start = t.textStart();
        out.end = t.textEnd();
        out.epochMillis = out.end > out.start ? t.epochMillis(line, time) : DateMatch.NO_TIME;
        out.wholeSeconds = t.zoned() || (explicitZone && t.takesDefaultZone());
        if ((t.flags & DateTemplate.LINE_BEGIN) != 0 && slot == templates.get(lastTemplIdx)) {
            // the next line tries this template first, from its start: a line that begins as this
            // one did gets the same match (repeat)
            repeatable = t.repeatableReach();
            repeatEpoch = out.epochMillis;
            repeatWhole = out.wholeSeconds;
            repeatNow = time.nowMillis();
        }
        return true;
    }

    /**
     * The zone this detector was given is the log's own (fail2ban's {@code logtimezone}, or
     * fail2ban-regex's {@code --timezone}), not the host's: see {@link DateMatch#wholeSeconds}.
     */
    public DateDetector zoneGiven() {
        explicitZone = true;
        return this;
    }

    /**
     * After {@link #find} returned true: a number of leading characters such that {@link #repeat}
     * gives the next line exactly the answer {@code find} would, when that line is at least that
     * long and begins with the same characters as the line just dated; 0 when there is none (the
     * next line needs {@code find}). Holds again after each {@code repeat}.
     */
    public int repeatable() {
        return repeatable;
    }

    /**
     * {@link #find} of a line that begins with the first {@link #repeatable()} characters of the
     * line dated last (and is at least that long), without reading it: fail2ban tries the last
     * template first, from the line start, and it decides on those characters alone, so the match,
     * the hit counts and the detector's state are what {@code find} would leave. The time is
     * converted again only when "now" moved (year-less dates are resolved against it).
     */
    public boolean repeat(CharSequence line, DateMatch out) {
        if (repeatable <= 0) {
            throw new IllegalStateException("the last answer is not repeatable");
        }
        time.tick();
        shape = -1;
        int i = lastTemplIdx;
        Slot slot = templates.get(i);
        DateTemplate t = slot.template;
        searches++;
        t.repeatMatch();
        // matchTime's bookkeeping for a first-try match at the last place (no reordering: i is the last index)
        slot.hits++;
        slot.lastUsed = time.nowMillis() / 1000.0;
        slot.distance = lastPos;
        if (firstUnused == i) {
            firstUnused++;
        }
        out.start = t.textStart();
        out.end = t.textEnd();
        out.wholeSeconds = repeatWhole; // the same characters decide it
        if (out.end <= out.start) {
            out.epochMillis = DateMatch.NO_TIME;
        } else if (time.nowMillis() == repeatNow) {
            out.epochMillis = repeatEpoch;
        } else {
            out.epochMillis = repeatEpoch = t.epochMillis(line, time);
            repeatNow = time.nowMillis();
        }
        return true;
    }

    private Slot matchTime(CharSequence line) {
        time.tick();
        shape = -1;
        if (templates.isEmpty()) {
            try {
                addDefaultTemplates(null, null, true);
            } catch (DatePatternException e) {
                throw new IllegalStateException(e);
            }
        }
        int count = templates.size();
        boolean match = false;
        Slot found = null;
        int foundDistance = 0x7fffffff;
        int foundEnd = 0x7fffffff;
        int foundIdx = -1;
        int ignoreBySearch = 0x7fffffff;
        int i = lastTemplIdx;
        Slot slot = null;
        DateTemplate template = null;
        int distance = 0;
        int endpos = 0;
        if (i < count) {
            slot = templates.get(i);
            template = slot.template;
            if ((template.flags & (DateTemplate.LINE_BEGIN | DateTemplate.LINE_END)) != 0) {
                match = (template.flags & DateTemplate.LINE_BEGIN) != 0 ? search(template, line, 0, Integer.MAX_VALUE)
                        : search(template, line);
                ignoreBySearch = i;
            } else {
                int d = lastPos;
                int e = lastEndPos;
                if ((sliceChar(line, d - 1) == lastPosBefore
                        || (sliceChar(line, d) == lastPosAt && !isAlnum(lastPosAt)))
                        && (sliceChar(line, e) == lastEndAt
                        || (sliceChar(line, e - 1) == lastEndBefore && !isAlnum(lastEndBefore)))) {
                    match = search(template, line, d, e);
                } else {
                    match = search(template, line);
                    ignoreBySearch = i;
                }
            }
            if (match) {
                distance = template.matchStart;
                endpos = template.matchEnd;
                if (!(count == 1
                        || (template.flags & (DateTemplate.LINE_BEGIN | DateTemplate.LINE_END)) != 0
                        || (distance == lastPos && endpos == lastEndPos))) {
                    found = slot;
                    foundDistance = distance;
                    foundEnd = endpos;
                    foundIdx = i;
                    match = false;
                }
            }
        }
        if (!match) {
            i = 0;
            for (int k = 0; k < count; k++) {
                i = k;
                if (k == ignoreBySearch) {
                    continue;
                }
                slot = templates.get(k);
                template = slot.template;
                match = search(template, line);
                if (match) {
                    distance = template.matchStart;
                    endpos = template.matchEnd;
                    if (k + 1 >= count) {
                        break;
                    }
                    if ((template.flags & (DateTemplate.LINE_BEGIN | DateTemplate.LINE_END)) != 0) {
                        break;
                    }
                    if ((distance == 0 && slot.hits != 0) && templates.get(k + 1).template.hits == 0) {
                        break;
                    }
                    if (distance > slot.distance || distance > lastPos) {
                        if (distance < foundDistance) {
                            found = slot;
                            foundDistance = distance;
                            foundEnd = endpos;
                            foundIdx = k;
                        }
                        match = false;
                        continue;
                    }
                    break;
                }
            }
            if (!match && found != null) {
                // the matcher of the reserved template was not used since: its state is still that match
                match = true;
                slot = found;
                template = found.template;
                distance = foundDistance;
                endpos = foundEnd;
                i = foundIdx;
                if (template.matchStart != distance || template.matchEnd != endpos) {
                    template.matchDate(line, distance, endpos);
                }
            }
        }
        if (!match) {
            return null;
        }
        slot.hits++;
        slot.lastUsed = time.nowMillis() / 1000.0;
        slot.distance = distance;
        if (firstUnused == i) {
            firstUnused++;
        }
        lastPos = distance;
        lastPosBefore = sliceChar(line, distance - 1);
        lastPosAt = distance < line.length() ? line.charAt(distance) : -1;
        lastEndPos = endpos;
        lastEndBefore = endpos - 1 >= 0 ? line.charAt(endpos - 1) : (line.length() > 0 ? line.charAt(line.length() - 1) : -1);
        lastEndAt = sliceChar(line, endpos);
        if (i != 0 && i != lastTemplIdx) {
            i = reorderTemplate(i);
        }
        lastTemplIdx = i;
        return slot;
    }

    /**
     * A template's search of the whole line, skipped (as a miss) when the line lacks what the template
     * needs: the regex could not match, so the answer is the same.
     */
    private boolean search(DateTemplate template, CharSequence line) {
        if (template.needs != 0) {
            if (shape < 0) {
                shape = LineShape.of(line);
            }
            if ((template.needs & ~shape) != 0) {
                skipped++;
                return false;
            }
        }
        searches++;
        return template.matchDate(line);
    }

    /**
     * A search within {@code [pos, endpos)} (Python's {@code search(line, pos, endpos)}), not checked against
     * the line's shape: a line-begin template or the last template at its last place, tried first on every line.
     */
    private boolean search(DateTemplate template, CharSequence line, int pos, int endpos) {
        searches++;
        return template.matchDate(line, pos, endpos);
    }

    /** Drops every template's line-shape precondition (tests compare the answers with and without them). */
    void searchEveryTemplate() {
        for (Slot s : templates) {
            s.template.needs = 0;
        }
    }

    /** Template searches run (regex or hand-written recogniser), since this detector was made. */
    public long searches() {
        return searches;
    }

    /** Template searches skipped because the line lacked the digits, colons or {@code @} the template needs. */
    public long skippedSearches() {
        return skipped;
    }

    /** datedetector.py _reorderTemplate: bubble a template up if its weight grows enough. */
    private int reorderTemplate(int num) {
        if (num == 0) {
            return num;
        }
        Slot slot = templates.get(num);
        double untime = slot.lastUsed - UNUSED_TIME;
        double weight = slot.weight();
        int pos = firstUnused < num ? firstUnused : num / 2;
        if (!moveable(pos, weight, untime)) {
            if (pos == num - 1) {
                return num;
            }
            pos = num - 1;
            if (!moveable(pos, weight, untime)) {
                return num;
            }
        }
        templates.remove(num);
        templates.add(pos, slot);
        while (firstUnused < templates.size() && templates.get(firstUnused).hits != 0) {
            firstUnused++;
        }
        return pos;
    }

    private boolean moveable(int pos, double weight, double untime) {
        Slot other = templates.get(pos);
        return weight > other.weight() || untime > other.lastUsed;
    }

    /** Python {@code line[i:i+1]} as a char, -1 for ''. */
    private static int sliceChar(CharSequence line, int i) {
        return i >= 0 && i < line.length() ? line.charAt(i) : -1;
    }

    /** Python str.isalnum() of one char (letters, digits and other numerics). */
    private static boolean isAlnum(int c) {
        if (c < 0) {
            return false;
        }
        if (c < 0x80) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        int type = Character.getType(c);
        return Character.isLetterOrDigit(c) || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }
}
