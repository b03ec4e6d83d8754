package ips.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.config.FilterDefinition;
import ips.config.FilterLoader;
import ips.filter.regex.BudgetedText;
import ips.filter.regex.FastRegex;
import ips.filter.regex.PyRegex;
import ips.filter.regex.RegexMatcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link ips.filter.regex.FastMatcher} finds what {@code java.util.regex} finds, with the same
 * groups: every prefregex, failregex and ignoreregex of fail2ban's stock filters (each {@code
 * mode}), searched and matched at the start, over fail2ban's sample lines, the prefregex contents
 * the failregexes really see, mutations of both (characters dropped, doubled, replaced by the ones
 * the patterns turn on, lines cut) and buffers of two and three consecutive sample lines, as
 * multi-line filters search them.
 */
class FastRegexDifferentialTest {
    static final Path FILTERS = Path.of("/etc/fail2ban/filter.d");
    static final Path LOGS = Path.of("/usr/lib/python3/dist-packages/fail2ban/tests/files/logs");
    static final java.util.concurrent.atomic.AtomicLong COMPARED = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong GAVE_UP = new java.util.concurrent.atomic.AtomicLong();

    @org.junit.jupiter.api.AfterAll
    static void report() {
        System.out.println("fast regex against java.util.regex: " + COMPARED + " searches compared, " + GAVE_UP + " given up");
    }

    private static final String MUTATIONS = " :[]().-/\n\\\"'=@_0123456789aAfFxX";

