package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.zone.ZoneRules;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Skipping the templates whose line shape is missing changes no answer: a detector with the preconditions
 * and one searching every template see the same lines in the same order (fail2ban's sample logs and many
 * random edits of them with digits, separators, spaces and non-ASCII digits) and agree on every line, and
 * on the order their templates end up in.
 */
class LineShapeSkipTest {

    private static final String[] PIECES = {
        "0", "1", "2", "3", "5", "9", "00", "12", "2005", ":", ":", " ", "  ", "-", "/", ".", ",", "@", "T", "+",
        "Jan ", "a", "f", "\u0663", "\uD835\uDFCF", "\u00a0", "[", "]", "<", ">", "Z", "PM", "\t",
    };

    @TestFactory
    Stream<DynamicTest> shouldAnswerAsIfEveryTemplateWereSearched() throws Exception {
        ZoneRules tz = TimeZones.parse("CET-01CEST-02,M3.5.0,M10.5.0");
        List<Fail2banOracleTest.Group> groups = Fail2banOracleTest.load();
        return groups.stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            DateDetector fast = detector(g.pattern(), tz);
            DateDetector slow = detector(g.pattern(), tz);
            slow.searchEveryTemplate();
            SplittableRandom rnd = new SplittableRandom(g.name().hashCode());
            DateMatch a = new DateMatch();
            DateMatch b = new DateMatch();
            int n = 0;
            for (Fail2banOracleTest.Expect e : g.lines()) {
                for (int round = 0; round < 4; round++) {
                    String line = round == 0 ? e.line() : mutate(e.line(), rnd);
                    n++;
                    String where = g.name() + " #" + n + ": " + line;
                    boolean fa = fast.find(line, a);
                    boolean fb = slow.find(line, b);
                    assertEquals(fb, fa, where);
                    if (fa) {
                        assertEquals(b.start, a.start, where);
                        assertEquals(b.end, a.end, where);
                        assertEquals(b.epochMillis, a.epochMillis, where);
                    }
                    if (n % 16 == 0) {
                        assertEquals(slow.templateNames(), fast.templateNames(), where);
                    }
                }
            }
            assertEquals(slow.templateNames(), fast.templateNames(), g.name());
        }));
    }

    private static DateDetector detector(String pattern, ZoneRules tz) throws DatePatternException {
        return pattern == null ? DateDetector.defaults(tz, () -> Fail2banOracleTest.TEST_NOW)
                : DateDetector.forPattern(pattern, tz, () -> Fail2banOracleTest.TEST_NOW);
    }

    private static String mutate(String line, SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder(line);
        int edits = rnd.nextInt(1, 4);
        for (int k = 0; k < edits; k++) {
            int at = sb.isEmpty() ? 0 : rnd.nextInt(sb.length());
            while (at > 0 && at < sb.length() && Character.isLowSurrogate(sb.charAt(at))) {
                at--;
            }
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
        return sb.toString();
    }
}
