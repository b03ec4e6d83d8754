package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code --verbose-date} prints of a template: its weights, datepattern and regex text, as fail2ban prints them. */
class VerboseDateTest {

    /** strptime.py's grp on the same lists (run with Python 3.11). */
    @Test
    void yearCenturiesAreGroupedAsFail2banGroupsThem() {
        assertEquals("20[012]", PatternTemplate.group(List.of("200", "201", "202")));
        assertEquals("20[0123]", PatternTemplate.group(List.of("200", "201", "202", "203")));
        assertEquals("(?:199|200)", PatternTemplate.group(List.of("199", "200")));
        assertEquals("(?:199|200|201)", PatternTemplate.group(List.of("199", "200", "201")));
        assertEquals("2(?:10|20)", PatternTemplate.group(List.of("210", "220")));
        assertEquals("2(?:01|11)", PatternTemplate.group(List.of("201", "211")));
        assertEquals("202", PatternTemplate.group(List.of("202")));
        assertEquals("20[012]", PatternTemplate.centuries(2026));
    }

    /** Python's "%.3f": the exact binary value, half to even (1.0005 is 1.000499999...: 1.000, not Java's 1.001). */
    @Test
    void weightsAreWrittenAsPythonWritesThreeDecimals() {
        assertEquals("1.000", DateDetector.threeDecimals(1.0005));
        assertEquals("200000.000", DateDetector.threeDecimals(200000));
        assertEquals("66.667", DateDetector.threeDecimals(200 / 3.0));
        assertEquals("0.125", DateDetector.threeDecimals(0.125));
        assertEquals("0.000", DateDetector.threeDecimals(0));
    }

    /** The Epoch templates show fail2ban's regex with its conditionals, which the matching regex leaves out. */
    @Test
    void epochTemplatesShowFail2bansRegex() throws Exception {
        assertEquals("^(?:\\W{0,2})?((?P<square>(?<=^\\[))?\\d{10,11}\\b(?:\\.\\d{3,6})?)(?(square)(?=\\]))(?=\\b|\\W|$)",
                EpochTemplate.of(true, false).regexText());
        assertEquals("((?:^|(?P<square>(?<=^\\[))|(?P<selinux>(?<=\\baudit\\()))\\d{10,11}\\b(?:\\.\\d{3,6})?)"
                + "(?:(?(selinux)(?=:\\d+\\)))|(?(square)(?=\\])))(?=\\b|\\W|$)", EpochTemplate.of(false, false).regexText());
        assertEquals("", EpochTemplate.of(false, false).pattern());
    }
}
