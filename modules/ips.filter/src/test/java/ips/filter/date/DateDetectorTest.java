package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * fail2ban 1.0.2 tests/datedetectortestcase.py, case by case, with fail2ban's test setup: local zone
 * {@code CET-01CEST-02,M3.5.0,M10.5.0}, now = 2005-08-14 12:00:00 CEST.
 */
class DateDetectorTest {

    static final long TEST_NOW = 1_124_013_600_000L;
    static final ZoneRules CET = cet();

    private static ZoneRules cet() {
        try {
            return TimeZones.parse("CET-01CEST-02,M3.5.0,M10.5.0");
        } catch (DatePatternException e) {
            throw new AssertionError(e);
        }
    }

    static DateDetector defaults() {
        return DateDetector.defaults(CET, () -> TEST_NOW);
    }

    static DateDetector pattern(String p) throws DatePatternException {
        return DateDetector.forPattern(p, CET, () -> TEST_NOW);
    }

    static String text(String line, DateMatch m) {
        return line.substring(m.start, m.end);
    }

    static long utc(int y, int mo, int d, int h, int mi) {
        return LocalDateTime.of(y, mo, d, h, mi).toEpochSecond(ZoneOffset.UTC) * 1000L;
    }

    // ---- testGetEpochTime / testGetEpochMsTime / testGetEpochPattern

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1138049999|%s", "1138049999|[%s]", "1138049999|[%s.555]", "1138049999|audit(%s.555:101)",
        "32535244799|%s", "32535244799|[%s]", "32535244799|[%s.555]", "32535244799|audit(%s.555:101)"})
    void shouldFindEpochSecondsAtLineStartInBracketsAndInAuditRecords(long unix, String fmt) throws Exception {
        DateDetector dd = pattern("EPOCH");
        String date = fmt.formatted(unix);
        String line = date + " [sshd] error: PAM: Authentication failure";
        DateMatch m = new DateMatch();
        assertTrue(dd.find(line, m), line);
        assertEquals(unix, Math.floorDiv(m.epochMillis, 1000L));
        String t = text(line, m);
        assertTrue(t.equals(String.valueOf(unix)) || t.equals(unix + ".555"), t);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "123456789|%s", "123456789|[%s]", "123456789|[%s.555]", "123456789|audit(%s.555:101)",
        "9999999999999999|%s", "9999999999999999|[%s]", "9999999999999999|[%s.555]", "9999999999999999|audit(%s.555:101)",
        "1138049999A|%s", "1138049999A|[%s]", "1138049999A|[%s.555]", "1138049999A|audit(%s.555:101)",
        "A1138049999|%s", "A1138049999|[%s]", "A1138049999|[%s.555]", "A1138049999|audit(%s.555:101)"})
    void shouldNotTakeTooShortTooLongOrGluedNumbersForEpoch(String unix, String fmt) throws Exception {
        String line = fmt.formatted(unix) + " [sshd] error: PAM: Authentication failure";
        assertFalse(pattern("EPOCH").find(line, new DateMatch()), line);
        if (!unix.equals("9999999999999999")) {
            assertFalse(pattern("LEPOCH").find(line, new DateMatch()), line);
        }
    }

    static Stream<Arguments> longEpochs() {
        List<Arguments> list = new ArrayList<>();
        for (long fact : new long[] {1, 1000, 1000000}) {
            for (long unix : new long[] {1138049999L, 32535244799L}) {
                for (String fmt : new String[] {"%s", "[%s]", "audit(%s:101)"}) {
                    list.add(Arguments.of(unix, fact, fmt));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("longEpochs")
    void shouldReadLongEpochInSecondsMillisecondsAndMicroseconds(long unix, long fact, String fmt) throws Exception {
        String dateLong = String.valueOf(unix * fact);
        String line = fmt.formatted(dateLong) + " [sshd] error: PAM: Authentication failure";
        DateMatch m = new DateMatch();
        assertTrue(pattern("LEPOCH").find(line, m), line);
        assertEquals(unix, Math.floorDiv(m.epochMillis, 1000L));
        assertEquals(dateLong, text(line, m));
    }

    @Test
    void aCustomLineAnchoredEpochRanksAsFail2bansOwnLineAnchoredCopyOfIt() throws Exception {
        // nsd.conf's datepattern on nsd's sample log. fail2ban 1.0.2 keeps Epoch first: its custom
        // {^LN-BEG}Epoch is the object its default cache uses as the anchored Epoch (weight 100), so the
        // ISO template's one hit does not lift it above (fail2ban-regex prints "[2] {^LN-BEG}Epoch" first)
        String[] lines = {
            "[1387288694] nsd[7745]: info: ratelimit block example.com. type any target 192.0.2.0/24 query 192.0.2.105 TYPE255",
            "[1387348935] nsd[23600]: info: axfr for zone domain.nl. from client 192.0.2.115 refused, no acl matches.",
            "[2021-03-05 05:25:14.562] nsd[160800]: info: axfr for example.com. from 192.0.2.32 refused, no acl matches",
        };
        DateDetector dd = DateDetector.forPattern("{^LN-BEG}Epoch\n{^LN-BEG}", CET, () -> TEST_NOW);
        DateMatch m = new DateMatch();
        for (String l : lines) {
            assertTrue(dd.find(l, m), l);
        }
        List<String> hits = dd.templateHits();
        assertEquals(2, hits.size(), hits.toString());
        assertEquals("[2] {^LN-BEG}Epoch", hits.get(0));
        assertTrue(hits.get(1).startsWith("[1] {^LN-BEG}ExYear"), hits.toString());
    }

    @Test
    void shouldTooRejectLongEpochOfEighteenDigits() throws Exception {
        for (String fmt : new String[] {"%s", "[%s]", "[%s.555]", "audit(%s.555:101)"}) {
            String line = fmt.formatted("999999999999999999") + " [sshd] error";
            assertFalse(pattern("LEPOCH").find(line, new DateMatch()), line);
        }
    }

    @ParameterizedTest
    @MethodSource("longEpochs")
    void shouldFindEpochInsideACustomPattern(long unix, long fact, String ignored) throws Exception {
        DateDetector dd = pattern("(?<=\\|\\s){LEPOCH}(?=\\s\\|)");
        String dateLong = String.valueOf(unix * fact);
        String line = "auth-error | " + dateLong + " | invalid password";
        DateMatch m = new DateMatch();
        assertTrue(dd.find(line, m), line);
        assertEquals(unix, Math.floorDiv(m.epochMillis, 1000L));
        assertEquals(dateLong, text(line, m));
        String last = String.valueOf(32535244799L * 1000000);
        for (String bad : new String[] {"test%s123", "test-right | %stest", "test%s | test-left"}) {
            assertFalse(dd.find(bad.formatted(last), m), bad);
        }
    }

    // ---- testGetTime

    @Test
    void shouldResolveAYearlessSyslogDateAgainstNow() {
        String line = "Jan 23 21:59:59 [sshd] error: PAM: Authentication failure";
        DateMatch m = new DateMatch();
        assertTrue(defaults().find(line, m));
        assertEquals(1106513999000L, m.epochMillis);
        assertEquals("Jan 23 21:59:59", text(line, m));
    }

    // ---- testDefaultTimeZone

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "None", value = {
        "UTC+0300|2017-01-23 15:00:00|2017-01-23T12:00",
        "UTC|2017-01-23 15:00:00|2017-01-23T15:00",
        "UTC-0430|2017-01-23 15:00:00|2017-01-23T19:30",
        "GMT+12|2017-01-23 15:00:00|2017-01-23T03:00",
        "None|2017-01-23 15:00:00|2017-01-23T14:00",
        "CET|2017-01-23 15:00:00|2017-01-23T14:00",
        "+0100|2017-01-23 15:00:00|2017-01-23T14:00",
        "CEST-01|2017-01-23 15:00:00|2017-01-23T14:00",
        "CEST|2017-01-23 15:00:00|2017-01-23T13:00",
        "+0200|2017-01-23 15:00:00|2017-01-23T13:00",
        "CET+01|2017-01-23 15:00:00|2017-01-23T13:00",
        "CET+0100|2017-01-23 15:00:00|2017-01-23T13:00",
        "CET+0130|2017-01-23 15:00:00|2017-01-23T12:30",
        "UTC+0300|2017-01-23 15:00:00 GMT|2017-01-23T15:00",
        "UTC|2017-01-23 15:00:00 GMT|2017-01-23T15:00",
        "UTC-0430|2017-01-23 15:00:00 GMT|2017-01-23T15:00",
        "None|2017-01-23 15:00:00 GMT|2017-01-23T15:00",
        "UTC|2017-01-23 15:00:00 -1045|2017-01-24T01:45",
        "None|2017-01-23 15:00:00 -10:45|2017-01-24T01:45",
        "UTC|2017-01-23 15:00:00 +0945|2017-01-23T05:15",
        "None|2017-01-23 15:00:00 +09:45|2017-01-23T05:15",
        "UTC+0300|2017-01-23 15:00:00 Z|2017-01-23T15:00",
        "GMT+12|2017-01-23 15:00:00 CET|2017-01-23T14:00",
        "GMT+12|2017-01-23 15:00:00 CEST|2017-01-23T13:00",
        "GMT+12|2017-01-23 15:00:00 CET+0130|2017-01-23T12:30"})
    void shouldApplyTheDefaultZoneOnlyWhenTheLineHasNone(String tz, String line, String desired) throws Exception {
        ZoneRules rules = tz == null ? CET : TimeZones.parse(tz);
        DateDetector dd = DateDetector.forPattern("^%ExY-%Exm-%Exd %H:%M:%S(?: ?%Exz)?", rules, () -> TEST_NOW);
        DateMatch m = new DateMatch();
        assertTrue(dd.find(line, m));
        assertEquals(LocalDateTime.parse(desired).toEpochSecond(ZoneOffset.UTC) * 1000L, m.epochMillis, line + " @ " + tz);
    }

    @Test
    void shouldRejectAnUnknownZone() {
        assertThrows(DatePatternException.class, () -> TimeZones.parse("WRONG-TZ"));
    }

    // ---- testVariousTimes

    static Stream<Arguments> variousTimes() {
        return Stream.of(
            Arguments.of(false, true, "Jan 23 21:59:59", null),
            Arguments.of(false, false, "Sun Jan 23 21:59:59 2005", null),
            Arguments.of(false, false, "Sun Jan 23 21:59:59", null),
            Arguments.of(false, false, "Sun Jan 23 2005 21:59:59", null),
            Arguments.of(false, true, "2005/01/23 21:59:59", null),
            Arguments.of(false, true, "2005.01.23 21:59:59", null),
            Arguments.of(false, true, "23/01/2005 21:59:59", null),
            Arguments.of(false, true, "23/01/05 21:59:59", null),
            Arguments.of(false, true, "23/Jan/2005:21:59:59", null),
            Arguments.of(false, true, "23/Jan/2005:21:59:59 +0100", null),
            Arguments.of(false, true, "01/23/2005:21:59:59", null),
            Arguments.of(false, true, "2005-01-23 21:59:59", null),
            Arguments.of(false, true, "2005-01-23 21:59:59,000", null),
            Arguments.of(false, true, "23-Jan-2005 21:59:59", null),
            Arguments.of(false, true, "23-Jan-2005 21:59:59.02", null),
            Arguments.of(false, true, "23-Jan-2005 21:59:59 +0100", null),
            Arguments.of(false, true, "23-01-2005 21:59:59", null),
            Arguments.of(true, true, "1106513999", null),
            Arguments.of(false, true, "01-23-2005 21:59:59.252", null),
            Arguments.of(false, false, "@4000000041f4104f00000000", null),
            Arguments.of(false, true, "2005-01-23T20:59:59.252Z", null),
            Arguments.of(false, true, "2005-01-23T15:59:59-05:00", null),
            Arguments.of(false, true, "2005-01-23 21:59:59", null),
            Arguments.of(false, true, "20050123T215959", null),
            Arguments.of(false, true, "20050123 215959", null),
            Arguments.of(true, true, "<01/23/05@21:59:59>", null),
            Arguments.of(false, true, "050123 21:59:59", null),
            Arguments.of(true, true, "Jan-23-05 21:59:59", null),
            Arguments.of(false, true, "Jan 23, 2005 9:59:59 PM", null),
            Arguments.of(true, true, "1106513999", null),
            Arguments.of(true, true, "1106513999.000", null),
            Arguments.of(true, true, "[1106513999.000]", "1106513999.000"),
            Arguments.of(false, true, "audit(1106513999.000:987)", "1106513999.000"),
            Arguments.of(true, true, "no date line", null));
    }

    @ParameterizedTest
    @MethodSource("variousTimes")
    void shouldDetectEveryCommonFormatWithTheRightBoundaries(boolean anchored, boolean bound, String sdate, String rdate) {
        if (rdate == null && !sdate.equals("no date line")) {
            rdate = sdate;
        }
        DateDetector dd = defaults(); // fail2ban shares one detector over all rows; this is stricter per row
        Object[][] variants = {{rdate != null, ""}, {!anchored, "bogus-prefix "}, {false, "word-boundary"}};
        for (Object[] v : variants) {
            boolean shouldMatch = (Boolean) v[0];
            String prefix = (String) v[1];
            if (!bound && prefix.equals("word-boundary")) {
                continue;
            }
            String line = prefix + sdate + "[sshd] error: PAM: Authentication failure";
            for (int twice = 0; twice < 2; twice++) {
                DateMatch m = new DateMatch();
                boolean found = dd.find(line, m);
                if (shouldMatch) {
                    assertTrue(found, line);
                    assertEquals(1106513999000L, m.epochMillis, line);
                    assertEquals(rdate, text(line, m), line);
                } else {
                    assertFalse(found && m.hasTime(), line + " -> " + m);
                }
            }
        }
    }

    @Test
    void shouldPassTheVariousTimesTableWithOneSharedDetectorAsFail2banDoes() {
        DateDetector dd = defaults();
        variousTimes().forEach(a -> {
            Object[] x = a.get();
            boolean anchored = (Boolean) x[0];
            String sdate = (String) x[2];
            String rdate = x[3] == null && !sdate.equals("no date line") ? sdate : (String) x[3];
            for (String prefix : new String[] {"", "bogus-prefix "}) {
                boolean should = prefix.isEmpty() ? rdate != null : !anchored;
                String line = prefix + sdate + "[sshd] error: PAM: Authentication failure";
                DateMatch m = new DateMatch();
                boolean found = dd.find(line, m);
                if (should) {
                    assertTrue(found && m.epochMillis == 1106513999000L && text(line, m).equals(rdate), line + " " + m);
                } else {
                    assertFalse(found, line + " " + m);
                }
            }
        });
    }

    // ---- testAllUniqueTemplateNames

    @Test
    void shouldRejectTheSameTemplateTwice() {
        assertThrows(DatePatternException.class, () -> pattern("%H:%M:%S\n%H:%M:%S"));
        assertThrows(DatePatternException.class, () -> pattern("EPOCH\nepoch"));
    }

    // ---- testFullYearMatch_gh130

    @Test
    void shouldKeepFullYearDatesWhenTheFormatSwitchesBackAndForth() {
        DateDetector dd = defaults();
        long mu = LocalDateTime.of(2012, 10, 11, 2, 37, 17).toEpochSecond(ZoneOffset.ofHours(2)) * 1000L;
        DateMatch m = new DateMatch();
        String a = "2012/10/11 02:37:17 [error] 18434#0";
        assertTrue(dd.find(a, m));
        assertEquals(mu, m.epochMillis);
        assertEquals("2012/10/11 02:37:17", text(a, m));
        String b = "11/10/2012 02:37:17 [error] 18434#0";
        for (int i = 0; i < 10; i++) {
            assertTrue(dd.find(b, m));
            assertEquals(mu, m.epochMillis);
            assertEquals("11/10/2012 02:37:17", text(b, m));
        }
        assertTrue(dd.find(a, m));
        assertEquals(mu, m.epochMillis);
        assertEquals("2012/10/11 02:37:17", text(a, m));
    }

    // ---- testDateTemplate

    @Test
    void shouldHonourStarsLineBeginAndAutomaticIgnoreCase() throws Exception {
        DateMatch m = new DateMatch();
        DateDetector unbound = pattern("(?iu)**time:%ExY%Exm%ExdT%ExH%ExM%ExS**");
        String dt = "TIME:20050102T010203";
        assertTrue(unbound.find("X" + dt + "X", m));
        assertEquals(dt, text("X" + dt + "X", m));
        assertTrue(unbound.find(dt, m));
        assertEquals(dt, text(dt, m));
        assertFalse(pattern("(?iu)**time:%ExY%Exm%ExdT%ExH%ExM%ExS**").find("TIME:50050102T010203", m));

        dt = "time:20050102T010203";
        assertFalse(pattern("{^LN-BEG}time:%ExY%Exm%ExdT%ExH%ExM%ExS").find("X" + dt, m));
        assertFalse(pattern("{^LN-BEG}time:%ExY%Exm%ExdT%ExH%ExM%ExS").find(dt + "X", m));
        DateDetector lb = pattern("{^LN-BEG}time:%ExY%Exm%ExdT%ExH%ExM%ExS");
        assertTrue(lb.find("##" + dt + "...", m));
        assertEquals(dt, text("##" + dt + "...", m));
        assertTrue(lb.find(dt, m));
        assertEquals(dt, text(dt, m));
        assertFalse(pattern("{^LN-BEG}time:%ExY%Exm%ExdT%ExH%ExM%ExS").find("TIME:20050102T010203", m));

        for (String s : new String[] {"2005 jun 03", "2005 Jun 03", "2005 JUN 03"}) {
            DateDetector ic = pattern("^%Y %b %d");
            assertTrue(ic.find(s, m), s);
            assertEquals(s, text(s, m));
        }
    }

    // ---- testNotAnchoredCollision

    @ParameterizedTest
    @ValueSource(strings = {"%H:%M:%S", "{UNB}%H:%M:%S"})
    void shouldFollowATimeThatMovesWithinTheLine(String dp) throws Exception {
        DateDetector dd = pattern(dp);
        DateMatch m = new DateMatch();
        String[] dts = {"00:01:02", "00:01:2", "00:1:2", "0:1:2", "00:1:2", "00:01:2", "00:01:02", "0:1:2", "00:01:02"};
        for (String fmt : new String[] {"%s test", "%8s test", "test %s", "test %8s"}) {
            for (String dt : dts) {
                String line = fmt.formatted(dt);
                assertTrue(dd.find(line, m), line);
                assertEquals(1123970462000L, m.epochMillis, line);
                assertEquals(dt, text(line, m), line);
            }
        }
    }

    // ---- testAmbiguousInOrderedTemplates

    @Test
    void shouldPreferTheNearestDateAndDetectDistanceCollisions() {
        DateDetector dd = defaults();
        Object[][] rows = {
            {"030324  0:03:59", "some free text 030324  0:03:59 -- 2003-03-07 17:05:01 ...", 1},
            {"2003-03-07 17:05:01", "some free text 2003-03-07 17:05:01 test ...", 15},
            {"030324  0:04:00", "server mysqld[1000]: 030324  0:04:00 [Warning] Access denied ..."
                + " foreign-input just some free text 2003-03-07 17:05:01 test", 10},
            {"Sep 16 21:30:26", "server mysqld[1020]: Sep 16 21:30:26 server mysqld: 030916 21:30:26 [Warning] Access denied", 15},
            {"2005-10-07 06:09:42", "server mysqld[5906]: 2005-10-07 06:09:42 5907 [Warning] Access denied", 20},
            {"2005-10-08T15:26:18.237955", "server mysqld[5906]: 2005-10-08T15:26:18.237955 6 [Note] Access denied", 20},
            {"051009 10:05:30", "server mysqld[1000]: 051009 10:05:30 [Warning] Access denied ...", 50},
        };
        DateMatch m = new DateMatch();
        for (Object[] r : rows) {
            String line = (String) r[1];
            for (int i = 0; i < (Integer) r[2]; i++) {
                assertTrue(dd.find(line, m), line);
                assertEquals(r[0], text(line, m), line + " #" + i);
            }
        }
    }

    // ---- testLowLevelLogging (the sequence)

    @Test
    void shouldKeepMatchingWhenTheFormatAlternates() {
        DateDetector dd = defaults();
        DateMatch m = new DateMatch();
        int i = 0;
        Object[][] rows = {
            {"server mysqld[5906]: 2005-10-07 06:09:%02d 5907 [Warning] Access denied", 2},
            {"server mysqld[5906]: 051007 06:10:%02d 5907 [Warning] Access denied", 5},
            {"server mysqld[5906]: 2005-10-07 06:09:%02d 5907 [Warning] Access denied", 10}};
        for (Object[] r : rows) {
            int start = i;
            for (i = start; i < start + (Integer) r[1] + 1; i++) {
                String line = ((String) r[0]).formatted(i);
                assertTrue(dd.find(line, m), line);
            }
            i--;
        }
    }

    // ---- testWrongTemplate

    @Test
    void shouldRejectAPatternThatIsNoRegex() {
        DatePatternException e = assertThrows(DatePatternException.class, () -> pattern("(%ExY%Exm%Exd"));
        assertEquals("(%ExY%Exm%Exd", e.pattern());
        assertThrows(DatePatternException.class, () -> pattern("%Y-%q"));
    }

    // ---- CustomDateFormatsTest.testIso8601

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "None", value = {
        "2007-01-25T12:00:00Z|2007-01-25T12:00",
        "|None", "Z|None", "2007-01-01T120:00:00Z|None", "2007-13-01T12:00:00Z|None",
        "2007-01-25T12:00:00+0400|2007-01-25T08:00",
        "2007-01-25T12:00:00+04:00|2007-01-25T08:00",
        "2007-01-25T12:00:00-0400|2007-01-25T16:00",
        "2007-01-25T12:00:00-04|2007-01-25T16:00"})
    void shouldReadIso8601WithZones(String line, String desired) throws Exception {
        DateDetector dd = pattern("%Y-%m-%d[T ]%H:%M:%S(?:\\.%f)?%z");
        DateMatch m = new DateMatch();
        String l = line == null ? "" : line;
        boolean found = dd.find(l, m) && m.hasTime();
        if (desired == null) {
            assertFalse(found, l);
        } else {
            assertTrue(found, l);
            assertEquals(LocalDateTime.parse(desired).toEpochSecond(ZoneOffset.UTC) * 1000L, m.epochMillis);
        }
    }

    // ---- CustomDateFormatsTest.testAmbiguousDatePattern

    static Stream<Arguments> ambiguous() {
        return Stream.of(
            Arguments.of("Jan 23 21:59:59", null, "Test failure Jan 23 21:59:59 for 192.0.2.1"),
            Arguments.of(false, null, "Test failure TestJan 23 21:59:59.011 2015 for 192.0.2.1"),
            Arguments.of(false, null, "Test failure Jan 23 21:59:59123456789 for 192.0.2.1"),
            Arguments.of("Aug 8 11:25:50", null, "Aug 8 11:25:50 20030f2329b8 Authentication failed from 192.0.2.1"),
            Arguments.of("Aug 8 11:25:50", null, "[Aug 8 11:25:50] 20030f2329b8 Authentication failed from 192.0.2.1"),
            Arguments.of("Aug 8 11:25:50 2014", null, "Aug 8 11:25:50 2014 20030f2329b8 Authentication failed from 192.0.2.1"),
            Arguments.of("20:00:00 01.02.2003", "%H:%M:%S %d.%m.%Y$", "192.0.2.1 at 20:00:00 01.02.2003"),
            Arguments.of("[20:00:00 01.02.2003]", "\\[%H:%M:%S %d.%m.%Y\\]", "192.0.2.1[20:00:00 01.02.2003]"),
            Arguments.of("[20:00:00 01.02.2003]", "\\[%H:%M:%S %d.%m.%Y\\]", "[20:00:00 01.02.2003]192.0.2.1"),
            Arguments.of("[20:00:00 01.02.2003]", "\\[%H:%M:%S %d.%m.%Y\\]$", "192.0.2.1[20:00:00 01.02.2003]"),
            Arguments.of("[20:00:00 01.02.2003]", "^\\[%H:%M:%S %d.%m.%Y\\]", "[20:00:00 01.02.2003]192.0.2.1"),
            Arguments.of("[17/Jun/2011 17:00:45]", "^\\[%d/%b/%Y %H:%M:%S\\]", "[17/Jun/2011 17:00:45] Attempt, IP address 192.0.2.1"),
            Arguments.of("[17/Jun/2011 17:00:45]", "\\[%d/%b/%Y %H:%M:%S\\]", "Attempt [17/Jun/2011 17:00:45] IP address 192.0.2.1"),
            Arguments.of("[17/Jun/2011 17:00:45]", "\\[%d/%b/%Y %H:%M:%S\\]", "Attempt IP address 192.0.2.1, date: [17/Jun/2011 17:00:45]"),
            Arguments.of(false, "%H:%M:%S %d.%m.%Y", "192.0.2.1x20:00:00 01.02.2003"),
            Arguments.of(false, "%H:%M:%S %d.%m.%Y", "20:00:00 01.02.2003x192.0.2.1"),
            Arguments.of("20:00:00 01.02.2003", "**%H:%M:%S %d.%m.%Y**", "192.0.2.1x20:00:00 01.02.2003"),
            Arguments.of("20:00:00 01.02.2003", "**%H:%M:%S %d.%m.%Y**", "20:00:00 01.02.2003x192.0.2.1"),
            Arguments.of("*20:00:00 01.02.2003*", "\\**%H:%M:%S %d.%m.%Y\\**", "test*20:00:00 01.02.2003*test"),
            Arguments.of("20:00:00 01.02.2003", "%H:%M:%S %d.%m.%Y", "192.0.2.1 20:00:00 01.02.2003"),
            Arguments.of("20:00:00 01.02.2003", "%H:%M:%S %d.%m.%Y", "20:00:00 01.02.2003 192.0.2.1"),
            Arguments.of(null, "%Y-%Exm-%Exd %ExH:%ExM:%ExS", "0000-12-30 00:00:00 - 2003-12-30 00:00:00"),
            Arguments.of("2003-12-30 00:00:00", "%ExY-%Exm-%Exd %ExH:%ExM:%ExS", "0000-12-30 00:00:00 - 2003-12-30 00:00:00"),
            Arguments.of("2003-12-30 00:00:00", null, "0000-12-30 00:00:00 - 2003-12-30 00:00:00"),
            Arguments.of("200333 010203", "%Y%m%d %H%M%S", "text:200333 010203 | date:20031230 010203"),
            Arguments.of("20031230 010203", "%ExY%Exm%Exd %ExH%ExM%ExS", "text:200333 010203 | date:20031230 010203"),
            Arguments.of("20031230 010203", null, "text:200333 010203 | date:20031230 010203"),
            Arguments.of("20030101 000000", "%ExY%Exm%Exd %ExH%ExM%ExS", "00001230 010203 - 20030101 000000"),
            Arguments.of(null, "{^LN-BEG}%ExY%Exm%Exd %ExH%ExM%ExS", "00001230 010203 - 20030101 000000"),
            Arguments.of("20031230 010203", "{^LN-BEG}%ExY%Exm%Exd %ExH%ExM%ExS", "20031230 010203 - 20030101 000000"),
            Arguments.of("20031230010203", "{^LN-BEG}%ExY%Exm%Exd%ExH%ExM%ExS**", "2003123001020320030101000000"),
            Arguments.of("20031230010203", "{^LN-BEG}%ExY%Exm%Exd%ExH%ExM%ExS**", "#2003123001020320030101000000"),
            Arguments.of("20031230010203", "{^LN-BEG}%ExY%Exm%Exd%ExH%ExM%ExS**", "##2003123001020320030101000000"),
            Arguments.of("20031230010203", "{^LN-BEG}%ExY%Exm%Exd%ExH%ExM%ExS", "[20031230010203]20030101000000"),
            Arguments.of(1072746123000L - 3600000, "{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: %z)?", "[2003-12-30 01:02:03] server ..."),
            Arguments.of(1072746123000L - 3600000, "{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: %Z)?", "[2003-12-30 01:02:03] server ..."),
            Arguments.of(1072746123000L, "{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: %z)?", "[2003-12-30 01:02:03 UTC] server ..."),
            Arguments.of(1072746123000L, "{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: %Z)?", "[2003-12-30 01:02:03 UTC] server ..."),
            Arguments.of(1072746123000L, "{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: %z)?", "[2003-12-30 01:02:03 Z] server ..."),
            Arguments.of(1072746123000L, "{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: %z)?", "[2003-12-30 01:02:03 +0000] server ..."),
            Arguments.of(1072746123000L, "{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: %Z)?", "[2003-12-30 01:02:03 Z] server ..."));
    }

    @ParameterizedTest
    @MethodSource("ambiguous")
    void shouldResolveAmbiguousDatesAsFail2banDoes(Object matched, String dp, String line) throws Exception {
        DateDetector dd = dp == null ? defaults() : pattern(dp);
        DateMatch m = new DateMatch();
        boolean found = dd.find(line, m) && m.hasTime();
        if (matched == null || Boolean.FALSE.equals(matched)) {
            assertFalse(found, line + " -> " + m);
        } else if (matched instanceof String s) {
            assertTrue(found, line);
            assertEquals(s, text(line, m));
        } else {
            assertTrue(found, line);
            assertEquals(((Long) matched).longValue(), m.epochMillis);
        }
    }

    // ---- CustomDateFormatsTest.testVariousFormatSpecs

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1106438399|^%B %Exd %I:%ExM:%ExS**|January 23 12:59:59",
        "985208399|^%y %U %A %ExH:%ExM:%ExS**|01 11 Wednesday 21:59:59",
        "984603599|^%y %W %A %ExH:%ExM:%ExS**|01 11 Wednesday 21:59:59",
        "984949199|^%y %W %w %ExH:%ExM:%ExS**|01 11 0 21:59:59",
        "984862799|^%y %W %w %ExH:%ExM:%ExS**|01 11 6 21:59:59",
        "1123963199|^%ExH:%ExM:%ExS**|21:59:59",
        "1123970401|^%ExH:%ExM:%ExS**|00:00:01",
        "1094068799|^%m/%d %ExH:%ExM:%ExS**|09/01 21:59:59",
        "1093989600|^%Y-%m-%d**|2004-09-01",
        "1093996800|^%Y-%m-%d%z**|2004-09-01Z"})
    void shouldCoverWeeksWeekdaysTwelveHourClockAndMissingParts(long expected, String dp, String line) throws Exception {
        DateMatch m = new DateMatch();
        assertTrue(pattern(dp).find(line, m), line);
        assertEquals(expected * 1000L, m.epochMillis, line);
    }
}
