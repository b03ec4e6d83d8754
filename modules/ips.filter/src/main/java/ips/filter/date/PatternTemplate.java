package ips.filter.date;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fail2ban's {@code DatePatternRegex}: a {@code datepattern} with strptime-like {@code %} fields (strptime.py
 * {@code timeRE}, including fail2ban's {@code %Ex*}, {@code %k}, {@code %l}, {@code %z}, {@code %Z}) turned
 * into a regex, and the named groups of a match turned into a time as {@code reGroupDictStrptime} does.
 */
final class PatternTemplate extends DateTemplate {

    private static final Pattern RE_EXLINE_NO_BOUNDS = Pattern.compile("^\\{UNB\\}");
    private static final Pattern RE_EXLINE_BOUND_BEG = Pattern.compile("^\\{\\^LN-BEG\\}");
    private static final Pattern RE_ALPHA_PATTERN = Pattern.compile("(?<!%)%[aAbBpc]");

    private static final String TZ_ABBR_RE = "[A-Z](?:[A-Z]{2,4})?";
    /** Multi-letter keys first, in the order of strptime.getTimePatternRE's alternation. */
    private static final String[] LONG_KEYS = {"ExZ", "Exz", "Exd", "Exm", "ExH", "Exk", "Exl", "ExM", "ExS", "ExY", "Exy"};
    private static final String SINGLE_KEYS = "dfHIGjmMSUwuVyYzAaBbpZ%WcxXkl";

    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    private static final String[] FULL_MONTHS = {"january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december"};
    private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    private static final String[] FULL_DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

