package ips.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.LogLine;
import ips.config.FilterDefinition;
import ips.config.FilterLoader;
import ips.filter.date.DateDetector;
import ips.filter.date.DateMatch;
import ips.filter.date.TimeZones;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A matcher fed {@link LineScreen} results reports exactly what it reports searching itself: every
 * stock filter with a sample log in fail2ban's corpus, first-hit and check-all modes.
 */
class LineScreenTest {
    static final Path LOGS = Sshd.LOGS;
    static final long NOW_MS = 1124013600_000L;

    @TestFactory
    Stream<DynamicTest> screenedMatchingReportsWhatUnscreenedMatchingReportsOnEverySampleLog() throws Exception {
        assumeTrue(Sshd.available() && Files.isDirectory(LOGS), "fail2ban's filters and sample logs are not installed");
        return Sshd.perSampleLog(LineScreenTest::compare);
    }

    private static void compare(String filter, FilterDefinition def, CompiledFilter cf, Path log) throws Exception {
        List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        for (boolean checkAll : new boolean[] {true, false}) {
            LineScreen screen = LineScreen.of(cf, !checkAll);
            if (screen == null) {
                assertTrue(cf.maxLines() > 1 || cf.ignoreRegexCount() > 0);
                return;
            }
            List<String> searched = run(cf, def, lines, checkAll, null, false);
            assertEquals(searched, run(cf, def, lines, checkAll, screen, false), filter + " checkAll=" + checkAll);
            assertEquals(searched, run(cf, def, lines, checkAll, screen, true), filter + " checkAll=" + checkAll + ", ASCII lines as bytes");
        }
    }

    /** {@code bytes}: ASCII lines are screened as the bytes they are (test-filter's reader thread). */
    private static List<String> run(CompiledFilter cf, FilterDefinition def, List<String> lines, boolean checkAll, LineScreen screen,
            boolean bytes) throws Exception {
        DateDetector dd = Sshd.detector(def, TimeZones.parse("CET-01CEST-02,M3.5.0,M10.5.0"));
        DateMatch found = new DateMatch();
        boolean[] has = new boolean[1];
        FilterMatcher m = cf.newMatcher((text, out) -> {
            if (has[0]) {
                out.start = found.start;
                out.end = found.end;
                out.epochMillis = found.epochMillis;
            }
            return has[0];
        }, () -> NOW_MS, checkAll);
        List<String> out = new ArrayList<>();
        FailureSink sink = (n, f) -> out.add(n + " " + f.regex() + " " + f.fid() + " " + f.address() + " " + f.timeMillis()
                + " " + f.nofail() + " " + f.fields());
        for (String line : lines) {
            has[0] = dd.find(line, found);
            ScreenedLine sc;
            if (screen == null) {
                sc = null;
            } else if (bytes && line.chars().allMatch(c -> c < 0x80)) {
                byte[] b = ("pre" + line).getBytes(StandardCharsets.ISO_8859_1);
                sc = screen.screen(line, b, 3, has[0], found);
            } else {
                sc = screen.screen(line, has[0], found);
            }
            m.process(line, LogLine.UNKNOWN_TIME, sink, sc);
        }
        return out;
    }

    @Test
    void aLineWithoutAnyRequiredLiteralIsAMissAndAFailureLineIsAHit() throws Exception {
        assumeTrue(Sshd.available(), "fail2ban's filters are not installed");
        CompiledFilter cf = CompiledFilter.compile(FilterLoader.load(Sshd.CONFIG, "sshd", Map.of()), "warn");
        LineScreen screen = LineScreen.of(cf, true);
        assertNotNull(screen);
        DateMatch dm = new DateMatch();
        assertEquals(ScreenedLine.MISS, screen.screen("web01 CRON[1]: pam_unix(cron:session): session closed for user root", false, dm));
        ScreenedLine hit = screen.screen("web01 sshd[1]: Failed password for root from 192.0.2.7 port 22 ssh2", false, dm);
        assertNotNull(hit);
        assertTrue(hit != ScreenedLine.MISS);
        dm.start = 0;
        dm.end = 3;
        dm.epochMillis = DateMatch.NO_TIME;
        assertNull(screen.screen("Feb 30 web01 sshd[1]: Failed password for root from 192.0.2.7", true, dm),
                "an invalid date's cut depends on the matcher's state");
    }
}
