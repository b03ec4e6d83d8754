package ips.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.IpAddress;
import ips.api.LogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilterMatcherTest {

    @BeforeAll
    static void needsFail2bansFilters() {
        assumeTrue(Sshd.available(), "Debian package fail2ban is not installed: no /etc/fail2ban/filter.d/sshd.conf");
    }

    private static List<FilterFailure> run(FilterMatcher m, String line) {
        List<FilterFailure> out = new ArrayList<>();
        m.process(line, LogLine.UNKNOWN_TIME, (n, f) -> out.add(f));
        return out;
    }

    /**
     * A user name that contains "from 1.2.3.4" is attacker-controlled text; fail2ban 1.0.2 bans the
     * real peer for every one of these lines (checked with fail2ban's own classes), and so do we.
     */
    @ParameterizedTest
    @ValueSource(strings = {"normal", "aggressive"})
    void addressInjectedThroughUserNameIsNeverBanned(String mode) throws Exception {
        FilterMatcher m = Sshd.matcher("sshd", Map.of("mode", mode), false);
        String[][] cases = {
            {"Jan 10 10:00:00 host sshd[100]: Failed password for invalid user root from 1.2.3.4 from 192.0.2.7 port 22 ssh2", "192.0.2.7"},
            {"Jan 10 10:00:01 host sshd[101]: Failed password for root from 1.2.3.4 port 1 from 192.0.2.8 port 22 ssh2", "192.0.2.8"},
            {"Jan 10 10:00:02 host sshd[102]: Invalid user admin from 1.2.3.4 from 192.0.2.9 port 22", "192.0.2.9"},
            {"Jan 10 10:00:03 host sshd[103]: Failed password for invalid user x from 1.2.3.4 port 5 ssh2 from 192.0.2.10 port 22 ssh2", "192.0.2.10"},
            {"Jan 10 10:00:04 host sshd[104]: Failed none for invalid user from 1.2.3.4 from 192.0.2.11 port 22 ssh2", "192.0.2.11"},
            {"Jan 10 10:00:05 host sshd[105]: error: PAM: Authentication failure for from 1.2.3.4 from 192.0.2.12", "192.0.2.12"},
            {"Jan 10 10:00:06 host sshd[106]: User from 1.2.3.4 from 192.0.2.13 not allowed because not listed in AllowUsers", "192.0.2.13"},
        };
        for (String[] c : cases) {
            List<FilterFailure> f = run(m, c[0]);
            assertEquals(1, f.size(), c[0]);
            assertEquals(c[1], f.get(0).fid(), c[0]);
            assertEquals(IpAddress.parse(c[1]), f.get(0).address());
            assertNotEquals("1.2.3.4", f.get(0).fid());
        }
    }

    @Test
    void failureCarriesAddressTimeUserAndMatchedLine() throws Exception {
        FilterMatcher m = Sshd.matcher("sshd", Map.of(), false);
        String line = "Aug 14 11:59:59 host sshd[1]: Failed password for bob from 2001:db8::7 port 22 ssh2";
        List<FilterFailure> f = run(m, line);
        assertEquals(1, f.size());
        FilterFailure x = f.get(0);
        assertEquals("2001:db8::7", x.fid());
        assertEquals(IpAddress.parse("2001:db8::7"), x.address());
        assertEquals("bob", x.fields().get("user"));
        assertEquals(1124013599_000L, x.timeMillis());
        assertEquals(List.of(line), ((List<?>) x.fields().get("matches")).stream().map(String::valueOf).toList());
        assertTrue(x.isFailure());
    }

    @Test
    void nonMatchingLinesReportNothing() throws Exception {
        FilterMatcher m = Sshd.matcher("sshd", Map.of(), true);
        assertTrue(run(m, "Aug 14 11:59:59 host sshd[1]: pam_unix(sshd:session): session closed for user dave").isEmpty());
        assertTrue(run(m, "").isEmpty());
        assertTrue(run(m, "no date at all").isEmpty());
        assertEquals(3, m.lines());
    }

    @Test
    void acceptedLoginForgetsPendingFailuresOfTheConnection() throws Exception {
        // mlfid: the Accepted line (mlfgained) marks the connection as not failing
        FilterMatcher m = Sshd.matcher("sshd", Map.of(), true);
        List<FilterFailure> f = run(m, "Aug 14 11:59:59 host sshd[7]: Accepted publickey for bob from 192.0.2.1 port 22 ssh2");
        assertEquals(1, f.size());
        assertTrue(f.get(0).nofail());
    }

    @Test
    void journalLinesUseTheEntrysOwnTime() throws Exception {
        FilterMatcher m = Sshd.matcher("sshd", Map.of("logtype", "journal"), false);
        List<FilterFailure> out = new ArrayList<>();
        m.process(new LogLine("journal", "sshd[1]: Failed password for bob from 192.0.2.5 port 22 ssh2", 1_700_000_000_123L, Map.of()),
                (n, f) -> out.add(f));
        assertEquals(1, out.size());
        assertEquals(1_700_000_000_123L, out.get(0).timeMillis());
    }

    @Test
    void prefregexContentAndIgnoreregexWork() throws Exception {
        CompiledFilter cf = CompiledFilter.compile("t", "^\\S+ <F-CONTENT>.+</F-CONTENT>$",
                List.of("^bad login from <HOST>$"), List.of("from 10\\."), 1, "warn");
        FilterMatcher m = cf.newMatcher(LineDater.NONE, () -> 0L, false);
        assertEquals("192.0.2.1", run(m, "app: bad login from 192.0.2.1").get(0).fid());
        assertTrue(run(m, "app: bad login from 10.0.0.1").isEmpty());
        assertTrue(m.lastLineIgnored());
        assertTrue(run(m, "bad login from 192.0.2.1").isEmpty(), "content must follow the prefix");
        assertNull(m.lastLineIgnored() ? "x" : null);
    }

    @Test
    void multiLineBufferJoinsLinesUpToMaxlines() throws Exception {
        CompiledFilter cf = CompiledFilter.compile("t", null,
                List.of("^conn (?P<fid>\\d+) from <HOST><SKIPLINES>conn (?P=fid) failed$"), List.of(), 3, "warn");
        FilterMatcher m = cf.newMatcher(LineDater.NONE, () -> 0L, false);
        assertTrue(run(m, "conn 7 from 192.0.2.3").isEmpty());
        assertTrue(run(m, "noise").isEmpty());
        List<FilterFailure> f = run(m, "conn 7 failed");
        assertEquals(1, f.size());
        assertEquals("7", f.get(0).fid());
        assertEquals("192.0.2.3", f.get(0).fields().get("ip"));
        assertEquals(2, ((List<?>) f.get(0).fields().get("matches")).size(), "the skipped line is not a match");
    }

    @Test
    void filtersWithoutFailureIdAreRejected() {
        assertThrows(FilterException.class, () -> CompiledFilter.compile("t", null, List.of("^no id here$"), List.of(), 1, "warn"));
        assertThrows(FilterException.class, () -> CompiledFilter.compile("t", null, List.of("(<HOST>"), List.of(), 1, "warn"));
        assertThrows(FilterException.class, () -> CompiledFilter.compile("t", null, List.of("<HOST>"), List.of(), 0, "warn"));
    }

    @Test
    void usednsNoLimitsHostToAddresses() throws Exception {
        CompiledFilter cf = CompiledFilter.compile("t", null, List.of("^from <HOST>$"), List.of(), 1, "no");
        FilterMatcher m = cf.newMatcher(LineDater.NONE, () -> 0L, false);
        assertTrue(run(m, "from example.com").isEmpty());
        assertEquals("192.0.2.1", run(m, "from 192.0.2.1").get(0).fid());
        CompiledFilter dns = CompiledFilter.compile("t", null, List.of("^from <HOST>$"), List.of(), 1, "warn");
        FilterFailure f = run(dns.newMatcher(LineDater.NONE, () -> 0L, false), "from example.com").get(0);
        assertEquals("example.com", f.fid());
        assertNull(f.address());
    }

    @Test
    void inOperationOddDatesAreTakenAsNowAndOldLinesSkippedWhileRestoring() throws Exception {
        long now = 1_700_000_000_000L;
        CompiledFilter cf = CompiledFilter.compile("t", null, List.of("from <HOST>$"), List.of(), 1, "warn");
        LineDater fixedDate = (line, out) -> {
            out.start = 0;
            out.end = 4;
            out.epochMillis = line.charAt(0) == 'o' ? now - 3_600_000L : now - 30_000L;
            return true;
        };
        FilterMatcher live = cf.newMatcher(fixedDate, () -> now, false);
        live.checkFindTime(true, 600_000);
        assertEquals(now, run(live, "old: from 192.0.2.1").get(0).timeMillis(), "an hour off: taken as now");
        assertEquals(now - 30_000L, run(live, "new: from 192.0.2.1").get(0).timeMillis());
        FilterMatcher restore = cf.newMatcher(fixedDate, () -> now, false);
        restore.checkFindTime(false, 600_000);
        assertTrue(run(restore, "old: from 192.0.2.1").isEmpty(), "older than findtime");
        assertEquals(1, run(restore, "new: from 192.0.2.1").size());
        ips.api.Failure f = run(restore, "new: from 192.0.2.1").get(0).toFailure("sshd", now);
        assertEquals(new ips.api.Failure("sshd", "192.0.2.1", IpAddress.parse("192.0.2.1"), now - 30_000L), f);
    }

    @Test
    void cidrGroupGivesASubnetId() throws Exception {
        CompiledFilter cf = CompiledFilter.compile("t", null, List.of("^net <SUBNET>$"), List.of(), 1, "warn");
        FilterMatcher m = cf.newMatcher(LineDater.NONE, () -> 0L, false);
        assertEquals("192.0.2.0/24", run(m, "net 192.0.2.77/24").get(0).fid());
        assertEquals("192.0.2.77", run(m, "net 192.0.2.77").get(0).fid());
    }
}
