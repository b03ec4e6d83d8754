package ips.filter;

import ips.config.FilterDefinition;
import ips.config.FilterLoader;
import ips.filter.date.DateDetector;
import ips.filter.date.TimeZones;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Test helper: stock filters from /etc/fail2ban, set up as fail2ban's sample tests set them up. */
final class Sshd {
    static final Path CONFIG = Path.of("/etc/fail2ban");
    static final long NOW_MS = 1124013600_000L;

    private Sshd() {}

    static boolean available() {
        return Files.isRegularFile(CONFIG.resolve("filter.d/sshd.conf"));
    }

    /** fail2ban's sample logs (Debian's fail2ban package), one per filter of the same name. */
    static final Path LOGS = Path.of("/usr/lib/python3/dist-packages/fail2ban/tests/files/logs");

    /** The stock filters' names ({@code filter.d/*.conf}), sorted. */
    static List<String> stockFilters() throws IOException {
        try (Stream<Path> s = Files.list(CONFIG.resolve("filter.d"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".conf"))
                    .map(n -> n.substring(0, n.length() - 5))
                    .sorted()
                    .toList();
        }
    }

    /** The body of a test on one stock filter and its sample log ({@link #perSampleLog}). */
    interface SampleTest {
        void run(String filter, FilterDefinition def, CompiledFilter cf, Path log) throws Exception;
    }

    /**
     * One test per stock filter that has a sample log, given the filter loaded and compiled as
     * fail2ban's sample tests do ({@code usedns = warn}); a filter that needs options passes (the
     * corpus tests run it with them).
     */
    static Stream<org.junit.jupiter.api.DynamicTest> perSampleLog(SampleTest test) throws IOException {
        List<org.junit.jupiter.api.DynamicTest> tests = new java.util.ArrayList<>();
        for (String filter : stockFilters()) {
            Path log = LOGS.resolve(filter);
            if (!Files.isRegularFile(log)) {
                continue;
            }
            tests.add(org.junit.jupiter.api.DynamicTest.dynamicTest(filter, () -> {
                FilterDefinition def;
                CompiledFilter cf;
                try {
                    def = FilterLoader.load(CONFIG, filter, Map.of());
                    cf = CompiledFilter.compile(def, "warn");
                } catch (Exception e) {
                    return;
                }
                test.run(filter, def, cf, log);
            }));
        }
        org.junit.jupiter.api.Assertions.assertTrue(tests.size() > 50, "sample logs found: " + tests.size());
        return tests.stream();
    }

    /** The filter's own date detection in {@code zone}: its datepattern, or fail2ban's default templates. */
    static DateDetector detector(FilterDefinition def, ZoneRules zone) throws ips.filter.date.DatePatternException {
        String dp = def.datepattern();
        return dp == null || dp.isBlank() ? DateDetector.defaults(zone, () -> NOW_MS) : DateDetector.forPattern(dp, zone, () -> NOW_MS);
    }

    static FilterMatcher matcher(String filter, Map<String, String> opts, boolean checkAll) throws Exception {
        FilterDefinition def = FilterLoader.load(CONFIG, filter, opts);
        CompiledFilter cf = CompiledFilter.compile(def, "warn");
        ZoneRules zone = TimeZones.parse("CET-01CEST-02,M3.5.0,M10.5.0");
        DateDetector dd = DateDetector.defaults(zone, () -> NOW_MS);
        return cf.newMatcher(dd::find, () -> NOW_MS, checkAll);
    }
}
