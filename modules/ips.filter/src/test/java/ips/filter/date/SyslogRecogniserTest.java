package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written recognisers (syslog {@code MON DD HH:MM:SS}, ISO-like {@code YYYY-MM-DD HH:MM:SS,f} at
 * line begin, Apache {@code DD/Mon/YYYY:HH:MM:SS +zzzz} at a remembered position) answer exactly what
 * fail2ban's regex answers, for every line that differs from a typical line in one character or in two characters at most 4 apart
 * (taken from digits, letters, separators, zone signs, Unicode digits and letters), searched over the
 * whole line and over the windows the detector uses.
 */
class SyslogRecogniserTest {

    private static final String ALPHABET = "0123456789 :._aAgGuJnxTZUSh\t[]-+/,\u0663\u00e9\u017f";

    static Stream<Arguments> cases() {
        return Stream.of(
            Arguments.of(PatternTemplate.ANCHORED_ASCTIME, "Aug 14 11:53:04 host sshd[1]: x", 0, 18),
            Arguments.of(PatternTemplate.ANCHORED_ASCTIME, "Jan  4 01:02:03 2005 x", 0, 18),
            Arguments.of(PatternTemplate.ANCHORED_ASCTIME, "Dec 31 23:59:59.123", 0, 18),
            Arguments.of(PatternTemplate.ANCHORED_ASCTIME, "[Sat Jun 01 02:17:42 2013] [error] x", 0, 28),
            Arguments.of(PatternTemplate.ANCHORED_ASCTIME, "[Thu Sep 25 09:27:18.813902 2014] x", 0, 35),
            Arguments.of(PatternTemplate.ANCHORED_ISO, "2023-11-14 20:56:48,000 host x", 0, 26),
            Arguments.of(PatternTemplate.ANCHORED_ISO, "2005/01/23T21:59:59 x", 0, 21),
            Arguments.of(PatternTemplate.ANCHORED_ISO, "2005.01.23 21:59:59.123456Z", 0, 27),
            Arguments.of(PatternTemplate.APACHE, "1.2.3.4 - - [14/Nov/2023:20:56:48 +0100] \"GET", 13, 41),
            Arguments.of(PatternTemplate.APACHE, "x [23-Jan-2005 21:59:59 -05:30] y", 3, 31),
            Arguments.of(PatternTemplate.APACHE, "23/Jan/2005:21:59:59 x", 0, 22));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void shouldAgreeWithTheRegexOnEveryOneAndTwoCharacterVariant(String pattern, String base, int from, int to)
            throws Exception {
        ZoneRules tz = ZoneRules.of(ZoneOffset.ofHours(1));
        TimeContext time = new TimeContext(tz, () -> 1_124_013_600_000L);
        time.tick();
        PatternTemplate fast = PatternTemplate.of(pattern);
        PatternTemplate slow = PatternTemplate.regexOnly(pattern);
        int lo = Math.max(0, from - 1);
        int hi = Math.min(base.length(), to);
        for (int i = lo; i < hi; i++) {
            for (int a = 0; a < ALPHABET.length(); a++) {
                char[] one = base.toCharArray();
                one[i] = ALPHABET.charAt(a);
                for (int j = i; j < Math.min(hi, i + 5); j++) {
                    for (int b = 0; b < ALPHABET.length(); b++) {
                        char[] two = one.clone();
                        two[j] = ALPHABET.charAt(b);
                        String line = new String(two);
                        compare(fast, slow, time, line, 0, Integer.MAX_VALUE);
                        compare(fast, slow, time, line.substring(0, Math.min(line.length(), to - 2)), 0, Integer.MAX_VALUE);
                        if (from > 0 || pattern.equals(PatternTemplate.APACHE)) {
                            for (int end : new int[] {to - 7, to - 1, to, to + 1}) {
                                compare(fast, slow, time, line, from, end);
                            }
                            compare(fast, slow, time, line, from + 1, to);
                        }
                    }
                }
            }
        }
    }

    private static void compare(PatternTemplate fast, PatternTemplate slow, TimeContext time, String line, int from, int to) {
        boolean f = fast.matchDate(line, from, to);
        boolean s = slow.matchDate(line, from, to);
        String where = line + " [" + from + ", " + to + ")";
        assertEquals(s, f, where);
        if (f) {
            assertEquals(slow.dateStart(), fast.dateStart(), where);
            assertEquals(slow.dateEnd(), fast.dateEnd(), where);
            assertEquals(slow.matchStart, fast.matchStart, where);
            assertEquals(slow.matchEnd, fast.matchEnd, where);
            assertEquals(slow.epochMillis(line, time), fast.epochMillis(line, time), where);
        }
    }
}
