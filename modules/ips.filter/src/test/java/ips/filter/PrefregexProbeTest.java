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
import java.time.zone.ZoneRules;
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
        assertTrue(PrefregexProbe.matchesEveryNonEmptyLine("^" + TAIL));
        assertTrue(PrefregexProbe.matchesEveryNonEmptyLine("^(?:\\S+\\s+)?(?:[^.]+\\.)*\\s*" + TAIL));
        assertTrue(PrefregexProbe.matchesEveryNonEmptyLine("^(?P<mlfid>(?:\\[\\])?\\s*(?:<[^.]+>\\s+)?)(?:(?:error|fatal): )?" + TAIL));
        assertTrue(PrefregexProbe.matchesEveryNonEmptyLine("^[]^$|(]*" + TAIL), "anchors and bars inside a class");
        // a prefix that must match something
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^\\S+ " + TAIL));
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^(?:a|b)" + TAIL));
        // other tails
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^(?P<content>.*)$"));
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^(?P<content>.+)\\s*$"));
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("(?:x)?" + TAIL), "not anchored");
        // prefixes whose empty match depends on the text around them
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^x*|y" + TAIL), "an alternative at the top");
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^(?=\\S)?" + TAIL));
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^(?!x)" + TAIL));
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^(?<!x)" + TAIL));
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^\\b" + TAIL));
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^(?:^)?" + TAIL));
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^(?:$)?" + TAIL));
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^(?P<a>x)?(?(a)y|)" + TAIL), "a conditional");
        // not a regex of its own
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^(x" + TAIL));
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^x)(" + TAIL));
        assertFalse(PrefregexProbe.matchesEveryNonEmptyLine("^[x" + TAIL));
    }

    @TestFactory
    Stream<DynamicTest> theProbeAnswersAsTheSearchOnEveryStockPrefregex() throws Exception {
        assumeTrue(Sshd.available() && Files.isDirectory(LineScreenTest.LOGS), "fail2ban's filters and sample logs are not installed");
        List<DynamicTest> tests = new ArrayList<>();
        int shaped = 0;
        try (Stream<Path> s = Files.list(Sshd.CONFIG.resolve("filter.d"))) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".conf")) {
                    continue;
                }
                String filter = name.substring(0, name.length() - 5);
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
                Path log = LineScreenTest.LOGS.resolve(filter);
                List<String> lines = Files.isRegularFile(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
                String dp = def.datepattern();
                ZoneRules zone = TimeZones.parse("UTC");
                DateDetector dd = dp == null || dp.isBlank() ? DateDetector.defaults(zone, () -> LineScreenTest.NOW_MS)
                        : DateDetector.forPattern(dp, zone, () -> LineScreenTest.NOW_MS);
                tests.add(DynamicTest.dynamicTest(filter, () -> compare(cf, dd, lines)));
            }
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
        PrefregexProbe probe = new PrefregexProbe(cf);
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
            matched += searched ? 1 : 0;
        }
        assertTrue(lines.isEmpty() || matched > 0, "the prefregex matched none of " + texts.size() + " texts");
    }
}
