package ips.filter.tester;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * test-filter's summary against the real fail2ban-regex (Debian's 1.0.2), run side by side on every
 * sample log of fail2ban's test corpus that has a filter of its name: the same text, line for line
 * (the filter and log headings, the prefregex and the lines it matched, hits per failregex and
 * ignoreregex, date template hits in fail2ban's order, the line counts, and the ignored and missed
 * lines listed), but for the time taken. Both run with {@code --usedns=no}: no test
 * sends a DNS query. Filters with modes ({@code mdre-MODE}) run in each of them too.
 */
class Fail2banRegexSummaryTest {
    private static final Path FILTERS = Path.of("/etc/fail2ban/filter.d");
    private static final Path LOGS = Path.of("/usr/lib/python3/dist-packages/fail2ban/tests/files/logs");
    private static final Path FAIL2BAN_REGEX = Path.of("/usr/bin/fail2ban-regex");
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    @TestFactory
    Stream<DynamicTest> summariesAreFail2banRegexsOnEverySampleLog() throws IOException {
        assumeTrue(Files.isExecutable(FAIL2BAN_REGEX) && Files.isDirectory(LOGS), "Debian package fail2ban is not installed");
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(FILTERS)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".conf"))
                    .map(n -> n.substring(0, n.length() - 5))
                    .filter(n -> Files.isRegularFile(LOGS.resolve(n)))
                    .sorted()
                    .forEach(names::add);
        }
        assumeTrue(names.size() > 50, "fail2ban's sample logs: only " + names.size());
        // and every mode of the filters that have modes (mdre-MODE): sshd[mode=aggressive] ...
        List<String> withModes = new ArrayList<>(names);
        for (String n : names) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^mdre-([a-z]+)\\s*=")
                    .matcher(Files.readString(FILTERS.resolve(n + ".conf")));
            java.util.Set<String> modes = new java.util.TreeSet<>();
            while (m.find()) {
                modes.add(m.group(1));
            }
            for (String mode : modes) {
                withModes.add(n + "[mode=" + mode + "]");
            }
        }
        names = withModes;
        List<Future<String>> theirs = new ArrayList<>();
        for (String n : names) {
            theirs.add(POOL.submit(() -> fail2banRegex(n)));
        }
        List<String> all = names;
        return all.stream().map(n -> DynamicTest.dynamicTest(n, () -> {
            String expected = comparable(theirs.get(all.indexOf(n)).get(120, TimeUnit.SECONDS));
            assertEquals(expected, comparable(ours(n)), n);
        }));
    }

    private static String fail2banRegex(String name) throws Exception {
        Process p = new ProcessBuilder(FAIL2BAN_REGEX.toString(), "--usedns=no", LOGS.resolve(log(name)).toString(), name)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("fail2ban-regex " + name + " did not end");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String ours(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = TestFilterCommand.run(new String[] {"--usedns=no", LOGS.resolve(log(name)).toString(), name},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The sample log of a filter (given with or without its options). */
    private static String log(String filter) {
        int at = filter.indexOf('[');
        return at < 0 ? filter : filter.substring(0, at);
    }

    /** Without the time taken; no trailing blanks. */
    static String comparable(String summary) {
        List<String> keep = new ArrayList<>();
        for (String line : summary.split("\n", -1)) {
            if (line.startsWith("[processed in ")) {
                continue;
            }
            keep.add(line.stripTrailing());
        }
        return String.join("\n", keep);
    }
}
