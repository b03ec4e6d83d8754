package ips.filter.date;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneOffsetTransitionRule;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Time zone text to {@link ZoneRules}, tried in this order:
 * <ol>
 * <li>fail2ban's {@code logtimezone} syntax (strptime.py {@code validateTimeZone}): an optional fail2ban
 * abbreviation and an optional offset, {@code UTC}, {@code CET}, {@code +0100}, {@code UTC-0430},
 * {@code GMT+12}, {@code CET+0130}. These are fixed offsets and the sign means east of UTC, as in
 * fail2ban (so {@code UTC+0300} is three hours <em>ahead</em> of UTC, unlike POSIX).</li>
 * <li>IANA ids and java.time offset ids: {@code Europe/Zurich}, {@code UTC+03:00}.</li>
 * <li>POSIX TZ strings: {@code std offset [dst [offset] [,start[/time],end[/time]]]} with
 * {@code Mm.w.d} rules, e.g. {@code CET-01CEST-02,M3.5.0,M10.5.0} (sign means west of UTC). A DST zone
 * without rules uses {@code M3.2.0,M11.1.0} as glibc does.</li>
 * </ol>
 */
public final class TimeZones {

    private static final Pattern FIXED_OFFSET_TZ = Pattern.compile("([A-Z](?:[A-Z]{2,4})?)?([+-][01]\\d(?::?\\d{2})?)?");

    private TimeZones() {
    }

