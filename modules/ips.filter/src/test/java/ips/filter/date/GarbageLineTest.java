package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Random binary and printable garbage costs almost no template searches: a line without the digits and
 * colons a template needs skips that template's regex. Asserted on the work counter, not on wall time
 * (which is printed for the report).
 */
class GarbageLineTest {

    private static final int LINES = 10_000;

    @Test
    void shouldSearchAlmostNoTemplateOnTenThousandRandomBinaryLines() {
        assertFewSearches("binary", GarbageLines::binary, 0.05);
    }

    @Test
    void shouldSearchAlmostNoTemplateOnTenThousandPrintableGarbageLines() {
        // about one printable line in 300 holds a D:D:D time shape and is searched with every template
        assertFewSearches("printable", GarbageLines::printable, 0.5);
    }

    private static void assertFewSearches(String kind, Function<SplittableRandom, String> gen, double maxAverage) {
        DateDetector dd = DateDetectorTest.defaults();
        int templates = dd.templateNames().size();
        SplittableRandom rnd = new SplittableRandom(20261123);
        DateMatch m = new DateMatch();
        long searches0 = dd.searches();
        int found = 0;
        int worst = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < LINES; i++) {
            String line = gen.apply(rnd);
            long before = dd.searches();
            if (dd.find(line, m)) {
                found++;
            }
            worst = Math.max(worst, (int) (dd.searches() - before));
        }
        long ns = System.nanoTime() - t0;
        long searches = dd.searches() - searches0;
        double perLine = searches / (double) LINES;
        System.out.printf("%s garbage: %d lines, %.3f template searches per line (at most %d of %d templates),"
                + " %d skipped, %d dates, %.1f us per line%n", kind, LINES, perLine, worst, templates,
                dd.skippedSearches(), found, ns / 1000.0 / LINES);
        assertTrue(perLine < maxAverage, () -> kind + ": " + perLine + " searches per line");
        assertTrue(worst <= templates + 1, () -> kind + ": a line took more searches than there are templates");
        assertTrue(dd.skippedSearches() > LINES * (templates - 2L), () -> kind + ": skipped " + dd.skippedSearches());
    }

    @Test
    void shouldStillFindADateInsideGarbageAndSkipNothingItNeeds() {
        DateDetector dd = DateDetectorTest.defaults();
        DateMatch m = new DateMatch();
        assertFalse(dd.find("\u0000\u00ff@@ 12:34 x 1:2 3:45: 2005-01-2", m));
        assertTrue(dd.find("\u0000\u00ff@@ garbage Jan 23 21:59:59 \uFFFD", m));
        assertEquals("Jan 23 21:59:59", "\u0000\u00ff@@ garbage Jan 23 21:59:59 \uFFFD".substring(m.start, m.end));
        // digits outside ASCII, also beyond the BMP (Mathematical digits), are digits to \d
        String wide = "x \uD835\uDFCF\uD835\uDFD0:\uD835\uDFD1\uD835\uDFD2:\uD835\uDFD3\uD835\uDFD4 y";
        assertEquals(LineShape.TIME, LineShape.of(wide) & LineShape.TIME);
        assertEquals(LineShape.TIME, LineShape.of("\u0661\u0662:\u0663:\u0664") & LineShape.TIME);
        assertEquals(0, LineShape.of("1:2 3:4 12::3 1:234:5") & LineShape.TIME);
        assertEquals(LineShape.TIME, LineShape.of("a1:2:3") & LineShape.TIME);
        assertEquals(LineShape.TIME, LineShape.of("12:34:5") & LineShape.TIME);
        assertEquals(LineShape.DIGITS_6 | LineShape.DIGITS_8, LineShape.of("x12345678y"));
        assertEquals(LineShape.DIGITS_6 | LineShape.DIGITS_8 | LineShape.DIGITS_10, LineShape.of("1234567890"));
        assertEquals(LineShape.TIME | LineShape.SPACE_TIME, LineShape.of("Jan 23  1:2:3"));
        assertEquals(LineShape.TIME | LineShape.SPACE_TIME, LineShape.of("x 21:59:59"));
        assertEquals(LineShape.TIME, LineShape.of("x 121:59:59"));
        assertEquals(LineShape.TIME, LineShape.of("[14/Nov/2023:20:56:48 +0100]"));
        assertEquals(LineShape.TIME | LineShape.YEAR_SEP | LineShape.DIGIT_SEP_DIGIT, LineShape.of("2005-01-23T21:59:59"));
        assertEquals(LineShape.TIME | LineShape.SPACE_TIME | LineShape.DIGIT_SEP_DIGIT, LineShape.of("05/20/08 01:57:39"));
        assertEquals(LineShape.DIGIT_SEP_DIGIT, LineShape.of("a12/ 5/2"));
        assertEquals(0, LineShape.of("a12/ 5/ 2 1-x -3"));
        assertEquals(LineShape.TAI64N, LineShape.of("@4000000037c219bf2ef02e94") & LineShape.TAI64N);
        assertEquals(0, LineShape.of("@4000000037c219bf2ef02e9") & LineShape.TAI64N);
    }

    @Test
    void shouldNeedATimeOnlyForPlainPatternsThatHoldOne() {
        assertEquals(LineShape.TIME, DateDetector.plainPatternNeeds("{^LN-BEG}%d/%b/%Y:%H:%M:%S %z"));
        assertEquals(LineShape.TIME, DateDetector.plainPatternNeeds("^%ExY-%Exm-%Exd %ExH:%ExM:%ExS$"));
        assertEquals(0, DateDetector.plainPatternNeeds("(?:%H:%M:%S)?"));
        assertEquals(0, DateDetector.plainPatternNeeds("%H:%M:%S|x"));
        assertEquals(0, DateDetector.plainPatternNeeds("%%H:%M:%S"));
        assertEquals(0, DateDetector.plainPatternNeeds("%H:%M"));
    }
}
