package ips.filter.tester;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
        return onEverySampleLog();
    }

    /**
     * With {@code -v}: every failregex, ignoreregex and date template listed, hits or not, each
     * failregex with the failures it found (id and local time), the prefregex with the groups of
     * its first 20 matches. A failure without a date is stamped with the time of the run, which
     * differs between the two processes by a second at times: such times are compared as "now".
     */
    @TestFactory
    Stream<DynamicTest> verboseSummariesAreFail2banRegexsOnEverySampleLog() throws IOException {
        return onEverySampleLog("-v");
    }

    /** With {@code --no-check-all}: a line stops at its first failregex, and pending failures still count. */
    @TestFactory
    Stream<DynamicTest> firstHitSummariesAreFail2banRegexsOnEverySampleLog() throws IOException {
        return onEverySampleLog("--no-check-all");
    }

    /**
     * With {@code -v --VD -l warning}: each date template also with its weights, datepattern and
     * regex text, and fail2ban's warnings (a failure without a date) logged between the "Use"
     * lines and the results, in fail2ban-regex's log format (their time and process id aside).
     */
    @TestFactory
    Stream<DynamicTest> verboseDateAndWarningSummariesAreFail2banRegexsOnEverySampleLog() throws IOException {
        return onEverySampleLog("-v", "--VD", "-l", "warning");
    }

    /**
     * {@code -o matches}: each failure's lines as Python writes fail2ban's tuples ({@code ('',
     * 'Jun 21 16:47:48', ' host sshd[1]: ...')}); {@code -o row}: id, time (a Python int where
     * fail2ban's strptime gives one, when the date has a zone, else a float) and fields. A set
     * ({@code users}) is compared as its sorted elements: Python writes it in its hash order, which
     * changes from one run of fail2ban-regex to the next.
     */
    @TestFactory
    Stream<DynamicTest> matchedLinesAreFail2banRegexsOnEverySampleLog() throws IOException {
        return onEverySampleLog("-o", "matches");
    }

    @TestFactory
    Stream<DynamicTest> rowsAreFail2banRegexsOnEverySampleLog() throws IOException {
        return onEverySampleLog("-o", "row");
    }

    /**
     * {@code -l error} and {@code -l warning}: dates that are no dates (Feb 30, hour 24) are each an
     * error, a failure without a date is a warning once, in the summary and between {@code -o}'s
     * addresses, as fail2ban-regex logs them.
     */
    @org.junit.jupiter.api.Test
    void badDatesAreLoggedAsFail2banRegexLogsThem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(FAIL2BAN_REGEX) && Files.isRegularFile(FILTERS.resolve("sshd.conf")),
                "Debian package fail2ban is not installed");
        Files.writeString(dir.resolve("t.log"), String.join("\n",
                "Feb 30 10:00:00 host sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2",
                "Jan  1 24:00:00 host sshd[1]: Failed password for root from 192.0.2.2 port 22 ssh2",
                "host sshd[1]: Failed password for root from 192.0.2.3 port 22 ssh2",
                "Jan  2 10:00:00 host sshd[1]: Failed password for root from 192.0.2.4 port 22 ssh2",
                "Feb 31 10:00:01 host sshd[1]: Connection closed by 192.0.2.5 port 22",
                "host sshd[1]: Failed password for root from 192.0.2.6 port 22 ssh2", ""));
        String log = dir.resolve("t.log").toString();
        String asterisk = LOGS.resolve("asterisk").toString();
        for (String[] args : List.of(new String[] {"-l", "error", log, "sshd"}, new String[] {"-l", "warning", "-v", log, "sshd"},
                new String[] {"--log-level=WARNING", "-o", "ip", log, "sshd"}, new String[] {"-l", "30", "-o", "ip", asterisk, "asterisk"},
                new String[] {"-l", "critical", log, "sshd"})) {
            String theirs = run(args);
            assertEquals(!args[1].equals("critical"), theirs.contains(" fail2ban.filter "), theirs); // the test tests something
            assertEquals(comparable(theirs), comparable(ours(args)), String.join(" ", args));
        }
    }

    private static Stream<DynamicTest> onEverySampleLog(String... options) throws IOException {
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
            theirs.add(POOL.submit(() -> run(args(n, options))));
        }
        List<String> all = names;
        return all.stream().map(n -> DynamicTest.dynamicTest(n, () -> {
            String expected = comparable(theirs.get(all.indexOf(n)).get(120, TimeUnit.SECONDS));
            assertEquals(expected, comparable(ours(args(n, options))), n);
        }));
    }

    /**
     * {@code -e ENCODING}: a log of latin-1 and UTF-8 bytes read as latin-1, cp1252 and UTF-8, with
     * {@code -v} and {@code --print-all-missed}, so that its characters show in Python's repr
     * (C1 controls, a no-break space, a zero-width space, private use, an emoji, a line separator).
     */
    @org.junit.jupiter.api.Test
    void encodingsDecodeAndPrintAsFail2banRegexDoes(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(FAIL2BAN_REGEX) && Files.isRegularFile(FILTERS.resolve("sshd.conf")),
                "Debian package fail2ban is not installed");
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        for (String hex : List.of("Jan  1 00:00:01 host sshd[1]: Failed password for r\\xe9my from 192.0.2.1 port 22 ssh2",
                "Jan  1 00:00:02 host sshd[2]: Invalid user \\xe9t\\xe9 from 192.0.2.2 port 22",
                "Jan  1 00:00:03 host app: caf\\xe9 \\x81 \\x9d ok",
                "Jan  1 00:00:04 host app: nb\\xc2\\xa0sp zw\\xe2\\x80\\x8bsp priv\\xee\\x80\\x80 emoji \\xf0\\x9f\\x98\\x80 ls\\xe2\\x80\\xa8x")) {
            for (int i = 0; i < hex.length(); i++) {
                if (hex.startsWith("\\x", i)) {
                    log.write(Integer.parseInt(hex.substring(i + 2, i + 4), 16));
                    i += 3;
                } else {
                    log.write(hex.charAt(i));
                }
            }
            log.write('\n');
        }
        Files.write(dir.resolve("t.log"), log.toByteArray());
        for (String enc : List.of("latin-1", "cp1252", "utf-8")) {
            String[] args = {"-e", enc, "-v", "--print-all-missed", "--usedns=no", dir.resolve("t.log").toString(), "sshd"};
            String theirs = run(args);
            assertTrue(theirs.contains("Use         encoding : " + enc), theirs);
            assertEquals(comparable(theirs), comparable(ours(args)), enc);
        }
    }

    /** fail2ban-regex's arguments for filter {@code name} on its sample log, after {@code options}. */
    private static String[] args(String name, String... options) {
        List<String> a = new ArrayList<>(List.of(options));
        a.addAll(List.of("--usedns=no", LOGS.resolve(log(name)).toString(), name));
        return a.toArray(new String[0]);
    }

    /**
     * The prefregex's count where fail2ban's quirks show: a line an ignoreregex drops before the
     * prefregex is searched (fewer ignoreregexes than failregexes less two) keeps the last line's
     * answer, a line that is only a date has nothing for {@code .+}, and with {@code maxlines = 2}
     * the prefregex runs on the joined buffer.
     */
    @org.junit.jupiter.api.Test
    void thePrefregexCountKeepsFail2bansQuirks(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(FAIL2BAN_REGEX), "Debian package fail2ban is not installed");
        String filter = String.join("\n", "[Definition]",
                "prefregex = ^\\s*host app\\[\\d+\\]: <F-CONTENT>.+</F-CONTENT>$",
                "failregex = ^fail one from <HOST>$", "            ^fail two from <HOST>$",
                "            ^fail three from <HOST>$", "            ^fail four from <HOST>$",
                "ignoreregex = ignored", "");
        Files.writeString(dir.resolve("one.conf"), filter);
        Files.writeString(dir.resolve("two.conf"), "[Init]\nmaxlines = 2\n\n" + filter);
        Files.writeString(dir.resolve("t.log"), String.join("\n",
                "Jan  1 00:00:01 host app[1]: fail one from 192.0.2.4", "Jan  1 00:00:02 other thing ignored",
                "Jan  1 00:00:03 other thing", "Jan  1 00:00:04 another ignored", "Jan  1 00:00:05 host app[2]: something",
                "Jan  1 00:00:06 host app[2]: ignored here", "Jan  1 00:00:07", "Jan  1 00:00:08 host app[3]: fail two from 192.0.2.5",
                "Jan  1 00:00:09 x ignored", "nodate host app[4]: fail three from 192.0.2.6", ""));
        for (String f : List.of("one.conf", "two.conf")) {
            String[] args = {"--usedns=no", dir.resolve("t.log").toString(), dir.resolve(f).toString()};
            String theirs = run(args);
            assertTrue(theirs.contains("Prefregex: "), theirs);
            assertEquals(comparable(theirs), comparable(ours(args)), f);
        }
    }

    private static String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(FAIL2BAN_REGEX.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("fail2ban-regex " + String.join(" ", args) + " did not end");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String ours(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = TestFilterCommand.run(args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The sample log of a filter (given with or without its options). */
    private static String log(String filter) {
        int at = filter.indexOf('[');
        return at < 0 ? filter : filter.substring(0, at);
    }

    /** {@code -v}'s failure line: {@code |      ID  Mon Dec 07 03:39:06 2026}, maybe "(multiple regex matched)". */
    private static final java.util.regex.Pattern FAILURE_TIME =
            java.util.regex.Pattern.compile("^(\\|      \\S+  )(\\w{3} \\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d \\d{4})(.*)$");
    private static final java.time.format.DateTimeFormatter CTIME =
            java.time.format.DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", java.util.Locale.ROOT);

    /** {@code -o row}'s id and time: {@code ['192.0.2.1',\t1284616260,\t}. */
    private static final java.util.regex.Pattern ROW_TIME = java.util.regex.Pattern.compile("^(\\[.*?,\t)([0-9.]+)(?=,\t)");

    /** A Python set of strings in a row: {@code 'users': {'b', 'a'}}. */
    private static final java.util.regex.Pattern USERS_SET = java.util.regex.Pattern.compile("'users': \\{([^}]*)\\}");
    private static final java.util.regex.Pattern PY_STRING = java.util.regex.Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"[^\"]*\"");

    /** {@code line} with the elements of each {@code users} set sorted. */
    private static String sortedSets(String line) {
        return USERS_SET.matcher(line).replaceAll(m -> {
            List<String> items = new ArrayList<>();
            java.util.regex.Matcher i = PY_STRING.matcher(m.group(1));
            while (i.find()) {
                items.add(i.group());
            }
            java.util.Collections.sort(items);
            return java.util.regex.Matcher.quoteReplacement("'users': {" + String.join(", ", items) + "}");
        });
    }

    /** A log line's head: {@code 2026-12-07 04:45:19,807 fail2ban.filter         [24115]: }. */
    private static final java.util.regex.Pattern LOG_HEAD =
            java.util.regex.Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} (fail2ban\\.\\S+\\s+)\\[\\d+\\]: ");

    /**
     * Without the time taken, with a failure time within ten minutes of now written "now", log
     * lines without their time and process id; no trailing blanks.
     */
    static String comparable(String summary) {
        List<String> keep = new ArrayList<>();
        for (String line : summary.split("\n", -1)) {
            if (line.startsWith("[processed in ")) {
                continue;
            }
            line = LOG_HEAD.matcher(line).replaceFirst("TIME $1[PID]: ");
            line = sortedSets(line);
            java.util.regex.Matcher row = ROW_TIME.matcher(line);
            if (row.lookingAt() && Math.abs(Double.parseDouble(row.group(2)) - System.currentTimeMillis() / 1000.0) < 600) {
                line = row.group(1) + "now" + line.substring(row.end(2)); // a failure without a date: the time of each run
            }
            java.util.regex.Matcher t = FAILURE_TIME.matcher(line);
            if (t.matches()) {
                java.time.LocalDateTime at = java.time.LocalDateTime.parse(t.group(2), CTIME);
                java.time.LocalDateTime now = java.time.LocalDateTime.now(ips.filter.date.TimeZones.system().getOffset(java.time.Instant.now()));
                if (Math.abs(java.time.Duration.between(at, now).toSeconds()) < 600) {
                    line = t.group(1) + "now" + t.group(3);
                }
            }
            keep.add(line.stripTrailing());
        }
        return String.join("\n", keep);
    }
}
