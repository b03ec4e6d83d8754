package ips.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.config.FilterDefinition;
import ips.config.FilterLoader;
import ips.filter.date.DateDetector;
import ips.filter.date.DateMatch;
import ips.filter.date.TimeZones;
import ips.filter.regex.BudgetedText;
import ips.filter.regex.PyRegex;
import ips.filter.regex.RegexMatcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link PrefregexProbe}: the shape that matches every non-empty line is recognised only where
 * that holds, and the probe's answer is the prefregex's own search, for every stock filter that
 * has a prefregex, on its sample log's lines, their tails and empty text.
 */
class PrefregexProbeTest {
    private static final String TAIL = "(?P<content>.+)$";

    @Test
    void theShapeNeedsAPrefixThatMatchesNothingWhereverItStands() {
        for (String p : List.of("^" + TAIL, "^(?:\\S+\\s+)?(?:[^.]+\\.)*\\s*" + TAIL,
                "^(?P<mlfid>(?:\\[\\])?\\s*(?:<[^.]+>\\s+)?)(?:(?:error|fatal): )?" + TAIL,
                "^[]^$|(]*" + TAIL)) { // anchors and bars inside a class are characters
            assertTrue(PrefregexProbe.matchesEveryNonEmptyLine(p), p);
        }
        for (String p : List.of(
                // a prefix that must match something
                "^\\S+ " + TAIL, "^(?:a|b)" + TAIL,
                // other tails, or none
                "^(?P<content>.*)$", "^(?P<content>.+)\\s*$", "(?:x)?" + TAIL,
                // prefixes whose empty match depends on the text around them: an alternative at
                // the top, look-arounds, a boundary, anchors, a conditional
                "^x*|y" + TAIL, "^(?=\\S)?" + TAIL, "^(?!x)" + TAIL, "^(?<!x)" + TAIL, "^\\b" + TAIL,
                "^(?:^)?" + TAIL, "^(?:$)?" + TAIL, "^(?P<a>x)?(?(a)y|)" + TAIL,
                // not a regex of its own
                "^(x" + TAIL, "^x)(" + TAIL, "^[x" + TAIL)) {
            assertFalse(PrefregexProbe.matchesEveryNonEmptyLine(p), p);
        }
    }

    @TestFactory
    Stream<DynamicTest> theProbeAnswersAsTheSearchOnEveryStockPrefregex() throws Exception {
        assumeTrue(Sshd.available() && Files.isDirectory(Sshd.LOGS), "fail2ban's filters and sample logs are not installed");
        List<DynamicTest> tests = new ArrayList<>();
        int shaped = 0;
        for (String filter : Sshd.stockFilters()) {
            FilterDefinition def;
            CompiledFilter cf;
            try {
                def = FilterLoader.load(Sshd.CONFIG, filter, Map.of());
                cf = CompiledFilter.compile(def, "no");
            } catch (Exception e) {
                continue; // filters that need options are tested elsewhere
            }
            if (cf.pref() == null) {
                continue;
            }
            if (cf.prefShape().everyNonEmptyLine()) {
                shaped++;
            }
            Path log = Sshd.LOGS.resolve(filter);
            List<String> lines = Files.isRegularFile(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            DateDetector dd = Sshd.detector(def, TimeZones.parse("UTC"));
            tests.add(DynamicTest.dynamicTest(filter, () -> compare(cf, dd, lines)));
        }
        assertTrue(tests.size() >= 15, "stock filters with a prefregex: " + tests.size());
        assertTrue(shaped >= 3, "filters whose prefregex matches every non-empty line: " + shaped);
        return tests.stream();
    }

    /**
     * Each line without its date (as the matcher searches it), the whole line, some of its tails
     * and odd texts: probe and search agree.
     */
    private static void compare(CompiledFilter cf, DateDetector dd, List<String> lines) {
        PrefregexProbe probe = new PrefregexProbe(cf, false);
        PrefregexProbe searching = new PrefregexProbe(cf, true);
        PyRegex pref = cf.pref();
        RegexMatcher ascii = pref.asciiMatcher();
        RegexMatcher unicode = pref.unicodeMatcher();
        List<String> texts = new ArrayList<>(List.of("", " ", "x", "\t", "\u00e9", "error: ", "a: b"));
        Random random = new Random(7);
        for (String l : lines) {
            if (l.startsWith("#")) {
                continue;
            }
            texts.add(l);
            DateMatch dm = new DateMatch();
            if (dd.find(l, dm)) {
                texts.add(l.substring(0, dm.start) + l.substring(dm.end));
            }
            for (int i = 0, cuts = 0; i < l.length() && cuts < 4; i++) {
                if (l.charAt(i) == ' ') {
                    texts.add(l.substring(i + 1));
                    cuts++;
                }
            }
            if (!l.isEmpty()) {
                texts.add(l.substring(random.nextInt(l.length())));
            }
        }
        int matched = 0;
        for (String t : texts) {
            BudgetedText a = new BudgetedText();
            a.budget(FilterMatcher.DEFAULT_LINE_BUDGET);
            a.append(t).append('\n');
            BudgetedText b = new BudgetedText();
            b.budget(FilterMatcher.DEFAULT_LINE_BUDGET);
            b.append(t).append('\n');
            boolean searched = (b.isAscii() ? ascii : unicode).search(b, pref.anchored());
            assertEquals(searched, probe.matches(a), () -> "prefregex " + pref.python() + " on " + t);
            assertEquals(searched, searching.matches(a), () -> "prefregex " + pref.python() + " searched on " + t);
            assertEquals(searched, searching.lastMatch() != null, () -> "the match of " + pref.python() + " on " + t);
            matched += searched ? 1 : 0;
        }
        assertTrue(lines.isEmpty() || matched > 0, "the prefregex matched none of " + texts.size() + " texts");
    }
}
