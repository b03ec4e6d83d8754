package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link DateDetector#repeat}: a line that begins with the characters the last answer was decided
 * on ({@link DateDetector#repeatable()}) gets, without being read, exactly what {@link
 * DateDetector#find} gives it: the same match, time, template hits and detector state (checked by
 * running both detectors on every later line).
 */
class RepeatedDateTest {

    private static final Path LOGS = Path.of("/usr/lib/python3/dist-packages/fail2ban/tests/files/logs");
    private static final String ALPHABET = "0123456789 :._aAgGuJnxTZUSh\t[]-+/,\u0663\u00e9";
    private static final String[] TAILS = {"", " ", "x", " x", "Z", " Z", "  +0100 y", " -05:30", ".123 z",
        ",5", " 2005 y", " 2005", "\t", "_", "1", "  ", " \u00e9", "   UTC x", ".1234567 x", ":00 x"};

    @Test
    void shouldGiveWhatFindGivesOnLinesThatBeginAlike() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String base : bases()) {
            lines.add(base);
            // the same head with every other tail, and lines cut or changed just after the date
            for (int cut = Math.max(0, Math.min(base.length(), 12)); cut <= Math.min(base.length(), 40); cut += 3) {
                for (String tail : TAILS) {
                    lines.add(base.substring(0, cut) + tail);
                }
            }
            for (int i = 14; i < Math.min(base.length(), 34); i++) {
                for (int a = 0; a < ALPHABET.length(); a += 3) {
                    char[] c = base.toCharArray();
                    c[i] = ALPHABET.charAt(a);
                    lines.add(base);
                    lines.add(new String(c));
                }
            }
        }
        int repeated = 0;
        for (ZoneRules tz : List.of(ZoneOffset.UTC.getRules(), ZoneId.of("Europe/Berlin").getRules())) {
            for (String pattern : new String[] {null, "{^LN-BEG}", PatternTemplate.ANCHORED_ASCTIME,
                PatternTemplate.ANCHORED_ISO, "^%Y-%m-%d %H:%M:%S"}) {
                repeated += compare(lines, pattern, tz);
            }
        }
        assertTrue(repeated > lines.size(), "repeat was used: " + repeated);
    }

    @Test
    void shouldGiveWhatFindGivesOnFail2bansSampleLogs() throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(LOGS)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                for (String l : new String(Files.readAllBytes(f), StandardCharsets.UTF_8).split("\n", -1)) {
                    lines.add(l);
                    lines.add(l); // repeated lines are where repeat applies most
                }
            }
        }
        int repeated = compare(lines, null, ZoneId.of("Europe/Berlin").getRules());
        repeated += compare(lines, "{^LN-BEG}", ZoneOffset.UTC.getRules());
        assertTrue(repeated > 1000, "repeat was used: " + repeated);
    }

    /** Runs one detector with find only and one with repeat where it may, line by line; returns the repeats. */
    private static int compare(List<String> lines, String pattern, ZoneRules tz) throws DatePatternException {
        DateDetector plain = detector(pattern, tz, clock());
        DateDetector repeating = detector(pattern, tz, clock());
        DateMatch a = new DateMatch();
        DateMatch b = new DateMatch();
        String head = null;
        int repeats = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean fa = plain.find(line, a);
            boolean fb;
            if (head != null && line.length() >= head.length() && line.startsWith(head)) {
                fb = repeating.repeat(line, b);
                repeats++;
            } else {
                fb = repeating.find(line, b);
            }
            int r = fb ? repeating.repeatable() : 0;
            head = r > 0 ? line.substring(0, r) : null;
            String where = pattern + " line " + i + ": " + line;
            assertEquals(fa, fb, where);
            if (fa) {
                assertEquals(a.start, b.start, where);
                assertEquals(a.end, b.end, where);
                assertEquals(a.epochMillis, b.epochMillis, where);
            }
        }
        assertEquals(plain.templateHits(), repeating.templateHits(), pattern);
        assertEquals(plain.searches(), repeating.searches(), pattern);
        return repeats;
    }

    private static DateDetector detector(String pattern, ZoneRules tz, LongSupplier now) throws DatePatternException {
        return pattern == null ? DateDetector.defaults(tz, now) : DateDetector.forPattern(pattern, tz, now);
    }

    /** "Now" moves by a little over a day every seventh reading: year-less dates resolve differently. */
    private static LongSupplier clock() {
        long[] n = {0};
        return () -> 1_104_537_600_000L + (n[0]++ / 7) * 90_000_000L;
    }

    private static List<String> bases() throws IOException {
        return List.of(
            "Aug 14 11:53:04 host sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2",
            "Jan  4 01:02:03 2005 host x",
            "Dec 31 23:59:59.123 host y",
            "[Sat Jun 01 02:17:42 2013] [error] x",
            "[Thu Sep 25 09:27:18.813902 2014] x",
            "Sat Jun 01 02:17:42 2013 x",
            "2023-11-14 20:56:48,000 host x",
            "2005/01/23T21:59:59 x",
            "2005.01.23 21:59:59.123456Z",
            "2026/11/23 00:00:00 [error] 816#816: *1001 user \"x\" was not found in \"/etc/x\", client: 192.0.2.7",
            "2005-01-23 21:59:59 +0100 x",
            "2005-01-23 21:59:59    x",
            "2005-01-23 21:59:59",
            "Nov 23 00:00:00 web01 CRON[10052]: pam_unix(cron:session): session closed for user root");
    }
}
