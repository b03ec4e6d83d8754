package ips.filter.tester;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.config.FilterLoader;
import ips.filter.CompiledFilter;
import ips.filter.LineScreen;
import ips.filter.ScreenedLine;
import ips.filter.date.DateMatch;
import ips.filter.date.TimeZones;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The literal gate gives the same answer on whichever thread it runs: lines of batches the reader
 * hands over ungated are gated by the matcher thread's own screen with the reader's date answers.
 */
class DatedLinesTest {
    private static final Path CONFIG = Path.of("/etc/fail2ban");
    private static final Path LOGS = Path.of("/usr/lib/python3/dist-packages/fail2ban/tests/files/logs");

    @ParameterizedTest
    @ValueSource(strings = {"sshd", "nginx-http-auth"})
    void theMatcherThreadsGateAnswersAsTheReadersDoes(String filter) throws Exception {
        assumeTrue(Files.isRegularFile(CONFIG.resolve("filter.d/" + filter + ".conf")) && Files.isDirectory(LOGS),
                "fail2ban's filters and sample logs are not installed");
        CompiledFilter cf = CompiledFilter.compile(FilterLoader.load(CONFIG, filter, Map.of()), "warn");
        // fail2ban's sample log, then enough lines for many batches: ASCII and not, a date that is
        // no valid date (Feb 30), lines the gate rejects and lines it lets through
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        log.writeBytes(Files.readAllBytes(LOGS.resolve(filter)));
        for (int i = 0; i < 20_000; i++) {
            String line = switch (i % 6) {
                case 0 -> "Aug 14 11:59:58 host sshd[1]: Failed password for bob from 192.0.2." + (i % 250) + " port 22 ssh2";
                case 1 -> "Aug 14 11:59:58 host sshd[2]: Failed password for invalid user j\u00fcrgen from 192.0.2.7 port 22 ssh2";
                case 2 -> "Feb 30 11:59:59 host sshd[3]: Invalid user x from 2001:db8::" + (i % 99) + " port 22";
                case 3 -> "2026/11/23 00:00:00 [error] 816#816: *1 user \"bob\": password mismatch, client: 192.0.2."
                        + (i % 250) + ", server: example.com, request: \"GET / HTTP/1.1\", host: \"example.com\"";
                case 4 -> "2026/11/23 00:00:00 [error] 814#814: *1003 open() \"/var/www/html/ads.txt\" failed (2: No such file)";
                default -> "Aug 14 11:59:58 host CRON[4]: pam_unix(cron:session): session closed for user r\u00f6ot";
            };
            log.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = log.toByteArray();
        List<String> byReader = lines(cf, bytes, DatedLines.GateHandOver.WHEN_MATCHER_WAITS, false);
        List<String> byMatcher = lines(cf, bytes, DatedLines.GateHandOver.ALWAYS, true);
        assertTrue(byReader.size() > 20_000, "lines: " + byReader.size());
        assertTrue(byReader.stream().anyMatch(l -> l.startsWith("miss")) && byReader.stream().anyMatch(l -> l.startsWith("pass")),
                "both gate answers are exercised");
        assertEquals(byReader, byMatcher);
    }

    /**
     * {@link DatedLines#skipMissed}: the lines the gate rejects after a missed one, handed to the
     * matcher in one call, leave it as processing each would: the same failures with the same line
     * numbers and times, among them failures on lines without a date, which take the last date.
     */
    @org.junit.jupiter.api.Test
    void skippingMissedLinesLeavesTheMatcherAsProcessingEachDoes() throws Exception {
        assumeTrue(Files.isRegularFile(CONFIG.resolve("filter.d/sshd.conf")), "fail2ban's filters are not installed");
        CompiledFilter cf = CompiledFilter.compile(FilterLoader.load(CONFIG, "sshd", Map.of()), "warn");
        byte[] bytes = sshdLog();
        List<String> each = failures(cf, bytes, false);
        List<String> skipping = failures(cf, bytes, true);
        assertTrue(each.size() > 8_000, "failures: " + each.size());
        assertTrue(each.stream().anyMatch(l -> l.contains("198.51.100.")), "failures on lines without a date");
        assertEquals(each, skipping);
    }

    /**
     * The prefregex's count (fail2ban-regex's {@code Prefregex: N total}) is the same whether the
     * reader's screen answers for the lines it gates out ({@link ScreenedLine#MISS_PREF}), the
     * matcher answers for the lines its own gate rules out, or the prefregex is searched on every
     * line: a filter with sshd's prefregex and a failregex no literal gates. Lines that are only a
     * date, which the prefregex does not match, are among them.
     */
    @org.junit.jupiter.api.Test
    void thePrefregexCountIsTheSameWhoeverAnswersForIt() throws Exception {
        assumeTrue(Files.isRegularFile(CONFIG.resolve("filter.d/sshd.conf")), "fail2ban's filters are not installed");
        ips.config.FilterDefinition def = FilterLoader.load(CONFIG, "sshd", Map.of());
        CompiledFilter cf = CompiledFilter.compile(def, "warn");
        CompiledFilter searchingAll = CompiledFilter.compile("sshd-pref", def.prefregex(), List.of("^(?P<fid>\\S)"), List.of(), 1, "warn");
        byte[] bytes = sshdLog();
        long skipping = prefCount(cf, bytes, true, true);
        long screened = prefCount(cf, bytes, true, false);
        long matcherAlone = prefCount(cf, bytes, false, false);
        long searched = prefCount(searchingAll, bytes, false, false);
        assertEquals(searched, matcherAlone, "the matcher's own answers");
        assertEquals(searched, screened, "the screens' answers");
        assertEquals(searched, skipping, "the screens' answers, skipped lines counted in one go");
        assertTrue(searched > 25_000 && searched < 30_000, "prefregex matched " + searched + " of 30,000 lines");
    }

    private static long prefCount(CompiledFilter cf, byte[] log, boolean screens, boolean skip) throws Exception {
        long count = 0;
        var dater = Dating.create(null, TimeZones.parse("UTC"), () -> 1_786_708_800_000L);
        LineScreen a = screens ? LineScreen.of(cf, false).countingPrefregex() : null;
        LineScreen b = screens ? LineScreen.of(cf, false).countingPrefregex() : null;
        try (DatedLines r = new DatedLines(new ByteArrayInputStream(log), dater, DatedLines.Mode.SKIP_BLANK_AND_COMMENTS,
                a, b, false)) {
            var m = cf.newMatcher(r.dater(), () -> 1_786_708_800_000L, true).withoutMatches().countingPrefregex();
            CharSequence line;
            while ((line = r.next()) != null) {
                m.process(line, ips.api.LogLine.UNKNOWN_TIME, (n, f) -> { }, r.screened());
                count += m.prefregexMatched() ? 1 : 0;
                if (skip) {
                    r.skipMissed(m);
                    count += r.skippedPrefMatched();
                }
            }
        }
        return count;
    }

    /** 30,000 lines for sshd: failures, lines the gate rejects, lines without a date or with only one. */
    private static byte[] sshdLog() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        for (int i = 0; i < 30_000; i++) {
            String date = String.format("Aug 14 11:%02d:%02d", 30 + i / 1000, i % 60);
            String line = i % 13 == 0 ? date : switch (i % 11 == 0 ? 9 : i % 7) {
                case 0 -> date + " host sshd[1]: Failed password for bob from 192.0.2." + (i % 250) + " port 22 ssh2";
                case 1 -> "Feb 30 11:59:59 host CRON[3]: session opened for user root";
                case 2 -> date + " host CRON[4]: pam_unix(cron:session): session closed for user r\u00f6ot";
                case 3 -> "no date at all " + i;
                case 4 -> date + " host kernel: [UFW BLOCK] IN=eth0 SRC=192.0.2." + (i % 250);
                case 5 -> "host sshd[5]: Failed password for eve from 198.51.100." + (i % 250) + " port 22 ssh2";
                case 9 -> "host sshd[6]: Invalid user x from 2001:db8::" + (i % 99) + " port 22";
                default -> date + " host sshd[2]: Connection closed by 203.0.113.9 port 22";
            };
            log.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return log.toByteArray();
    }

    private static List<String> failures(CompiledFilter cf, byte[] log, boolean skip) throws Exception {
        List<String> out = new ArrayList<>();
        long[] skipped = {0};
        var dater = Dating.create(null, TimeZones.parse("UTC"), () -> 1_786_708_800_000L);
        try (DatedLines r = new DatedLines(new ByteArrayInputStream(log), dater, DatedLines.Mode.SKIP_BLANK_AND_COMMENTS,
                LineScreen.of(cf, false), LineScreen.of(cf, false), false)) {
            var m = cf.newMatcher(r.dater(), () -> 1_786_708_800_000L, true).withoutMatches();
            CharSequence line;
            while ((line = r.next()) != null) {
                m.process(line, ips.api.LogLine.UNKNOWN_TIME,
                        (n, f) -> out.add(n + " " + f.fid() + " " + f.timeMillis() + " " + f.regex()), r.screened());
                if (skip) {
                    skipped[0] += r.skipMissed(m);
                }
            }
            out.add("lines " + m.lines());
        }
        assertTrue(!skip || skipped[0] > 5_000, "skipped: " + skipped[0]);
        return out;
    }

    /** Per line: the gate's answer, the date answer and the text, as the matcher thread sees them. */
    private static List<String> lines(CompiledFilter cf, byte[] log, DatedLines.GateHandOver handOver, boolean matcherGate)
            throws Exception {
        List<String> out = new ArrayList<>();
        var dater = Dating.create(null, TimeZones.parse("UTC"), () -> 1_786_708_800_000L);
        try (DatedLines r = new DatedLines(new ByteArrayInputStream(log), dater, DatedLines.Mode.SKIP_BLANK_AND_COMMENTS,
                LineScreen.of(cf, false), matcherGate ? LineScreen.of(cf, false) : null, false, handOver)) {
            DateMatch dm = new DateMatch();
            CharSequence line;
            while ((line = r.next()) != null) {
                boolean dated = r.dater().find(line, dm);
                out.add((ScreenedLine.missed(r.screened()) ? "miss " : "pass ")
                        + (dated ? dm.toString() : "undated") + " " + line);
            }
        }
        return out;
    }
}
