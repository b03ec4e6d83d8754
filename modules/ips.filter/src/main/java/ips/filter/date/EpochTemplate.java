package ips.filter.date;

import java.util.regex.Pattern;

/**
 * fail2ban's {@code DateEpoch}: seconds since the epoch ({@code EPOCH}: 10-11 digits, optional 3-6 digit
 * fraction) or milli/microseconds ({@code LEPOCH}), at line begin, in {@code [..]} or in SELinux
 * {@code audit(..)}; or inside a custom pattern via {@code {EPOCH}}/{@code {LEPOCH}}.
 *
 * <p>fail2ban's regexes use Python conditional groups; as written, every alternative of those
 * conditionals also accepts the empty case, so they never reject a match and are left out here.
 */
final class EpochTemplate extends DateTemplate {

    static final Pattern RE_EPOCH_PATTERN = Pattern.compile("(?<!\\\\)\\{L?EPOCH\\}", Pattern.CASE_INSENSITIVE);

    private static final String EPOCH_RE = "\\d{10,11}\\b(?:\\.\\d{3,6})?";
    private static final String LONG_EPOCH_RE = "\\d{10,11}(?:\\d{3}(?:\\.\\d{1,6}|\\d{3})?)?";

    private final boolean longForm;
    private final int valueGroup;
    /** Built without a pattern ({@link #of}): {@link #regexText} is fail2ban's, with the conditionals. */
    private final boolean patternless;
    private final boolean lineBeginOnly;

    private EpochTemplate(Regex regex, String source, boolean longForm, int valueGroup, boolean patternless,
            boolean lineBeginOnly) throws DatePatternException {
        super(regex, source);
        this.longForm = longForm;
        this.valueGroup = valueGroup;
        this.patternless = patternless;
        this.lineBeginOnly = lineBeginOnly;
    }

    /** DateEpoch(lineBeginOnly, longFrm) without a pattern. */
    static EpochTemplate of(boolean lineBeginOnly, boolean longForm) throws DatePatternException {
        String name = longForm ? "LongEpoch" : "Epoch";
        String epoch = longForm ? LONG_EPOCH_RE : EPOCH_RE;
        Regex regex;
        if (!lineBeginOnly) {
            regex = setRegex("((?:^|(?<=^\\[)|(?<=\\baudit\\())" + epoch + ")", name, BEGIN_NONE, true);
        } else {
            regex = setRegex("(" + epoch + ")", name, BEGIN_LINE, true);
        }
        return new EpochTemplate(regex, name, longForm, 1, true, lineBeginOnly);
    }

    /** datetemplate.py's text of a patternless template, its conditionals kept (for {@code --verbose-date}). */
    @Override
    String regexText() {
        if (!patternless) {
            return super.regexText();
        }
        String epoch = longForm ? LONG_EPOCH_RE : EPOCH_RE;
        if (!lineBeginOnly) {
            return setRegex("((?:^|(?P<square>(?<=^\\[))|(?P<selinux>(?<=\\baudit\\()))" + epoch
                    + ")(?:(?(selinux)(?=:\\d+\\)))|(?(square)(?=\\])))", name, BEGIN_NONE, true).regex();
        }
        return setRegex("((?P<square>(?<=^\\[))?" + epoch + ")(?(square)(?=\\]))", name, BEGIN_LINE, true).regex();
    }

    /** DateEpoch(pattern=pattern, longFrm) for a pattern containing {EPOCH} or {LEPOCH}. */
    static EpochTemplate ofPattern(String pattern, boolean longForm) throws DatePatternException {
        String epoch = longForm ? LONG_EPOCH_RE : EPOCH_RE;
        String replaced = RE_EPOCH_PATTERN.matcher(pattern).replaceAll(java.util.regex.Matcher.quoteReplacement("(" + epoch + ")"));
        Regex regex = setRegex("(" + replaced + ")", pattern, BEGIN_WORD, true);
        return new EpochTemplate(regex, pattern, longForm, 2, false, false);
    }

    @Override
    long epochMillis(CharSequence line, TimeContext context) {
        int s = matcher().start(valueGroup);
        int e = matcher().end(valueGroup);
        if (s < 0) {
            return DateMatch.NO_TIME;
        }
        int dot = -1;
        for (int i = s; i < e; i++) {
            if (line.charAt(i) == '.') {
                dot = i;
                break;
            }
        }
        int intEnd = dot < 0 ? e : dot;
        int len = e - s;
        // value as an integer part and up to 6 fraction digits, then scaled to milliseconds
        long integer = 0;
        for (int i = s; i < intEnd; i++) {
            int d = ZoneAbbreviations.digit(line.charAt(i));
            if (d < 0 || integer > Long.MAX_VALUE / 100) {
                return DateMatch.NO_TIME;
            }
            integer = integer * 10 + d;
        }
        long fractionMillis = 0;
        if (dot >= 0) {
            int scale = 100;
            for (int i = dot + 1; i < e && scale > 0; i++, scale /= 10) {
                int d = ZoneAbbreviations.digit(line.charAt(i));
                if (d < 0) {
                    return DateMatch.NO_TIME;
                }
                fractionMillis += d * scale;
            }
        }
        if (longForm && len >= 13) {
            if (len >= 16 && dot < 0) {
                return Math.floorDiv(integer, 1000L); // microseconds
            }
            return integer; // milliseconds; a fraction is below 1 ms
        }
        return integer * 1000L + fractionMillis;
    }
}
