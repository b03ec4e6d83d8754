package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written search for the Apache default template ({@code [31/Oct/2006:09:22:55 -0000]} anywhere in
 * the line) answers exactly what the regex's {@code find} answers: same match, same date text, same time.
 */
class ApacheRecogniserTest {

    private static final ZoneRules CET = ZoneRules.of(ZoneOffset.ofHours(1));
    private static final TimeContext TIME = new TimeContext(CET, () -> Fail2banOracleTest.TEST_NOW);

    static {
        TIME.tick();
    }

    private static final String[] PIECES = {
        "0", "1", "2", "3", "9", "12", "31", "2005", "2035", ":", " ", "-", "/", ".", ".123", ".1234567", "+", "-0700",
        " +01:00", " Z", " UTC", " GMT", " CEST", "Jan", "oct", "OCT", "\u017Fep", "\u0663", "\uD835\uDFCF", "\u00e9",
        "_", "a", "[", "]", "\"", "\t",
    };

    private static final String[] BASES = {
        "192.0.2.1 - - [31/Oct/2006:09:22:55 -0000] \"GET / HTTP/1.1\" 200 5",
        "2001:db8::1 - frank [14/Nov/2023:20:56:48 +0100] \"GET /a-b/c HTTP/1.1\" 404 1",
        "[26-Jul-2007 15:20:52.252] x", "26-Jul-2007 15:20:52 +0200", "x 1/Jan/2005 01:02:03 y",
        " 5/Feb/2004:1:2:3", "a12/Mar/2005:10:11:12b", "12/Mar/2005:10:11:12_ 13/Mar/2005:10:11:12",
        "1-2-3 4/5/6 07/Aug/2024:23:59:59", "2\uD835\uDFCF/Jan/2005:10:11:12",
    };

    @ParameterizedTest
    @ValueSource(strings = {
        "192.0.2.1 - - [31/Oct/2006:09:22:55 -0000] \"GET / HTTP/1.1\" 200 5",
        "10.0.0.1 - - [1/Jan/2005:01:02:03 +0100]", "x 26-Jul-2007 15:20:52.252", "no date 12/Mar/20 at all",
    })
    void shouldFindWhatTheRegexFinds(String line) throws Exception {
        assertSame(line, PatternTemplate.of(PatternTemplate.APACHE), PatternTemplate.regexOnly(PatternTemplate.APACHE));
    }

    @Test
    void shouldAgreeWithTheRegexOnRandomEditsOfApacheLines() throws Exception {
        PatternTemplate fast = PatternTemplate.of(PatternTemplate.APACHE);
        PatternTemplate slow = PatternTemplate.regexOnly(PatternTemplate.APACHE);
        SplittableRandom rnd = new SplittableRandom(31102006);
        List<String> lines = new ArrayList<>(List.of(BASES));
        int matched = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder sb = new StringBuilder(BASES[rnd.nextInt(BASES.length)]);
            int edits = rnd.nextInt(1, 4);
            for (int k = 0; k < edits; k++) {
                int at = rnd.nextInt(sb.length() + 1);
                String piece = PIECES[rnd.nextInt(PIECES.length)];
                switch (rnd.nextInt(3)) {
                    case 0 -> sb.insert(at, piece);
                    case 1 -> {
                        if (at < sb.length()) {
                            sb.deleteCharAt(at);
                        }
                    }
                    default -> sb.replace(at, Math.min(sb.length(), at + piece.length()), piece);
                }
            }
            lines.add(sb.toString());
        }
        for (String line : lines) {
            if (assertSame(line, fast, slow)) {
                matched++;
            }
        }
        assertTrue(matched > lines.size() / 4, () -> "too few dates to be a test: " + lines.size());
    }

    @Test
    void shouldSearchAtMostThreeTemplatesWhenTheAccessLogDateMovesWithTheClientAddress() {
        DateDetector dd = DateDetectorTest.defaults();
        DateMatch m = new DateMatch();
        long worst = 0;
        for (int i = 0; i < 1000; i++) {
            String client = i % 3 == 0 ? "192.0.2." + (i % 256) : i % 3 == 1 ? "2001:db8::" + Integer.toHexString(i) : "10.1.1.1";
            String line = client + " - - [14/Nov/2023:20:" + (10 + i % 50) + ":48 +0100] \"GET /a HTTP/1.1\" 404 12";
            long before = dd.searches();
            assertTrue(dd.find(line, m), line);
            assertEquals(line.indexOf('[') + 1, m.start, line);
            if (i > 0) {
                worst = Math.max(worst, dd.searches() - before);
            }
        }
        assertTrue(worst <= 3, "searches for one line: " + worst);
    }

    private static boolean assertSame(String line, PatternTemplate fast, PatternTemplate slow) {
        boolean f = fast.matchDate(line);
        boolean s = slow.matchDate(line);
        assertEquals(s, f, line);
        if (f) {
            assertEquals(slow.matchStart, fast.matchStart, line);
            assertEquals(slow.matchEnd, fast.matchEnd, line);
            assertEquals(slow.textStart(), fast.textStart(), line);
            assertEquals(slow.textEnd(), fast.textEnd(), line);
            assertEquals(slow.epochMillis(line, TIME), fast.epochMillis(line, TIME), line);
        }
        return f;
    }
}
