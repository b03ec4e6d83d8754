package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import org.junit.jupiter.api.Test;

/**
 * The hand-written recogniser of {@code MON DD HH:MM:SS} answers exactly what fail2ban's regex answers,
 * for every line that differs from a syslog line in one or two characters (taken from a set of digits,
 * letters, separators, Unicode digits and letters).
 */
class SyslogRecogniserTest {

    private static final String ALPHABET = "0123456789 :._aAgGuJnx\t[]-+/\u0663\u00e9\u017f";
    private static final String[] BASES = {"Aug 14 11:53:04 host sshd[1]: x", "Jan  4 01:02:03 2005 x", "Dec 31 23:59:59.123"};

    @Test
    void shouldAgreeWithTheRegexOnEveryOneAndTwoCharacterVariantOfASyslogLine() throws Exception {
        ZoneRules tz = ZoneRules.of(ZoneOffset.ofHours(1));
        TimeContext time = new TimeContext(tz, () -> 1_124_013_600_000L);
        time.tick();
        PatternTemplate fast = PatternTemplate.of(PatternTemplate.ANCHORED_ASCTIME);
        PatternTemplate slow = PatternTemplate.regexOnly(PatternTemplate.ANCHORED_ASCTIME);
        int checked = 0;
        for (String base : BASES) {
            int n = Math.min(base.length(), 18);
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < ALPHABET.length(); a++) {
                    char[] one = base.toCharArray();
                    one[i] = ALPHABET.charAt(a);
                    for (int j = i; j < n; j++) {
                        for (int b = 0; b < ALPHABET.length(); b++) {
                            char[] two = one.clone();
                            two[j] = ALPHABET.charAt(b);
                            String line = new String(two);
                            compare(fast, slow, time, line);
                            compare(fast, slow, time, line.substring(0, Math.min(line.length(), 16)));
                            checked++;
                        }
                    }
                }
            }
        }
        System.out.println("syslog recogniser checked against the regex on " + checked * 2 + " lines");
    }

    private static void compare(PatternTemplate fast, PatternTemplate slow, TimeContext time, String line) {
        boolean f = fast.matchDate(line);
        boolean s = slow.matchDate(line);
        assertEquals(s, f, line);
        if (f) {
            assertEquals(slow.dateStart(), fast.dateStart(), line);
            assertEquals(slow.dateEnd(), fast.dateEnd(), line);
            assertEquals(slow.matchStart, fast.matchStart, line);
            assertEquals(slow.matchEnd, fast.matchEnd, line);
            assertEquals(slow.epochMillis(line, time), fast.epochMillis(line, time), line);
        }
    }
}