    /** Names of UTC in the time-zone database (each a fixed offset of zero, no daylight saving). */
    private static final java.util.Set<String> UTC_NAMES = java.util.Set.of("UTC", "UCT", "Universal", "Zulu", "GMT",
            "GMT0", "GMT+0", "GMT-0", "Greenwich", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "Etc/GMT",
            "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "Etc/Greenwich");

    /**
     * The host's zone, as {@code ZoneId.systemDefault().getRules()}, but without loading the JDK's
     * time-zone database (~10-20 ms of a cold start, on the daemon's start and test-filter's) when
     * every place the JDK would read the host's zone from names UTC, as on most servers: then
     * UTC's rules. Anything else (another zone, {@code TZ} or {@code -Duser.timezone} set to
     * something else, nothing readable) is left to the JDK.
     */
    public static ZoneRules system() {
        String link = null;
        try {
            link = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/etc/localtime")).toString();
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            // not a link, or not there: the JDK decides
        }
        String etcTimezone = null;
        try {
            java.nio.file.Path p = java.nio.file.Path.of("/etc/timezone");
            if (java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.size(p) < 256) {
                etcTimezone = java.nio.file.Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        } catch (java.io.IOException | SecurityException e) {
            etcTimezone = "?"; // unreadable: the JDK decides
        }
        if (hostIsUtc(System.getenv("TZ"), System.getProperty("user.timezone"), etcTimezone, link)) {
            return ZoneOffset.UTC.getRules();
        }
        return ZoneId.systemDefault().getRules();
    }

    /**
     * Whether the JDK's own choice of the host's zone is sure to be UTC: {@code TZ} and
     * {@code user.timezone} unset (or naming UTC), and both {@code /etc/timezone} (when present) and
     * the target of the {@code /etc/localtime} link name UTC. The JDK reads these in that order.
     */
    static boolean hostIsUtc(String tzEnv, String userTimezone, String etcTimezone, String localtimeLink) {
        if (userTimezone != null && !userTimezone.isEmpty()) {
            return UTC_NAMES.contains(userTimezone);
        }
        if (tzEnv != null) {
            String tz = tzEnv.startsWith(":") ? tzEnv.substring(1) : tzEnv;
            return UTC_NAMES.contains(tz);
        }
        if (localtimeLink == null) {
            return false;
        }
        int z = localtimeLink.lastIndexOf("zoneinfo/");
        if (z < 0 || !UTC_NAMES.contains(localtimeLink.substring(z + "zoneinfo/".length()))) {
            return false;
        }
        return etcTimezone == null || UTC_NAMES.contains(etcTimezone.strip());
    }

    public static ZoneRules parse(String tz) throws DatePatternException {
        if (tz == null || tz.isBlank()) {
            throw new DatePatternException(String.valueOf(tz), "empty time zone");
        }
        String text = tz.strip();
        if (FIXED_OFFSET_TZ.matcher(text).matches()) {
            int minutes = ZoneAbbreviations.offsetMinutes(text, 0, text.length());
            if (minutes == ZoneAbbreviations.INVALID) {
                throw new DatePatternException(tz, "unknown or unsupported time zone");
            }
            if (minutes <= -18 * 60 || minutes >= 18 * 60) {
                throw new DatePatternException(tz, "offset out of range");
            }
            return ZoneRules.of(ZoneOffset.ofTotalSeconds(minutes * 60));
        }
        try {
            return ZoneId.of(text).getRules();
        } catch (DateTimeException e) {
            // not an id: try POSIX
        }
        return new Posix(text, tz).parse();
    }

    /** Recursive-descent reader of a POSIX TZ string. */
    private static final class Posix {
        private final String s;
        private final String original;
        private int i;

        Posix(String s, String original) {
            this.s = s.startsWith(":") ? s.substring(1) : s;
            this.original = original;
        }

        ZoneRules parse() throws DatePatternException {
            name();
            int stdWest = offset(true);
            ZoneOffset std = offsetOf(-stdWest);
            if (i == s.length()) {
                return ZoneRules.of(std);
            }
            name();
            int dstWest = stdWest - 3600;
            if (i < s.length() && s.charAt(i) != ',') {
                dstWest = offset(true);
            }
            ZoneOffset dst = offsetOf(-dstWest);
            int[] start = {3, 2, 0, 7200};
            int[] end = {11, 1, 0, 7200};
            if (i < s.length()) {
                expect(',');
                start = rule();
                expect(',');
                end = rule();
            }
            if (i != s.length()) {
                throw fail("trailing text at index " + i);
            }
            ZoneOffsetTransitionRule toDst = transitionRule(start, std, std, dst);
            ZoneOffsetTransitionRule toStd = transitionRule(end, std, dst, std);
            ZoneOffsetTransition first = toDst.createTransition(1900);
            return ZoneRules.of(std, std, List.of(), List.of(first), List.of(toDst, toStd));
        }

        private static ZoneOffsetTransitionRule transitionRule(int[] r, ZoneOffset std, ZoneOffset before, ZoneOffset after) {
            Month month = Month.of(r[0]);
            int week = r[1];
            DayOfWeek dow = DayOfWeek.of(r[2] == 0 ? 7 : r[2]);
            int dayIndicator = week == 5 ? -1 : 1 + (week - 1) * 7;
            boolean endOfDay = r[3] == 86400;
            LocalTime time = endOfDay ? LocalTime.MIDNIGHT : LocalTime.ofSecondOfDay(r[3]);
            return ZoneOffsetTransitionRule.of(month, dayIndicator, dow, time, endOfDay,
                    ZoneOffsetTransitionRule.TimeDefinition.WALL, std, before, after);
        }

        private void name() throws DatePatternException {
            if (i < s.length() && s.charAt(i) == '<') {
                int close = s.indexOf('>', i);
                if (close < 0) {
                    throw fail("unterminated <name>");
                }
                i = close + 1;
                return;
            }
            int from = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            if (i - from < 3) {
                throw fail("zone name of at least 3 letters expected at index " + from);
            }
        }

        /** [+-]hh[:mm[:ss]] in seconds (west positive, as written). */
        private int offset(boolean required) throws DatePatternException {
            int sign = 1;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                sign = s.charAt(i) == '-' ? -1 : 1;
                i++;
            }
            int seconds = time(required);
            return sign * seconds;
        }

        private int time(boolean required) throws DatePatternException {
            int h = number(0, 24, required);
            int m = 0;
            int sec = 0;
            if (i < s.length() && s.charAt(i) == ':') {
                i++;
                m = number(0, 59, true);
                if (i < s.length() && s.charAt(i) == ':') {
                    i++;
                    sec = number(0, 59, true);
                }
            }
            return h * 3600 + m * 60 + sec;
        }

        private int number(int min, int max, boolean required) throws DatePatternException {
            int from = i;
            int v = 0;
            while (i < s.length() && i - from < 2 && Character.isDigit(s.charAt(i)) && s.charAt(i) < 0x80) {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == from) {
                if (required) {
                    throw fail("number expected at index " + from);
                }
                return 0;
            }
            if (v < min || v > max) {
                throw fail("number " + v + " out of range at index " + from);
            }
            return v;
        }

        /** Mm.w.d[/time] as {month, week, weekday, seconds}. */
        private int[] rule() throws DatePatternException {
            if (i >= s.length() || s.charAt(i) != 'M') {
                throw fail("only Mm.w.d transition rules are supported (index " + i + ")");
            }
            i++;
            int month = number(1, 12, true);
            expect('.');
            int week = number(1, 5, true);
            expect('.');
            int day = number(0, 6, true);
            int at = 7200;
            if (i < s.length() && s.charAt(i) == '/') {
                i++;
                at = time(true);
            }
            return new int[] {month, week, day, at};
        }

        private void expect(char c) throws DatePatternException {
            if (i >= s.length() || s.charAt(i) != c) {
                throw fail("'" + c + "' expected at index " + i);
            }
            i++;
        }

        private ZoneOffset offsetOf(int seconds) throws DatePatternException {
            try {
                return ZoneOffset.ofTotalSeconds(seconds);
            } catch (DateTimeException e) {
                throw fail("offset out of range");
            }
        }

        private DatePatternException fail(String reason) {
            return new DatePatternException(original, "not a fail2ban zone, zone id or POSIX TZ string: " + reason);
        }
    }
}
