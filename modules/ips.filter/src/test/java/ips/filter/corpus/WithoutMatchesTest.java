package ips.filter.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.LogLine;
import ips.config.FilterDefinition;
import ips.config.FilterLoader;
import ips.filter.CompiledFilter;
import ips.filter.FilterFailure;
import ips.filter.FilterMatcher;
import ips.filter.date.DateDetector;
import ips.filter.date.TimeZones;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A matcher {@link FilterMatcher#withoutMatches without matches} reports the same failures as one
 * with them (ids, addresses, times, nofail, every other field), over every sample log of
 * fail2ban's corpus, multi-line filters and {@code mlfid} merging included, with checkAllRegex on
 * (the tester) and off (the daemon).
 */
class WithoutMatchesTest {

    @TestFactory
    Stream<DynamicTest> failuresAreTheSameWithoutTheirLines() throws Exception {
        Path filters = FailSamplesCorpusTest.CONFIG_DIR.resolve("filter.d");
        assumeTrue(Files.isDirectory(FailSamplesCorpusTest.LOGS) && Files.isDirectory(filters),
                "Debian package fail2ban is not installed");
        List<String> names;
        try (Stream<Path> s = Files.list(filters)) {
            names = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".conf") && !f.endsWith("common.conf"))
                    .map(f -> f.substring(0, f.length() - 5))
                    .filter(n -> Files.isRegularFile(FailSamplesCorpusTest.LOGS.resolve(n))).sorted().toList();
        }
        assertFalse(names.isEmpty());
        return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            FilterDefinition def = FilterLoader.load(FailSamplesCorpusTest.CONFIG_DIR, name, Map.of());
            CompiledFilter cf = CompiledFilter.compile(def, "warn");
            List<String> lines = FailSamplesCorpusTest.readLogLines(FailSamplesCorpusTest.LOGS.resolve(name));
            for (boolean checkAll : new boolean[] {true, false}) {
                List<String> with = run(cf, def, lines, checkAll, false);
                List<String> without = run(cf, def, lines, checkAll, true);
                assertEquals(with, without, name + (checkAll ? " (every failregex)" : " (first hit)"));
            }
        }));
    }

    /** Every failure of the lines as one comparable line each, {@code matches} left out. */
    private static List<String> run(CompiledFilter cf, FilterDefinition def, List<String> lines, boolean checkAll,
            boolean withoutMatches) throws Exception {
        ZoneRules zone = TimeZones.parse(FailSamplesCorpusTest.TZ);
        long now = FailSamplesCorpusTest.NOW_MS;
        DateDetector dd = def.datepattern() == null || def.datepattern().isBlank()
                ? DateDetector.defaults(zone, () -> now)
                : DateDetector.forPattern(def.datepattern(), zone, () -> now);
        FilterMatcher m = cf.newMatcher(dd::find, () -> now, checkAll);
        if (withoutMatches) {
            m.withoutMatches();
        }
        List<String> out = new ArrayList<>();
        int[] lineNo = new int[1];
        for (String line : lines) {
            lineNo[0]++;
            if (line.startsWith("#")) {
                continue;
            }
            m.process(line, LogLine.UNKNOWN_TIME, (n, f) -> out.add(lineNo[0] + " " + describe(f, withoutMatches)));
        }
        return out;
    }

    private static String describe(FilterFailure f, boolean withoutMatches) {
        Map<String, Object> fields = new LinkedHashMap<>(f.fields());
        if (withoutMatches) {
            assertFalse(fields.containsKey("matches") || fields.containsKey("nofail-matches"), fields::toString);
        } else {
            fields.remove("matches");
            fields.remove("nofail-matches");
        }
        return f.regex() + " " + f.fid() + " " + f.address() + " " + f.timeMillis() + " " + f.nofail() + " " + fields;
    }
}
