package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A 1 MB line of near-dates does not stall any template (no catastrophic backtracking). */
class LongLineTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "Jan 01 ", "2005-01-01 ", "12:34:", "1106513999.", "CEST Jan 1 1:1:1x"})
    void shouldScanAMegabyteLineOfNearDatesQuickly(String unit) throws Exception {
        StringBuilder sb = new StringBuilder(1 << 20);
        while (sb.length() < (1 << 20)) {
            sb.append(unit);
        }
        String line = sb.toString();
        for (String p : new String[] {null, "{UNB}%H:%M:%S"}) {
            DateDetector dd = p == null ? DateDetectorTest.defaults() : DateDetectorTest.pattern(p);
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                DateMatch m = new DateMatch();
                dd.find(line, m);
            }, () -> "pattern " + p + " on 1 MB of '" + unit + "'");
        }
    }
}
