package ips.filter.tester;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portcullis test-filter}: fail2ban-regex's summary and {@code -o ip}, and usage errors. */
class TestFilterCommandTest {
    @TempDir
    static Path tmp;
    static Path log;

    @BeforeAll
    static void writeLog() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/etc/fail2ban/filter.d/sshd.conf")), "Debian package fail2ban is not installed");
        log = tmp.resolve("auth.log");
        Files.writeString(log, """
                # a comment line is skipped
                Aug 14 11:59:58 host sshd[1]: Failed password for bob from 192.0.2.1 port 22 ssh2

                Aug 14 11:59:59 host sshd[2]: Accepted publickey for amy from 192.0.2.2 port 22 ssh2
                Aug 14 12:00:00 host sshd[3]: Invalid user x from 2001:db8::1 port 22
                Aug 14 12:00:01 host CRON[4]: pam_unix(cron:session): session closed for user root
                """);
    }

    /** No test sends a DNS query: host.example has two addresses, every other name none. */
    @BeforeAll
    static void fakeResolver() {
        TestFilterCommand.lookup = name -> name.equals("host.example")
                ? java.util.List.of(ips.api.IpAddress.tryParse("192.0.2.50"), ips.api.IpAddress.tryParse("2001:db8::50"))
                : java.util.List.of();
    }

    @Test
    void hostNamesAreResolvedAsFail2banRegexResolvesThemUnlessRaw() throws Exception {
        // fail2ban-regex 1.0.2 on this log, with host.example in /etc/hosts as 192.0.2.50 and 2001:db8::50:
        // two hits of one line, "Lines: 2 lines, 0 ignored, 1 matched, 1 missed"; -r prints the names;
        // --usedns=no (with or without -r), and a value it does not know, print nothing
        Path names = tmp.resolve("names.log");
        Files.writeString(names, "Aug 14 11:59:58 host sshd[1]: Failed password for bob from host.example port 22 ssh2\n"
                + "Aug 14 11:59:59 host sshd[2]: Failed password for eve from nowhere.invalid port 22 ssh2\n");
        assertEquals("192.0.2.50\n2001:db8::50\n", run(0, "-o", "ip", names.toString(), "sshd")[0]);
        assertEquals("192.0.2.50\n2001:db8::50\n", run(0, "--usedns=yes", "-o", "ip", names.toString(), "sshd")[0]);
        String summary = run(0, names.toString(), "sshd")[0];
        assertTrue(summary.contains("Failregex: 2 total"), summary);
        assertTrue(summary.contains("Lines: 2 lines, 0 ignored, 1 matched, 1 missed"), summary);
        assertEquals("host.example\nnowhere.invalid\n", run(0, "-r", "-o", "ip", names.toString(), "sshd")[0]);
        assertEquals("host.example\nnowhere.invalid\n", run(0, "--usedns", "raw", "-o", "ip", names.toString(), "sshd")[0]);
        assertTrue(run(0, "-r", names.toString(), "sshd")[0].contains("Lines: 2 lines, 0 ignored, 2 matched, 0 missed"));
        assertEquals("", run(0, "--usedns", "no", "-o", "ip", names.toString(), "sshd")[0]);
        // with no, <HOST> matches addresses only: the lines are missed, not matched and dropped
        String no = run(0, "--usedns=no", names.toString(), "sshd")[0];
        assertTrue(no.contains("Failregex: 0 total") && no.contains("Lines: 2 lines, 0 ignored, 0 matched, 2 missed"), no);
        assertEquals("", run(0, "-r", "--usedns=no", "-o", "ip", names.toString(), "sshd")[0]);
        String[] odd = run(0, "--usedns", "maybe", "-o", "ip", names.toString(), "sshd");
        assertEquals("", odd[0]);
        assertTrue(odd[1].contains("incorrect value for usedns 'maybe'"), odd[1]);
        // the user field of a resolved failure is still the line's
        assertEquals("bob\nbob\n", run(0, "-o", "user", names.toString(), "sshd")[0]);
    }

    private static String[] run(int expectRc, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = TestFilterCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectRc, rc, err.toString(StandardCharsets.UTF_8));
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void outIpPrintsOneFailureAddressPerLine() {
        assertEquals("192.0.2.1\n2001:db8::1\n", run(0, "-o", "ip", log.toString(), "sshd")[0]);
        assertEquals("192.0.2.1\n2001:db8::1\n",
                run(0, "-o", "ip", log.toString(), "/etc/fail2ban/filter.d/sshd.conf")[0]);
    }

    @Test
    void outPrintsAFieldTheLinesOrARowPerFailureAsFail2banRegexDoes() {
        // fail2ban-regex -r -o user|msg|ip6|row on the same log (1.0.2)
        assertEquals("bob\nx\n", run(0, "-o", "user", log.toString(), "sshd")[0]);
        assertEquals("None\n2001:db8::1\n", run(0, "--out=ip6", log.toString(), "sshd")[0]);
        assertEquals("""
                Aug 14 11:59:58 host sshd[1]: Failed password for bob from 192.0.2.1 port 22 ssh2
                Aug 14 12:00:00 host sshd[3]: Invalid user x from 2001:db8::1 port 22
                """, run(0, "-r", "-o", "msg", log.toString(), "sshd")[0]);
        String row = run(0, "-o", "row", log.toString(), "sshd")[0].lines().findFirst().orElseThrow();
        assertTrue(row.matches("\\['192\\.0\\.2\\.1',\t\\d+\\.0,\t\\{'mlfid': ' host sshd\\[1\\]: ', .*"
                + "'user': 'bob', .*'ip4': '192\\.0\\.2\\.1', 'ip6': None, 'dns': None, 'users': \\{'bob'\\}\\}\\],"), row);
        assertTrue(run(2, "-o", "<ip>", log.toString(), "sshd")[1].contains("not supported"));
    }

    @Test
    void summaryCountsLinesLikeFail2banRegex() {
        String out = run(0, log.toString(), "sshd")[0];
        assertTrue(out.contains("Lines: 4 lines, 1 ignored, 2 matched, 1 missed"), out);
        assertTrue(out.contains("Failregex: 3 total"), out);
    }

    @Test
    void anUnterminatedLastLineIsLeftUnreadAsFail2banRegexLeavesIt() throws Exception {
        // fail2ban-regex 1.0.2 on these files: "Lines: 1 lines, 0 ignored, 1 matched, 0 missed"
        // (FileContainer waits for a line's end); a trailing CR ends a line for it
        String first = "Aug 14 11:59:58 host sshd[1]: Failed password for bob from 192.0.2.1 port 22 ssh2\n";
        String second = "Aug 14 11:59:59 host sshd[2]: Failed password for eve from 192.0.2.7 port 22 ssh2";
        Path open = tmp.resolve("unterminated.log");
        Files.writeString(open, first + second);
        String[] summary = run(0, open.toString(), "sshd");
        assertTrue(summary[0].contains("Lines: 1 lines, 0 ignored, 1 matched, 0 missed"), summary[0]);
        assertTrue(summary[1].contains("the last line of " + open + " has no line end and was not read"), summary[1]);
        assertEquals("192.0.2.1\n", run(0, "-o", "ip", open.toString(), "sshd")[0]);
        Path cr = tmp.resolve("cr.log");
        Files.writeString(cr, first + second + "\r");
        String[] withCr = run(0, cr.toString(), "sshd");
        assertTrue(withCr[0].contains("Lines: 2 lines, 0 ignored, 2 matched, 0 missed"), withCr[0]);
        assertEquals("", withCr[1]);
        // fail2ban's sample tests read every line (waitForLineEnd = False): so does --json
        String json = run(0, "--config-dir", "/etc/fail2ban", "--filter", "sshd", "--log", open.toString(),
                "--now", "1786708800", "--tz", "UTC", "--json")[0];
        assertTrue(json.contains("192.0.2.7"), json);
    }

    @Test
    void screeningOnTheReaderThreadChangesNoOutput() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            int s = i % 60;
            switch (i % 5) {
                case 0 -> sb.append("Aug 14 11:59:").append(s < 10 ? "0" : "").append(s)
                        .append(" host sshd[1]: Failed password for bob from 192.0.2.").append(i % 250).append(" port 22 ssh2\n");
                case 1 -> sb.append("Aug 14 11:59:").append(s < 10 ? "0" : "").append(s)
                        .append(" host sshd[").append(i).append("]: Accepted publickey for amy from 192.0.2.2 port 22 ssh2\n");
                case 2 -> sb.append("Aug 14 11:59:").append(s < 10 ? "0" : "").append(s)
                        .append(" host CRON[4]: pam_unix(cron:session): session closed for user root\n");
                case 3 -> sb.append("Feb 30 11:59:59 host sshd[3]: Invalid user x from 2001:db8::").append(i % 99).append(" port 22\n");
                default -> sb.append("Aug 14 12:00:01 host sshd[").append(i).append("]: Connection closed by 192.0.2.9 port 22 [preauth]\n");
            }
        }
        Path big = tmp.resolve("big.log");
        Files.writeString(big, sb);
        assertEquals(run(0, "--no-screen", "-o", "ip", big.toString(), "sshd")[0], run(0, "-o", "ip", big.toString(), "sshd")[0]);
        String plain = run(0, "--no-screen", big.toString(), "sshd")[0].replaceAll("processed in .*", "");
        assertEquals(plain, run(0, big.toString(), "sshd")[0].replaceAll("processed in .*", ""));
    }

    @Test
    void linesAreSplitAndKeptAsciiOrNotWhereverTheirEndsAndNonAsciiBytesFall() throws Exception {
        // the reader scans eight bytes at a time: line ends and non-ASCII bytes at every offset of
        // a word, lines shorter than a word, empty lines, and a last line without its newline
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.util.List<String> users = new java.util.ArrayList<>();
        for (int k = 0; k < 40; k++) {
            String user = "u" + "x".repeat(k % 17) + (k % 3 == 0 ? "" : k % 3 == 1 ? "\u00e9" : "\u00e9y");
            users.add(user);
            String line = "Aug 14 11:59:58 host sshd[" + (100 + k) + "]: Failed password for invalid user " + user
                    + " from 192.0.2." + (k + 1) + " port 22 ssh2";
            bytes.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            if (k < 39) {
                bytes.writeBytes(("\n" + "#".repeat(k % 9) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        Path mixed = tmp.resolve("mixed.log");
        Files.write(mixed, bytes.toByteArray());
        String out = run(0, "--config-dir", "/etc/fail2ban", "--filter", "sshd", "--log", mixed.toString(),
                "--now", "1786708800", "--tz", "UTC", "--json")[0];
        java.util.List<String> got = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"user\": \"([^\"]*)\"").matcher(out);
        while (m.find()) {
            got.add(m.group(1).replace("\\u00e9", "\u00e9"));
        }
        assertEquals(users, got, out);
    }

    @Test
    void summaryHasFail2banRegexsSectionsAndListsFewLines() {
        String out = run(0, log.toString(), "sshd")[0];
        String[] expected = {
            "Use   failregex filter file : sshd, basedir: /etc/fail2ban",
            "Use         maxlines : 1",
            "Use      datepattern : {^LN-BEG} : Default Detectors",
            "Use         log file : " + log,
            "Ignoreregex: 0 total\n\nDate template hits:\n|- [# of hits] date format\n"
                    + "|  [4] {^LN-BEG}(?:DAY )?MON Day %k:Minute:Second(?:\\.Microseconds)?(?: ExYear)?\n`-\n",
            "|- Ignored line(s):\n|  Aug 14 11:59:59 host sshd[2]: Accepted publickey for amy from 192.0.2.2 port 22 ssh2\n`-\n"
                    + "|- Missed line(s):\n|  Aug 14 12:00:01 host CRON[4]: pam_unix(cron:session): session closed for user root\n`-\n",
        };
        for (String e : expected) {
            assertTrue(out.contains(e), () -> "missing:\n" + e + "\nin:\n" + out);
        }
        assertTrue(run(0, log.toString(), "/etc/fail2ban/filter.d/sshd.conf")[0]
                .contains("Use   failregex filter file : sshd, basedir: /etc/fail2ban\n"));
        String noMissed = run(0, "--print-no-missed", "--print-all-matched", log.toString(), "sshd")[0];
        assertTrue(!noMissed.contains("Missed line(s)") && noMissed.contains("|- Matched line(s):\n|  Aug 14 11:59:58"),
                noMissed);
        assertTrue(run(2, "--print-no-missed", "--print-all-missed", log.toString(), "sshd")[1]
                .contains("mutually exclusive"));
    }

    @Test
    void manyLinesOfAKindAreCountedNotListed() throws Exception {
        Path many = tmp.resolve("many.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Report.FEW_LINES; i++) {
            sb.append("Aug 14 12:00:01 host CRON[4]: nothing ").append(i).append('\n');
        }
        Files.writeString(many, sb);
        String out = run(0, many.toString(), "sshd")[0];
        assertTrue(out.contains("Missed line(s): too many to print.  Use --print-all-missed to print all 20 lines"), out);
        assertTrue(run(0, "--print-all-missed", many.toString(), "sshd")[0].contains("|  Aug 14 12:00:01 host CRON[4]: nothing 19\n`-"));
    }

    @Test
    void aFilterThatIsNoFileIsAFailregexAndALogThatIsNoFileIsTheLogText() {
        String out = run(0, log.toString(), "Failed \\S+ for .* from <HOST>")[0]; // no prefregex: not anchored
        assertTrue(out.contains("Use   failregex line : Failed \\S+ for .* from <HOST>\n"), out);
        assertTrue(out.contains("Failregex: 1 total") && out.contains("Lines: 4 lines, 0 ignored, 1 matched, 3 missed"), out);
        String line = "Aug 14 11:59:58 host sshd[1]: Failed password for bob from 192.0.2.1 port 22 ssh2";
        String one = run(0, line, "sshd")[0];
        assertTrue(one.contains("Use      single line : Aug 14 11:59:58 host sshd[1]: Failed password for ...\n"), one);
        assertTrue(one.contains("Lines: 1 lines, 0 ignored, 1 matched, 0 missed"), one);
        assertEquals("192.0.2.1\n", run(0, "-o", "ip", line, "sshd")[0]);
        assertTrue(run(0, "", "sshd")[0].contains("Lines: 0 lines"), "an empty LOG is an empty text");
        assertTrue(run(0, line + "\0", "sshd")[0].contains("Use      single line :"), "a NUL: no path, text");
        String two = run(0, line + "\n" + line.replace("192.0.2.1", "192.0.2.9"), "sshd")[0];
        assertTrue(two.contains("Use      multi line : 2 line(s)\n|  1: Aug 14") && two.contains("Lines: 2 lines"), two);
    }

    @Test
    void filterOptionsAndAnIgnoreregexAreShownAndApplied() {
        String out = run(0, log.toString(), "sshd[mode=aggressive]", "^Invalid user")[0];
        assertTrue(out.contains("Use   failregex filter file : sshd, basedir: /etc/fail2ban\n"
                + "Use   filter options : {'mode': 'aggressive'}\n"), out);
        assertTrue(out.contains("Use ignoreregex line : ^Invalid user\n"), out);
        assertTrue(out.contains("Ignoreregex: 1 total\n|-  #) [# of hits] regular expression\n|   1) [1] ^Invalid user\n`-"), out);
        assertTrue(out.contains("Lines: 4 lines, 2 ignored, 1 matched, 1 missed"), out);
    }

    @Test
    void filterOptionsArePrintedAsPythonsRepr() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("mode", "aggressive");
        m.put("q", "it's");
        m.put("b", "a'b\"c");
        m.put("n", "x\ty\\z");
        m.put("c", "\u0001");
        // python3 -c "print(repr({...}))" with the same dict
        assertEquals("{'mode': 'aggressive', 'q': \"it's\", 'b': 'a\\'b\"c', 'n': 'x\\ty\\\\z', 'c': '\\x01'}",
                Arguments.pyRepr(m));
    }

    @Test
    void aFilterFileOutsideFilterDIsAForeignFile() throws Exception {
        Path own = tmp.resolve("own.conf");
        Files.writeString(own, "[Definition]\nfailregex = ^.* from <HOST>\n");
        assertTrue(run(0, log.toString(), own.toString())[0].contains("Use   failregex file : " + own + "\n"));
    }

    @Test
    void dateAndMaxlinesOptionsComeFirstAndOverrideTheFiltersAsInFail2banRegex() {
        String line = "Dec  6 07:36:37 host sshd[1000]: Failed password for root from 192.0.2.9 port 40000 ssh2";
        // fail2ban-regex -L 2 -d '^%b %d %H:%M:%S' LINE sshd, as 1.0.2 prints it
        String out = run(0, "-L", "2", "-d", "^%b %d %H:%M:%S", line, "sshd")[0];
        assertTrue(out.contains("""
                Use         maxlines : 2
                Use      datepattern : ^%b %d %H:%M:%S : ^MON Day 24hour:Minute:Second
                Use   failregex filter file : sshd, basedir: /etc/fail2ban
                Use      multi line : 1 line(s)
                |  1: Dec  6 07:36:37 host sshd[1000]: Failed password f...
                `-
                """), out);
        assertTrue(out.contains("|  [1] ^MON Day 24hour:Minute:Second\n"), out);
        assertTrue(out.contains("Lines: 1 lines, 0 ignored, 1 matched, 0 missed"), out);
        // the --long=value form, and a date pattern that does not fit: the line's date is not found
        String other = run(0, "--datepattern=^%Y-%m-%d", "--config=/etc/fail2ban", line, "sshd")[0];
        assertTrue(other.contains("Use      datepattern : ^%Y-%m-%d : ^Year-Month-Day\n"), other);
        assertTrue(other.contains("Lines: 1 lines, 0 ignored, 0 matched, 1 missed"), other);
    }

    /** A journal of {@code lines} (fail2ban's journal text: no date), each with its time, whatever the matches. */
    private static JournalOpener journalOf(java.util.List<String> seenMatches, String... lines) {
        return (matches, options) -> {
            seenMatches.addAll(matches);
            java.util.Iterator<String> it = java.util.List.of(lines).iterator();
            return new ips.api.LogSource() {
                @Override
                public String description() {
                    return "test journal";
                }

                @Override
                public int poll(ips.api.LineSink sink, long timeoutMillis) {
                    int n = 0;
                    while (it.hasNext() && n < 2) { // two a poll: the tester must drain it
                        sink.accept(new ips.api.LogLine("journal", it.next(), 1_733_470_597_000L + n, java.util.Map.of()));
                        n++;
                    }
                    return n;
                }

                @Override
                public void checkpoint() {}

                @Override
                public void close() {}
            };
        };
    }

    private static String[] runWithJournal(JournalOpener journal, int expectRc, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = TestFilterCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), journal);
        assertEquals(expectRc, rc, err.toString(StandardCharsets.UTF_8));
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void systemdJournalIsReadThroughTheFiltersJournalmatchWithTheEntriesOwnTimes() {
        java.util.List<String> matches = new java.util.ArrayList<>();
        JournalOpener journal = journalOf(matches,
                "web1 sshd[7]: Failed password for bob from 192.0.2.1 port 22 ssh2",
                "web1 sshd[8]: Accepted publickey for amy from 192.0.2.2 port 22 ssh2",
                "web1 sshd[9]: Invalid user x from 2001:db8::1 port 22");
        String out = runWithJournal(journal, 0, "systemd-journal", "sshd")[0];
        assertEquals(java.util.List.of("_SYSTEMD_UNIT=sshd.service + _COMM=sshd"), matches);
        assertTrue(out.contains("""
                Use         systemd journal
                Use         encoding : UTF-8
                Use    journal match : _SYSTEMD_UNIT=sshd.service + _COMM=sshd
                """), out);
        // the Accepted line is the filter's nofail (MLFFORGET) hit: ignored, as fail2ban-regex counts it
        assertTrue(out.contains("Lines: 3 lines, 1 ignored, 2 matched, 0 missed"), out);
        matches.clear();
        assertEquals("192.0.2.1\n2001:db8::1\n", runWithJournal(journal, 0, "-m", "_COMM=sshd", "-o", "ip",
                "systemd-journal", "sshd")[0]);
        assertEquals(java.util.List.of("_COMM=sshd"), matches, "-m overrides the filter's journalmatch");
        assertTrue(runWithJournal(null, 1, "systemd-journal", "sshd")[1].contains("no journal source"));
        JournalOpener refusing = (m, o) -> {
            throw new java.io.IOException("systemd-journal option 'journalflags' is not supported");
        };
        assertEquals("test-filter: systemd-journal[journalflags=1]: systemd-journal option 'journalflags' is not supported\n",
                runWithJournal(refusing, 1, "systemd-journal[journalflags=1]", "sshd")[1]);
        JournalOpener empty = (m, o) -> new ips.api.LogSource() {
            @Override
            public String description() {
                return "no journal";
            }

            @Override
            public int poll(ips.api.LineSink sink, long timeoutMillis) {
                return 0;
            }

            @Override
            public java.util.List<String> notFollowed() {
                return java.util.List.of("system journal: no journal file under /run/log/journal");
            }

            @Override
            public void checkpoint() {}

            @Override
            public void close() {}
        };
        String[] none = runWithJournal(empty, 0, "systemd-journal", "sshd");
        assertTrue(none[1].contains("test-filter: system journal: no journal file under /run/log/journal"), none[1]);
        assertTrue(none[0].contains("Lines: 0 lines, 0 ignored, 0 matched, 0 missed"), none[0]);
    }

    @Test
    void badUsageAndMissingFiltersFailWithAMessage() {
        assertTrue(run(2, "only-one-arg")[1].contains("usage"));
        assertTrue(run(2, "--bogus", "a", "b")[1].contains("unknown option"));
        // a name that is no filter is a failregex, without a failure-id group: fail2ban-regex's error
        assertTrue(run(255, log.toString(), "no-such-filter-here")[0].endsWith("ERROR: No failure-id group in 'no-such-filter-here'\n"));
        assertTrue(run(2, "-l", "loud", log.toString(), "sshd")[1].contains("Invalid log level 'loud'"));
    }

    /** fail2ban-regex's --version, -V, -l, -t: scripts that pass them get an answer, and a word where they change nothing. */
    @Test
    void versionLogLevelAndTracebackOptionsAreTaken() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, TestFilterCommand.run(new String[] {"--version"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err, null, "1.2.3"));
        assertEquals("portcullis test-filter 1.2.3\n", out.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(0, TestFilterCommand.run(new String[] {"-V"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err, null, "1.2.3"));
        assertEquals("1.2.3\n", out.toString(StandardCharsets.UTF_8));
        String[] quiet = run(0, "-l", "error", "-t", "--full-traceback", log.toString(), "sshd");
        assertTrue(quiet[1].contains("-t/--full-traceback change nothing"), quiet[1]);
        assertTrue(!quiet[1].contains("no counterpart"), quiet[1]);
        String[] debug = run(0, "-l", "DEBUG", log.toString(), "sshd");
        assertTrue(debug[1].contains("fail2ban's own info and debug messages have no counterpart here"), debug[1]);
        assertTrue(debug[0].contains("Lines: "), debug[0]);
    }
}