    @TestFactory
    Stream<DynamicTest> stockFiltersMatchAsJavaUtilRegexDoes() throws Exception {
        assumeTrue(Files.isDirectory(FILTERS) && Files.isDirectory(LOGS), "Debian package fail2ban is not installed");
        List<String> names;
        try (Stream<Path> s = Files.list(FILTERS)) {
            names = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".conf") && !f.endsWith("common.conf"))
                    .map(f -> f.substring(0, f.length() - 5)).sorted().toList();
        }
        List<String> everyLine = new ArrayList<>();
        try (Stream<Path> s = Files.list(LOGS)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                everyLine.addAll(asciiLines(p));
            }
        }
        Random rnd = new Random(42);
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 600 && !everyLine.isEmpty(); i++) {
            others.add(everyLine.get(rnd.nextInt(everyLine.size())));
        }
        return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Set<String> texts = new LinkedHashSet<>();
            Path own = LOGS.resolve(name);
            List<String> ownLines = Files.isRegularFile(own) ? asciiLines(own) : List.of();
            texts.addAll(ownLines);
            texts.addAll(others);
            Map<String, PyRegex> patterns = new LinkedHashMap<>();
            for (String mode : new String[] {null, "aggressive", "ddos", "extra", "normal"}) {
                Map<String, String> opts = mode == null ? Map.of() : Map.of("mode", mode);
                CompiledFilter cf;
                try {
                    cf = CompiledFilter.compile(FilterLoader.load(FILTERS.getParent(), name, opts), "warn");
                } catch (FilterException | RuntimeException e) {
                    continue;
                }
                if (cf.pref() != null) {
                    patterns.putIfAbsent(cf.pref().asciiPattern().pattern(), cf.pref());
                    // what the failregexes see: the prefregex's content of each line
                    int content = cf.pref().group("content");
                    RegexMatcher jm = RegexMatcher.jdk(cf.pref().asciiPattern());
                    for (String l : new ArrayList<>(texts)) {
                        BudgetedText t = text(l + "\n");
                        if (content > 0 && jm.search(t, false) && jm.start(content) >= 0) {
                            texts.add(l.substring(Math.min(l.length(), jm.start(content)), Math.min(l.length(), jm.end(content))));
                        }
                    }
                }
                for (PyRegex r : cf.fail()) {
                    patterns.putIfAbsent(r.asciiPattern().pattern(), r);
                }
                for (PyRegex r : cf.ignore()) {
                    patterns.putIfAbsent(r.asciiPattern().pattern(), r);
                }
            }
            List<String> all = new ArrayList<>(texts);
            Random mr = new Random(name.hashCode());
            for (String t : texts) {
                for (int k = 0; k < 3; k++) {
                    all.add(mutate(t, mr));
                }
            }
            // multi-line filters search buffers of several lines joined by \n
            for (int k = 0; k + 1 < ownLines.size(); k++) {
                all.add(ownLines.get(k) + "\n" + ownLines.get(k + 1));
                if (k + 2 < ownLines.size()) {
                    all.add(ownLines.get(k) + "\n" + ownLines.get(k + 1) + "\n" + ownLines.get(k + 2));
                }
            }
            int compared = 0;
            for (PyRegex r : patterns.values()) {
                FastRegex fast = FastRegex.compile(r.asciiPattern().pattern(), r.asciiPattern().flags());
                if (fast == null) {
                    continue;
                }
                RegexMatcher f = fast.matcher();
                RegexMatcher j = RegexMatcher.jdk(r.asciiPattern());
                for (String l : all) {
                    String s = l + "\n";
                    for (boolean anchored : new boolean[] {false, true}) {
                        BudgetedText jt = text(s);
                        boolean jr = j.search(jt, anchored);
                        BudgetedText ft = text(s);
                        boolean fr;
                        try {
                            fr = f.search(ft, anchored);
                        } catch (BudgetedText.BudgetExceeded gaveUp) {
                            GAVE_UP.incrementAndGet();
                            continue; // handed to java.util.regex in production
                        }
                        String where = name + ": /" + r.asciiPattern().pattern() + "/ " + (anchored ? "at start " : "") + "on " + s;
                        assertEquals(jr, fr, where);
                        if (jr) {
                            assertEquals(j.groupCount(), f.groupCount(), where);
                            for (int g = 0; g <= j.groupCount(); g++) {
                                assertEquals(j.start(g) + ".." + j.end(g), f.start(g) + ".." + f.end(g), where + " group " + g);
                            }
                        }
                        compared++;
                        COMPARED.incrementAndGet();
                    }
                }
            }
            assertTrue(compared > 0 || patterns.isEmpty() || all.isEmpty(), name + ": nothing compared");
        }));
    }

    /** Every stock pattern runs on the fast engine (a translator change that loses one fails here). */
    @Test
    void runsEveryStockPattern() throws Exception {
        assumeTrue(Files.isDirectory(FILTERS), "Debian package fail2ban is not installed");
        int total = 0;
        int fast = 0;
        List<String> not = new ArrayList<>();
        try (Stream<Path> s = Files.list(FILTERS)) {
            for (Path p : s.sorted().toList()) {
                String f = p.getFileName().toString();
                if (!f.endsWith(".conf") || f.endsWith("common.conf")) {
                    continue;
                }
                CompiledFilter cf;
                try {
                    cf = CompiledFilter.compile(FilterLoader.load(FILTERS.getParent(), f.substring(0, f.length() - 5), Map.of()), "warn");
                } catch (FilterException | RuntimeException e) {
                    continue;
                }
                List<PyRegex> rs = new ArrayList<>(List.of(cf.fail()));
                rs.addAll(List.of(cf.ignore()));
                if (cf.pref() != null) {
                    rs.add(cf.pref());
                }
                for (PyRegex r : rs) {
                    total++;
                    if (FastRegex.compile(r.asciiPattern().pattern(), r.asciiPattern().flags()) != null) {
                        fast++;
                    } else {
                        not.add(f + ": " + r.asciiPattern().pattern());
                    }
                }
            }
        }
        System.out.println("fast regex: " + fast + " of " + total + " stock patterns; not: " + not);
        assertTrue(total > 150, "stock patterns found: " + total);
        assertEquals(total, fast, fast + " of " + total + "; not: " + not);
    }

    @Test
    void everySshdFailregexRunsOnTheFastEngine() throws Exception {
        assumeTrue(Files.isDirectory(FILTERS), "Debian package fail2ban is not installed");
        CompiledFilter cf = CompiledFilter.compile(FilterLoader.load(FILTERS.getParent(), "sshd", Map.of()), "warn");
        for (PyRegex r : cf.fail()) {
            assertTrue(FastRegex.compile(r.asciiPattern().pattern(), r.asciiPattern().flags()) != null,
                    "sshd's failregexes all run on the fast engine: " + r.asciiPattern().pattern());
        }
    }

    static BudgetedText text(String s) {
        BudgetedText t = new BudgetedText().clear().append(s);
        t.budget(FilterMatcher.DEFAULT_LINE_BUDGET);
        return t;
    }

    private static String mutate(String s, Random r) {
        if (s.isEmpty()) {
            return s;
        }
        int i = r.nextInt(s.length());
        return switch (r.nextInt(5)) {
            case 0 -> s.substring(0, i) + s.substring(i + 1);
            case 1 -> s.substring(0, i) + MUTATIONS.charAt(r.nextInt(MUTATIONS.length())) + s.substring(i + 1);
            case 2 -> s.substring(0, i) + MUTATIONS.charAt(r.nextInt(MUTATIONS.length())) + s.substring(i);
            case 3 -> s.substring(0, i);
            default -> {
                int j = Math.min(s.length(), i + 1 + r.nextInt(12));
                yield s.substring(0, j) + s.substring(i);
            }
        };
    }

    private static List<String> asciiLines(Path p) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        for (String l : new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).split("\n")) {
            if (l.startsWith("#") || l.chars().anyMatch(c -> c >= 0x80)) {
                continue;
            }
            out.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        }
        return out;
    }
}