    private static final Map<String, String> TIME_RE = Map.ofEntries(
            Map.entry("%", "%"),
            Map.entry("A", "(?P<A>wednesday|thursday|saturday|tuesday|monday|friday|sunday)"),
            Map.entry("B", "(?P<B>september|february|november|december|january|october|august|march|april|june|july|may)"),
            Map.entry("ExH", "(?P<H>[0-1]\\d|2[0-3])"),
            Map.entry("ExM", "(?P<M>[0-5]\\d)"),
            Map.entry("ExS", "(?P<S>[0-5]\\d|6[0-1])"),
            Map.entry("ExZ", "(?P<Z>" + TZ_ABBR_RE + ")"),
            Map.entry("Exd", "(?P<d>[1-2]\\d|0[1-9]|3[0-1])"),
            Map.entry("Exk", " ?(?P<H>[0-1]?\\d|2[0-3])"),
            Map.entry("Exl", " ?(?P<I>1[0-2]|\\d)"),
            Map.entry("Exm", "(?P<m>0[1-9]|1[0-2])"),
            Map.entry("Exy", "(?P<y>\\d{2})"),
            Map.entry("ExY", "(?P<Y>" + centuries(java.time.Year.now(java.time.ZoneOffset.UTC).getValue()) + "\\d)"),
            Map.entry("Exz", "(?P<z>(?:" + TZ_ABBR_RE + ")?[+-][01]\\d(?::?\\d{2})?|" + TZ_ABBR_RE + ")"),
            Map.entry("G", "(?P<G>\\d\\d\\d\\d)"),
            Map.entry("H", "(?P<H>[0-1]?\\d|2[0-3])"),
            Map.entry("I", "(?P<I>1[0-2]|0[1-9]|[1-9])"),
            Map.entry("M", "(?P<M>[0-5]?\\d)"),
            Map.entry("S", "(?P<S>[0-5]?\\d|6[0-1])"),
            Map.entry("U", "(?P<U>5[0-3]|[0-4]\\d|\\d)"),
            Map.entry("V", "(?P<V>5[0-3]|0[1-9]|[1-4]\\d|\\d)"),
            Map.entry("W", "(?P<W>5[0-3]|[0-4]\\d|\\d)"),
            Map.entry("X", "(?P<H>2[0-3]|[0-1]\\d|\\d):(?P<M>[0-5]\\d|\\d):(?P<S>6[0-1]|[0-5]\\d|\\d)"),
            Map.entry("Y", "(?P<Y>\\d{4})"),
            Map.entry("Z", "(?P<Z>Z|[A-Z]{3,5})"),
            Map.entry("a", "(?P<a>mon|tue|wed|thu|fri|sat|sun)"),
            Map.entry("b", "(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"),
            Map.entry("c", "(?P<a>mon|tue|wed|thu|fri|sat|sun)\\s+(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                    + "\\s+(?P<d>3[0-1]|[1-2]\\d|0[1-9]|[1-9]| [1-9])\\s+(?P<H>2[0-3]|[0-1]\\d|\\d):(?P<M>[0-5]\\d|\\d)"
                    + ":(?P<S>6[0-1]|[0-5]\\d|\\d)\\s+(?P<Y>\\d\\d\\d\\d)"),
            Map.entry("d", "(?P<d>[1-2]\\d|[0 ]?[1-9]|3[0-1])"),
            Map.entry("f", "(?P<f>[0-9]{1,6})"),
            Map.entry("j", "(?P<j>36[0-6]|3[0-5]\\d|[1-2]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])"),
            Map.entry("k", " ?(?P<H>[0-2]?\\d)"),
            Map.entry("l", " ?(?P<I>1?\\d)"),
            Map.entry("m", "(?P<m>0?[1-9]|1[0-2])"),
            Map.entry("p", "(?P<p>am|pm)"),
            Map.entry("u", "(?P<u>[1-7])"),
            Map.entry("w", "(?P<w>[0-6])"),
            Map.entry("x", "(?P<m>1[0-2]|0[1-9]|[1-9])/(?P<d>3[0-1]|[1-2]\\d|0[1-9]|[1-9]| [1-9])/(?P<y>\\d\\d)"),
            Map.entry("y", "(?P<y>\\d\\d)"),
            Map.entry("z", "(?P<z>Z|UTC|GMT|[+-][01]\\d(?::?\\d{2})?)"));

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("a", "DAY"), Map.entry("A", "DAYNAME"), Map.entry("b", "MON"), Map.entry("B", "MONTH"),
            Map.entry("d", "Day"), Map.entry("H", "24hour"), Map.entry("I", "12hour"), Map.entry("j", "Yearday"),
            Map.entry("m", "Month"), Map.entry("M", "Minute"), Map.entry("p", "AMPM"), Map.entry("S", "Second"),
            Map.entry("U", "Yearweek"), Map.entry("w", "Weekday"), Map.entry("W", "Yearweek"), Map.entry("y", "Year2"),
            Map.entry("Y", "Year"), Map.entry("%", "%"), Map.entry("z", "Zone offset"), Map.entry("f", "Microseconds"),
            Map.entry("Z", "Zone name"), Map.entry("Exy", "ExYear2"), Map.entry("V", "%V"), Map.entry("ExH", "Ex24hour"),
            Map.entry("ExY", "ExYear"), Map.entry("c", "%c"), Map.entry("Exk", "%Exk"), Map.entry("Exl", "%Exl"),
            Map.entry("l", "%l"), Map.entry("ExM", "ExMinute"), Map.entry("X", "%X"), Map.entry("Exd", "ExDay"),
            Map.entry("ExS", "ExSecond"), Map.entry("G", "%G"), Map.entry("Exm", "ExMonth"), Map.entry("x", "%x"),
            Map.entry("ExZ", "ExZone name"), Map.entry("u", "%u"), Map.entry("Exz", "ExZone offset"), Map.entry("k", "%k"));

    // field kinds, by Java group index
    private static final byte F_NONE = 0;
    private static final byte F_y = 1;
    private static final byte F_Y = 2;
    private static final byte F_m = 3;
    private static final byte F_B = 4;
    private static final byte F_b = 5;
    private static final byte F_d = 6;
    private static final byte F_H = 7;
    private static final byte F_I = 8;
    private static final byte F_M = 9;
    private static final byte F_S = 10;
    private static final byte F_A = 11;
    private static final byte F_a = 12;
    private static final byte F_w = 13;
    private static final byte F_j = 14;
    private static final byte F_U = 15;
    private static final byte F_W = 16;
    private static final byte F_z = 17;

    /** The datepattern as written (fail2ban's template.pattern). */
    final String pattern;
    private byte[] fieldKinds;

    @Override
    String pattern() {
        return pattern;
    }

    @Override
    boolean zoned() {
        return fields.tzOffsetMinutes != Strptime.NONE;
    }

    @Override
    boolean takesDefaultZone() {
        return true;
    }

    private int ampmGroup;
    private final Strptime fields = new Strptime();

    /** The line-anchored asctime default, {@code Aug 14 11:53:04 host ...}: recognised by hand when possible. */
    static final String ANCHORED_ASCTIME = "{^LN-BEG}(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?";

    /** The line-anchored ISO-like default, {@code 2005-01-23 21:59:59,000 ...}, {@code 2005/01/23T21:59:59}. */
    static final String ANCHORED_ISO = "{^LN-BEG}%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\\s*%z)?";
    /** The Apache access-log default, {@code [14/Nov/2023:20:56:48 +0100]}, met again at the same place of each line. */
    static final String APACHE = "%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\\.%f)?(?: %z)?";

    private static final boolean[] CENTURY = centuryTable();

    private static boolean[] centuryTable() {
        boolean[] table = new boolean[1000];
        for (String c : centuryList(java.time.Year.now(java.time.ZoneOffset.UTC).getValue())) {
            table[Integer.parseInt(c)] = true;
        }
        return table;
    }

    private final boolean asctimeFast;
    private final boolean isoFast;
    private final boolean apacheFast;
    private int fastYear;
    private int fastZone;
    private int fastTextStart;
    /** The last match came from {@link #asctime}; its fields are below, not in the matcher. */
    private boolean fast;
    /**
     * After a recogniser's match of a whole line from its start: how many leading characters decided
     * it (every character it read, and every bound it compared the line's length with, lies below);
     * 0 otherwise. See {@link #repeatableReach()}.
     */
    private int fastReach;
    private int fastMonth;
    private int fastDay;
    private int fastHour;
    private int fastMinute;
    private int fastSecond;
    /**
     * The characters the hand-written recognisers read, copied out of the line in one call: they
     * read at most 34 characters from where they start (asctime's {@code \W{0,2}}, day, date,
     * fraction, year and the char after it), so reading them from an array spares one interface
     * call per character ({@code CharSequence.charAt}, not inlined in C1 code). Their reads are
     * bounded by the line's length, as before; characters past the copy are never needed.
     */
    private final char[] head = new char[HEAD];
    private static final int HEAD = 36;

    private PatternTemplate(String pattern, Regex regex, boolean handWritten) throws DatePatternException {
        super(regex, pattern);
        this.pattern = pattern;
        this.asctimeFast = handWritten && pattern.equals(ANCHORED_ASCTIME);
        this.isoFast = handWritten && pattern.equals(ANCHORED_ISO);
        this.apacheFast = handWritten && pattern.equals(APACHE);
    }

    /** Per group of the regex, the strptime field it holds (built with the regex, on first use). */
    private byte[] fieldKinds() {
        byte[] kinds = fieldKinds;
        if (kinds == null) {
            String[] names = groupNames();
            kinds = new byte[names.length];
            int p = -1;
            for (int i = 1; i < names.length; i++) {
                kinds[i] = kindOf(names[i]);
                if ("p".equals(names[i])) {
                    p = i;
                }
            }
            ampmGroup = p;
            fieldKinds = kinds;
        }
        return kinds;
    }

    /**
     * strptime.py _updateTimeRE/_getYearCentRE: the first three digits of last year and of the year in 3 years,
     * plus every 3rd year from 2000 up to now (fail2ban's test alternate date 2001), written as fail2ban writes
     * them ({@link #group}), e.g. {@code 20[012]}.
     */
    static String centuries(int nowYear) {
        return group(centuryList(nowYear));
    }

    /** {@link #centuries}' first three digits of the years, sorted. */
    private static java.util.List<String> centuryList(int nowYear) {
        java.util.TreeSet<String> cents = new java.util.TreeSet<>();
        cents.add(String.valueOf(nowYear - 1).substring(0, 3));
        cents.add(String.valueOf(nowYear + 3).substring(0, 3));
        for (int y = 2000; y < nowYear + 1; y += 3) {
            cents.add(String.valueOf(y).substring(0, 3));
        }
        return new java.util.ArrayList<>(cents);
    }

    /**
     * strptime.py's {@code grp}: sorted alternatives as one regex, their common prefix (all but the
     * last character, or else the first character) taken out front, e.g. {@code 200, 201, 202} as
     * {@code 20[012]}, so that {@code --verbose-date} prints the regex text fail2ban prints.
     */
    static String group(java.util.List<String> alternatives) {
        if (alternatives.size() > 1) {
            String c = null;
            for (String i : alternatives) {
                String head = i.substring(0, Math.max(0, i.length() - 1));
                if (c == null || head.equals(c)) {
                    c = head;
                } else {
                    c = null;
                    break;
                }
            }
            if (c == null || c.isEmpty()) {
                c = null;
                for (String i : alternatives) {
                    String first = i.isEmpty() ? "" : i.substring(0, 1);
                    if (c == null || first.equals(c)) {
                        c = first;
                    } else {
                        c = null;
                        break;
                    }
                }
            }
            if (c != null && !c.isEmpty()) {
                java.util.List<String> rest = new java.util.ArrayList<>();
                for (String i : alternatives) {
                    rest.add(i.substring(c.length()));
                }
                return c + group(rest);
            }
            return alternatives.get(0).length() > 1 ? "(?:" + String.join("|", alternatives) + ")"
                    : "[" + String.join("", alternatives) + "]";
        }
        return String.join("", alternatives);
    }

    /** {@code DatePatternRegex(pattern)}: builds the regex the way datetemplate.py does. */
    static PatternTemplate of(String pattern) throws DatePatternException {
        return new PatternTemplate(pattern, toRegex(pattern), true);
    }

    /** The same template without hand-written recognisers (to check them against the regex). */
    static PatternTemplate regexOnly(String pattern) throws DatePatternException {
        return new PatternTemplate(pattern, toRegex(pattern), false);
    }

    /** {@link #toRegex} results by pattern (immutable; the same default patterns recur per detector). */
    private static final java.util.concurrent.ConcurrentHashMap<String, Regex> REGEX_CACHE =
            new java.util.concurrent.ConcurrentHashMap<>();

    static Regex toRegex(String pattern) throws DatePatternException {
        Regex r = REGEX_CACHE.get(pattern);
        if (r == null) {
            r = toRegexUncached(pattern);
            if (REGEX_CACHE.size() < 4096) {
                REGEX_CACHE.putIfAbsent(pattern, r);
            }
        }
        return r;
    }

    private static Regex toRegexUncached(String pattern) throws DatePatternException {
        String p = pattern;
        int wordBegin = BEGIN_WORD;
        boolean wordEnd = true;
        Matcher unb = RE_EXLINE_NO_BOUNDS.matcher(p);
        if (unb.find()) {
            p = p.substring(unb.end());
            wordBegin = BEGIN_NONE;
            wordEnd = false;
        }
        if (wordBegin != BEGIN_NONE) {
            Matcher lb = RE_EXLINE_BOUND_BEG.matcher(p);
            if (lb.find()) {
                p = p.substring(lb.end());
                wordBegin = BEGIN_LINE;
            }
        }
        StringBuilder regex = new StringBuilder(p.length() * 4);
        StringBuilder name = new StringBuilder(p.length() + 16);
        int n = p.length();
        for (int i = 0; i < n; i++) {
            char c = p.charAt(i);
            if (c != '%') {
                regex.append(c);
                name.append(c);
                continue;
            }
            String key = keyAt(p, i + 1);
            if (key == null) {
                throw new DatePatternException(pattern,
                        "invalid format or unescaped percent char at index " + i + " (use %% for a literal %)");
            }
            regex.append(TIME_RE.get(key));
            name.append(NAMES.getOrDefault(key, "%" + key));
            i += key.length();
        }
        String re = regex.toString();
        if (RE_ALPHA_PATTERN.matcher(p).find()) {
            re = "(?iu)" + re;
        }
        return setRegex(re, name.toString(), wordBegin, wordEnd);
    }

    private static String keyAt(String p, int i) {
        for (String k : LONG_KEYS) {
            if (p.startsWith(k, i)) {
                return k;
            }
        }
        if (i < p.length() && SINGLE_KEYS.indexOf(p.charAt(i)) >= 0) {
            return String.valueOf(p.charAt(i));
        }
        return null;
    }

    private static byte kindOf(String name) {
        if (name == null) {
            return F_NONE;
        }
        return switch (name) {
            case "y" -> F_y;
            case "Y" -> F_Y;
            case "m" -> F_m;
            case "B" -> F_B;
            case "b" -> F_b;
            case "d" -> F_d;
            case "H" -> F_H;
            case "I" -> F_I;
            case "M" -> F_M;
            case "S" -> F_S;
            case "A" -> F_A;
            case "a" -> F_a;
            case "w" -> F_w;
            case "j" -> F_j;
            case "U" -> F_U;
            case "W" -> F_W;
            case "z", "Z" -> F_z;
            default -> F_NONE;
        };
    }

    @Override
    boolean matchDate(CharSequence line, int pos, int endpos) {
        fast = false;
        fastReach = 0;
        if (asctimeFast && pos <= 0 && endpos >= line.length()) {
            int n = line.length();
            line.getChars(0, Math.min(n, HEAD), head, 0);
            int end = asctime(head, n);
            if (end > 0) {
                fast = true;
                // asctime reads at most the character after its end (the year's lead-in or the word end)
                fastReach = end + 2 <= Math.min(n, HEAD) ? end + 2 : 0;
                matchedWithoutRegex(0, fastTextStart, end);
                return true;
            }
        } else if (isoFast && pos <= 0 && endpos >= line.length()) {
            int n = line.length();
            line.getChars(0, Math.min(n, HEAD), head, 0);
            int end = iso(head, n);
            if (end > 0) {
                fast = true;
                // iso reads the character after a '.' or ',' at 19 (fraction), then the whitespace
                // after its end and the character that ends it (zoneMayFollow)
                int r = end;
                while (r < n && r < HEAD && isSpace(head[r])) {
                    r++;
                }
                if (head[19] == '.' || head[19] == ',') {
                    r = Math.max(r, 20);
                }
                fastReach = r < Math.min(n, HEAD) ? r + 1 : 0;
                matchedWithoutRegex(0, end);
                return true;
            }
        } else if (apacheFast && pos <= 0 && endpos >= line.length()) {
            return apacheSearch(line);
        } else if (apacheFast && pos >= 0 && pos < endpos) {
            int end = apache(line, pos, Math.min(endpos, line.length()));
            if (end > 0) {
                fast = true;
                matchedWithoutRegex(pos, end);
                return true;
            }
        }
        return super.matchDate(line, pos, endpos);
    }

    /**
     * Recognises {@code YYYY<sep>MM<sep>DD(T| )HH:MM:SS([.,]f{1,6})?} at index 0 ({@code sep} one of
     * {@code -/.}, two-digit fields, a year the regex accepts), not followed by a zone or a word char;
     * returns the end of the match or 0 to leave the line to the regex.
     */
    private int iso(char[] s, int n) {
        if (n < 19) {
            return 0;
        }
        int y0 = ascii(s[0]);
        int y1 = ascii(s[1]);
        int y2 = ascii(s[2]);
        int y3 = ascii(s[3]);
        if (y0 < 0 || y1 < 0 || y2 < 0 || y3 < 0 || !CENTURY[y0 * 100 + y1 * 10 + y2]) {
            return 0;
        }
        char sep = s[4];
        if ((sep != '-' && sep != '/' && sep != '.') || s[7] != sep) {
            return 0;
        }
        int month = twoDigitMonth(s[5], s[6]);
        int day = twoDigitDay(s[8], s[9]);
        char t = s[10];
        if (month == 0 || day == 0 || !(t == 'T' || (t == ' ' && s[11] != ' '))) {
            return 0;
        }
        if (!time(s, 11)) {
            return 0;
        }
        int p = fraction(s, 19, n);
        if (p < 0 || zoneMayFollow(s, p, n) || !wordEndAt(s, p, n)) {
            return 0;
        }
        fastYear = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
        fastMonth = month;
        fastDay = day;
        fastZone = Strptime.NONE;
        return p;
    }

    /**
     * The Apache template's search of a whole line, as the regex's {@code find}: its match starts with a day
     * ({@code [1-2]\d|[0 ]?[1-9]|3[0-1]}) right before a {@code -} or {@code /}, so only those places are
     * tried, in order; each with the recogniser, else with the regex at exactly that place.
     */
    private boolean apacheSearch(CharSequence s) {
        int n = s.length();
        for (int p = 0; p + 1 < n; p++) {
            if (!dayThenSeparator(s, p, n)) {
                continue;
            }
            int end = apache(s, p, n);
            if (end > 0) {
                fast = true;
                matchedWithoutRegex(p, end);
                return true;
            }
            if (matchAt(s, p)) {
                return true;
            }
        }
        return false;
    }

    /** A day alternative of {@code [1-2]\d|[0 ]?[1-9]|3[0-1]} at p is followed by {@code -} or {@code /}. */
    private static boolean dayThenSeparator(CharSequence s, int p, int n) {
        char c0 = s.charAt(p);
        if (c0 != ' ' && (c0 < '0' || c0 > '9')) {
            return false;
        }
        char c1 = s.charAt(p + 1);
        if (c1 == '-' || c1 == '/') {
            return c0 >= '1';
        }
        if (p + 2 >= n) {
            return false;
        }
        char c2 = s.charAt(p + 2);
        if (c2 == '-' || c2 == '/') {
            return ((c0 == '1' || c0 == '2') && Character.isDigit(c1))
                    || ((c0 == '0' || c0 == ' ') && c1 >= '1' && c1 <= '9')
                    || (c0 == '3' && (c1 == '0' || c1 == '1'));
        }
        // [1-2]\d with a digit beyond the BMP
        return (c0 == '1' || c0 == '2') && Character.isHighSurrogate(c1) && p + 3 < n
                && (s.charAt(p + 3) == '-' || s.charAt(p + 3) == '/')
                && Character.isDigit(Character.codePointAt(s, p + 1));
    }

    /**
     * Recognises {@code DD<sep>Mon<sep>YYYY[ :]?HH:MM:SS( [+-]hhmm| [+-]hh:mm)?} ({@code sep} one of {@code -/})
     * starting exactly at {@code pos}, seen through a line that ends at {@code end} (Python's endpos);
     * returns the end of the match or 0 to leave the line to the regex.
     */
    private int apache(CharSequence line, int pos, int end) {
        if (end - pos < 19 || (pos > 0 && !nonWord(line.charAt(pos - 1)))) {
            return 0;
        }
        line.getChars(pos, Math.min(end, pos + HEAD), head, 0);
        int p = apacheAt(head, end - pos);
        return p > 0 ? pos + p : 0;
    }

    /** {@link #apache} on the text from the match start, whose first characters are in {@code s}. */
    private int apacheAt(char[] s, int end) {
        int day = twoDigitDay(s[0], s[1]);
        char sep = s[2];
        if (day == 0 || (sep != '-' && sep != '/') || s[6] != sep) {
            return 0;
        }
        int month = monthAt(s, 3);
        if (month == 0) {
            return 0;
        }
        int y0 = ascii(s[7]);
        int y1 = ascii(s[8]);
        int y2 = ascii(s[9]);
        int y3 = ascii(s[10]);
        if (y0 < 0 || y1 < 0 || y2 < 0 || y3 < 0 || !CENTURY[y0 * 100 + y1 * 10 + y2]) {
            return 0;
        }
        int h = 11;
        char c = s[h];
        if (c == ' ' || c == ':') {
            h++;
        }
        if (h + 8 > end || !time(s, h)) {
            return 0;
        }
        int p = h + 8;
        int zone = Strptime.NONE;
        if (p < end && s[p] == '.') {
            return 0; // fraction: left to the regex
        }
        if (p + 1 < end && s[p] == ' ' && "ZUG+-".indexOf(s[p + 1]) >= 0) {
            char sign = s[p + 1];
            if ((sign != '+' && sign != '-') || p + 6 > end) {
                return 0;
            }
            int z0 = ascii(s[p + 2]);
            int z1 = ascii(s[p + 3]);
            int q = p + 4;
            if (z0 < 0 || z0 > 1 || z1 < 0) {
                return 0;
            }
            if (s[q] == ':') {
                q++;
            }
            if (q + 2 > end) {
                return 0;
            }
            int m0 = ascii(s[q]);
            int m1 = ascii(s[q + 1]);
            if (m0 < 0 || m1 < 0) {
                return 0;
            }
            q += 2;
            int minutes = (z0 * 10 + z1) * 60 + m0 * 10 + m1;
            zone = sign == '-' ? -minutes : minutes;
            p = q;
        }
        if (!wordEndAt(s, p, end)) {
            return 0;
        }
        fastYear = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
        fastMonth = month;
        fastDay = day;
        fastZone = zone;
        return p;
    }

    /** {@code HH:MM:SS} at {@code i}: hour 00-23, minute and second 00-59; sets the fast time fields. */
    private boolean time(char[] s, int i) {
        int h0 = ascii(s[i]);
        int h1 = ascii(s[i + 1]);
        int m0 = ascii(s[i + 3]);
        int m1 = ascii(s[i + 4]);
        int s0 = ascii(s[i + 6]);
        int s1 = ascii(s[i + 7]);
        if (s[i + 2] != ':' || s[i + 5] != ':' || h0 < 0 || h1 < 0 || h0 * 10 + h1 > 23
                || m0 < 0 || m0 > 5 || m1 < 0 || s0 < 0 || s0 > 5 || s1 < 0) {
            return false;
        }
        fastHour = h0 * 10 + h1;
        fastMinute = m0 * 10 + m1;
        fastSecond = s0 * 10 + s1;
        return true;
    }

    /** {@code (?:[.,][0-9]{1,6})?} at p: the end, or -1 when more than 6 digits follow (left to the regex). */
    private static int fraction(char[] s, int p, int n) {
        if (p + 1 < n && (s[p] == '.' || s[p] == ',') && ascii(s[p + 1]) >= 0) {
            int q = p + 1;
            while (q < n && q - p <= 6 && ascii(s[q]) >= 0) {
                q++;
            }
            if (q < n && ascii(s[q]) >= 0) {
                return -1;
            }
            return q;
        }
        return p;
    }

    /**
     * {@code (?:\s*%z)?} could match at p: whitespace (or anything non-ASCII) up to a zone's first char,
     * or whitespace beyond the characters at hand.
     */
    private static boolean zoneMayFollow(char[] s, int p, int n) {
        int q = p;
        while (q < n) {
            if (q == s.length) {
                return true;
            }
            char c = s[q];
            if (c >= 0x80) {
                return true;
            }
            if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)) {
                q++;
                continue;
            }
            return c == 'Z' || c == 'U' || c == 'G' || c == '+' || c == '-';
        }
        return false;
    }

    /** The whitespace {@link #zoneMayFollow} skips. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
    }

    /**
     * After {@link #matchDate} matched a whole line from its start with a hand-written recogniser:
     * the number of leading characters that decided the match, its text bounds and its fields. Any
     * line at least that long whose first that many characters are the same gets the same match
     * ({@link #repeatMatch}). 0 when the last match was not such a one.
     */
    @Override
    int repeatableReach() {
        return fast ? fastReach : 0;
    }

    @Override
    void repeatMatch() {
        matchedWithoutRegex(matchStart, dateStart(), matchEnd);
    }

    /** {@code (?=\b|\W|$)} after a digit at p, decided only for ASCII. */
    private static boolean wordEndAt(char[] s, int p, int n) {
        return p >= n || nonWord(s[p]);
    }

    /** An ASCII char that is not a word char ({@code \W}); false for anything non-ASCII. */
    private static boolean nonWord(char c) {
        return c < 0x80 && c != '_' && !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z');
    }

    /** {@code 0?[1-9]|1[0-2]} in its two-digit forms, else 0. */
    private static int twoDigitMonth(char a, char b) {
        int d = ascii(b);
        if (a == '0' && d >= 1) {
            return d;
        }
        if (a == '1' && d >= 0 && d <= 2) {
            return 10 + d;
        }
        return 0;
    }

    /** {@code [1-2]\d|[0 ]?[1-9]|3[0-1]} in its two-character forms, else 0. */
    private static int twoDigitDay(char a, char b) {
        int d = ascii(b);
        if ((a == '1' || a == '2') && d >= 0) {
            return (a - '0') * 10 + d;
        }
        if ((a == '0' || a == ' ') && d >= 1) {
            return d;
        }
        if (a == '3' && (d == 0 || d == 1)) {
            return 30 + d;
        }
        return 0;
    }

    /**
     * Recognises, at line begin after at most 2 ASCII non-word chars (as many as there are, as the greedy
     * {@code \\W{0,2}} takes them), {@code [DAY ]MON DD HH:MM:SS[.f{1,6}][ YYYY]} followed by the end or an
     * ASCII non-word char: day {@code 01-31} or {@code " 1"-" 9"}, hour {@code 00-29}, minute and second
     * {@code 00-59}. For exactly these lines the first path of the regex succeeds; returns the end of the
     * match (the text starts at {@link #fastTextStart}) or 0 to leave the line to the regex.
     */
    private int asctime(char[] s, int n) {
        int k = 0;
        while (k < 2 && k < n && nonWord(s[k])) {
            k++;
        }
        int b = k;
        if (n - b < 15) {
            return 0;
        }
        if (dayAt(s, b) && s[b + 3] == ' ') {
            b += 4;
            if (n - b < 15) {
                return 0;
            }
        }
        int month = monthAt(s, b);
        if (month == 0 || s[b + 3] != ' ' || s[b + 6] != ' ' || s[b + 9] != ':'
                || s[b + 12] != ':') {
            return 0;
        }
        int day = twoDigitDay(s[b + 4], s[b + 5]);
        int h0 = ascii(s[b + 7]);
        int h1 = ascii(s[b + 8]);
        int m0 = ascii(s[b + 10]);
        int m1 = ascii(s[b + 11]);
        int s0 = ascii(s[b + 13]);
        int s1 = ascii(s[b + 14]);
        if (day == 0 || h0 < 0 || h0 > 2 || h1 < 0 || m0 < 0 || m0 > 5 || m1 < 0 || s0 < 0 || s0 > 5 || s1 < 0) {
            return 0;
        }
        int p = b + 15;
        if (p < n && s[p] == '.') {
            p = fraction(s, p, n);
            if (p < 0) {
                return 0;
            }
        }
        int year = Strptime.NONE;
        if (p + 1 < n && s[p] == ' ' && (ascii(s[p + 1]) >= 0 || s[p + 1] >= 0x80)) {
            if (p + 5 > n) {
                return 0;
            }
            int y0 = ascii(s[p + 1]);
            int y1 = ascii(s[p + 2]);
            int y2 = ascii(s[p + 3]);
            int y3 = ascii(s[p + 4]);
            if (y0 < 0 || y1 < 0 || y2 < 0 || y3 < 0 || !CENTURY[y0 * 100 + y1 * 10 + y2] || !wordEndAt(s, p + 5, n)) {
                return 0;
            }
            year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
            p += 5;
        }
        if (!wordEndAt(s, p, n)) {
            return 0;
        }
        fastTextStart = k;
        fastYear = year;
        fastMonth = month;
        fastDay = day;
        fastHour = h0 * 10 + h1;
        fastMinute = m0 * 10 + m1;
        fastSecond = s0 * 10 + s1;
        return p;
    }

    /** An ASCII day abbreviation (any case) at i. */
    private static boolean dayAt(char[] s, int i) {
        char a = s[i];
        char b = s[i + 1];
        char c = s[i + 2];
        if (a >= 0x80 || b >= 0x80 || c >= 0x80) {
            return false;
        }
        return switch (((a | 0x20) << 16) | ((b | 0x20) << 8) | (c | 0x20)) {
            case ('m' << 16) | ('o' << 8) | 'n', ('t' << 16) | ('u' << 8) | 'e', ('w' << 16) | ('e' << 8) | 'd',
                    ('t' << 16) | ('h' << 8) | 'u', ('f' << 16) | ('r' << 8) | 'i', ('s' << 16) | ('a' << 8) | 't',
                    ('s' << 16) | ('u' << 8) | 'n' -> true;
            default -> false;
        };
    }

    /** 1-12 for an ASCII month abbreviation (any case) at {@code i}, else 0. */
    private static int monthAt(char[] s, int i) {
        char a = s[i];
        char b = s[i + 1];
        char c = s[i + 2];
        if (a >= 0x80 || b >= 0x80 || c >= 0x80) {
            return 0;
        }
        return switch (((a | 0x20) << 16) | ((b | 0x20) << 8) | (c | 0x20)) {
            case ('j' << 16) | ('a' << 8) | 'n' -> 1;
            case ('f' << 16) | ('e' << 8) | 'b' -> 2;
            case ('m' << 16) | ('a' << 8) | 'r' -> 3;
            case ('a' << 16) | ('p' << 8) | 'r' -> 4;
            case ('m' << 16) | ('a' << 8) | 'y' -> 5;
            case ('j' << 16) | ('u' << 8) | 'n' -> 6;
            case ('j' << 16) | ('u' << 8) | 'l' -> 7;
            case ('a' << 16) | ('u' << 8) | 'g' -> 8;
            case ('s' << 16) | ('e' << 8) | 'p' -> 9;
            case ('o' << 16) | ('c' << 8) | 't' -> 10;
            case ('n' << 16) | ('o' << 8) | 'v' -> 11;
            case ('d' << 16) | ('e' << 8) | 'c' -> 12;
            default -> 0;
        };
    }

    private static int ascii(char c) {
        return c >= '0' && c <= '9' ? c - '0' : -1;
    }

    @Override
    long epochMillis(CharSequence line, TimeContext context) {
        Strptime f = fields;
        f.reset();
        if (fast) {
            f.year = fastYear;
            if (!asctimeFast) {
                f.tzOffsetMinutes = fastZone;
            }
            f.month = fastMonth;
            f.day = fastDay;
            f.hour = fastHour;
            f.minute = fastMinute;
            f.second = fastSecond;
            return f.resolve(context);
        }
        Matcher m = matcher();
        byte[] fieldKinds = fieldKinds();
        for (int g = 1; g < fieldKinds.length; g++) {
            byte kind = fieldKinds[g];
            if (kind == F_NONE) {
                continue;
            }
            int s = m.start(g);
            if (s < 0) {
                continue;
            }
            int e = m.end(g);
            if (!apply(kind, line, s, e, m, f)) {
                return DateMatch.NO_TIME;
            }
        }
        return f.resolve(context);
    }

    /** One {@code found_dict} entry; false when Python raises. */
    private boolean apply(byte kind, CharSequence line, int s, int e, Matcher m, Strptime f) {
        switch (kind) {
            case F_y -> {
                long v = parseInt(line, s, e);
                if (v == Long.MIN_VALUE) {
                    return false;
                }
                f.year = (int) (v <= 2000 ? v + 2000 : v);
            }
            case F_Y -> f.year = (int) check(parseInt(line, s, e));
            case F_m -> f.month = (int) check(parseInt(line, s, e));
            case F_B -> f.month = 1 + indexOf(FULL_MONTHS, line, s, e);
            case F_b -> f.month = 1 + indexOf(MONTHS, line, s, e);
            case F_d -> f.day = (int) check(parseInt(line, s, e));
            case F_H -> f.hour = (int) check(parseInt(line, s, e));
            case F_I -> {
                int hour = (int) check(parseInt(line, s, e));
                int ps = ampmGroup < 0 ? -1 : m.start(ampmGroup);
                boolean pm = false;
                boolean am = true;
                if (ampmGroup >= 0 && ps < 0) {
                    return false; // found_dict['p'] is None: AttributeError in fail2ban
                }
                if (ps >= 0) {
                    int pe = m.end(ampmGroup);
                    am = pe - ps == 0 || equalsLower(line, ps, pe, "am");
                    pm = equalsLower(line, ps, pe, "pm");
                }
                if (am) {
                    if (hour == 12) {
                        hour = 0;
                    }
                } else if (pm && hour != 12) {
                    hour += 12;
                }
                f.hour = hour;
            }
            case F_M -> f.minute = (int) check(parseInt(line, s, e));
            case F_S -> f.second = (int) check(parseInt(line, s, e));
            case F_A -> f.weekday = indexOf(FULL_DAYS, line, s, e);
            case F_a -> f.weekday = indexOf(DAYS, line, s, e);
            case F_w -> {
                int w = (int) check(parseInt(line, s, e)) - 1;
                f.weekday = w < 0 ? 6 : w;
            }
            case F_j -> f.julian = (int) check(parseInt(line, s, e));
            case F_U, F_W -> {
                f.weekOfYear = (int) check(parseInt(line, s, e));
                f.weekStartsMonday = kind == F_W;
            }
            case F_z -> {
                int offset = zoneOffset(line, s, e);
                if (offset == ZoneAbbreviations.INVALID) {
                    f.invalid = true;
                } else {
                    f.tzOffsetMinutes = offset;
                }
            }
            default -> {
            }
        }
        if (f.weekday == -1 || f.month == 0) {
            f.invalid = true;
        }
        return !f.invalid;
    }

    private long check(long v) {
        if (v == Long.MIN_VALUE || v > Integer.MAX_VALUE / 2 || v < Integer.MIN_VALUE / 2) {
            fields.invalid = true;
            return 0;
        }
        return v;
    }

    private static int zoneOffset(CharSequence line, int s, int e) {
        int n = e - s;
        if ((n == 1 && line.charAt(s) == 'Z')
                || (n == 3 && ((line.charAt(s) == 'U' && line.charAt(s + 1) == 'T' && line.charAt(s + 2) == 'C')
                || (line.charAt(s) == 'G' && line.charAt(s + 1) == 'M' && line.charAt(s + 2) == 'T')))) {
            return 0;
        }
        return ZoneAbbreviations.offsetMinutes(line, s, e);
    }

    /** Python int(text): optional surrounding whitespace, sign, Unicode decimal digits. */
    static long parseInt(CharSequence line, int s, int e) {
        while (s < e && Character.isWhitespace(line.charAt(s))) {
            s++;
        }
        while (e > s && Character.isWhitespace(line.charAt(e - 1))) {
            e--;
        }
        boolean neg = false;
        if (s < e && (line.charAt(s) == '+' || line.charAt(s) == '-')) {
            neg = line.charAt(s) == '-';
            s++;
        }
        if (s >= e || e - s > 12) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (int i = s; i < e; i++) {
            int d = ZoneAbbreviations.digit(line.charAt(i));
            if (d < 0) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    /** Index of text.lower() in names, or -1 (ValueError). */
    private static int indexOf(String[] names, CharSequence line, int s, int e) {
        for (int i = 0; i < names.length; i++) {
            if (equalsLower(line, s, e, names[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Python's {@code text.lower() == ascii} for an ASCII lowercase name. */
    static boolean equalsLower(CharSequence line, int s, int e, String ascii) {
        if (e - s != ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            char c = line.charAt(s + i);
            char want = ascii.charAt(i);
            if (c != want && (c > 0x7f ? Character.toLowerCase(c) : (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c)) != want) {
                return false;
            }
        }
        return true;
    }
}
