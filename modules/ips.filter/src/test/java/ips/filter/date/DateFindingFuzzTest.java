package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.zone.ZoneRules;

/**
 * Date finding is total: any line gives a date or none, never an unchecked exception; any datepattern
 * and any zone text either work or fail with a {@link DatePatternException}. The hand-written syslog
 * recogniser answers exactly what the regex answers.
 */
class DateFindingFuzzTest {

    private static final ZoneRules CET = ZoneRules.of(java.time.ZoneOffset.ofHours(1));
    private static final long NOW = 1_124_013_600_000L;
    private static final String[] PATTERNS = {
        null, "{^LN-BEG}", "EPOCH", "LEPOCH", "TAI64N", "%H:%M:%S", "{UNB}%H:%M:%S", "^%b-%d-%Exy %H:%M:%S",
        "{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: ?%Exz)?", "%d/%b/%Y:%H:%M:%S %z", "^[^\\[]*\\[({DATE})\n{^LN-BEG}",
        "^%y %U %A %ExH:%ExM:%ExS**", "%j %Y %I:%M %p", "(?<=\\|\\s){LEPOCH}(?=\\s\\|)", "{NONE}",
    };
    private static final DateDetector[] DETECTORS = new DateDetector[PATTERNS.length];
    private static final PatternTemplate FAST;
    private static final PatternTemplate SLOW;
    private static final TimeContext TIME = new TimeContext(CET, () -> NOW);

    static {
        try {
            for (int i = 0; i < PATTERNS.length; i++) {
                DETECTORS[i] = PATTERNS[i] == null ? DateDetector.defaults(CET, () -> NOW)
                        : DateDetector.forPattern(PATTERNS[i], CET, () -> NOW);
            }
            FAST = PatternTemplate.of(PatternTemplate.ANCHORED_ASCTIME);
            SLOW = PatternTemplate.regexOnly(PatternTemplate.ANCHORED_ASCTIME);
        } catch (DatePatternException e) {
            throw new ExceptionInInitializerError(e);
        }
        TIME.tick();
    }

    @FuzzTest(maxDuration = "30s")
    void anyLineGivesADateOrNoneAndTheSyslogRecogniserAgreesWithTheRegex(FuzzedDataProvider data) {
        int which = data.consumeInt(0, PATTERNS.length - 1);
        String line = data.consumeRemainingAsString();
        DateMatch m = new DateMatch();
        if (DETECTORS[which].find(line, m)) {
            assertTrue(0 <= m.start && m.start <= m.end && m.end <= line.length(), m::toString);
        }
        boolean fast = FAST.matchDate(line);
        boolean slow = SLOW.matchDate(line);
        assertEquals(slow, fast, line);
        if (fast) {
            assertEquals(SLOW.dateStart(), FAST.dateStart(), line);
            assertEquals(SLOW.dateEnd(), FAST.dateEnd(), line);
            assertEquals(SLOW.matchStart, FAST.matchStart, line);
            assertEquals(SLOW.matchEnd, FAST.matchEnd, line);
            assertEquals(SLOW.epochMillis(line, TIME), FAST.epochMillis(line, TIME), line);
        }
    }

    /** Pieces of well-formed datepatterns (the regex sanitizer of Jazzer reports any syntax error as a finding). */
    private static final String[] PIECES = {
        "%Y", "%y", "%m", "%d", "%H", "%M", "%S", "%f", "%z", "%Z", "%b", "%B", "%a", "%A", "%p", "%I", "%j", "%U",
        "%W", "%w", "%k", "%l", "%ExY", "%Exy", "%Exm", "%Exd", "%ExH", "%ExM", "%ExS", "%Exz", "%ExZ", "%Exk",
        "%Exl", "%%", "-", "/", ":", " ", "  ?", "T", ".", "\\.", ",", "\\[", "\\]", "\\s*", "\\d+", "x", "@",
        "(?P<_sep>[-/.])", "[T ]", "EPOCH", "{EPOCH}", "{LEPOCH}", "TAI64N", "{DATE}", "{DEFAULT}", "{NONE}", "(?:", "(",
    };
    // "**" is left to the unit tests: fail2ban's own rewriting of a misplaced "**" yields regexes that do not
    // compile, a DatePatternException here, but a "regex injection" finding for Jazzer's sanitizer
    private static final String[] PREFIXES = {"", "^", "{^LN-BEG}", "{UNB}", "(?iu)"};
    private static final String[] SUFFIXES = {"", "$"};

    @FuzzTest(maxDuration = "30s")
    void anyDatePatternWorksOrFailsWithADatePatternException(FuzzedDataProvider data) {
        StringBuilder pattern = new StringBuilder(data.pickValue(PREFIXES));
        int open = 0;
        int pieces = data.consumeInt(1, 12);
        for (int i = 0; i < pieces; i++) {
            String piece = data.pickValue(PIECES);
            if (piece.startsWith("(") && !piece.startsWith("(?P") && !piece.startsWith("(?i")) {
                open++;
            }
            pattern.append(piece);
            if (open > 0 && data.consumeBoolean()) {
                pattern.append(data.consumeBoolean() ? ")?" : ")");
                open--;
            }
        }
        pattern.append(")".repeat(open)).append(data.pickValue(SUFFIXES));
        if (data.consumeBoolean()) {
            pattern.append('\n').append(data.pickValue(PIECES));
        }
        String line = data.consumeRemainingAsString();
        DateDetector dd;
        try {
            dd = DateDetector.forPattern(pattern.toString(), CET, () -> NOW);
        } catch (DatePatternException expected) {
            return;
        }
        DateMatch m = new DateMatch();
        for (int i = 0; i < 2; i++) {
            if (dd.find(line, m)) {
                assertTrue(0 <= m.start && m.start <= m.end && m.end <= line.length(), m::toString);
            }
        }
    }

    @FuzzTest(maxDuration = "20s")
    void anyZoneTextGivesRulesOrFailsWithADatePatternException(FuzzedDataProvider data) {
        String tz = data.consumeString(80);
        long when = data.consumeLong(-10_000_000_000L, 10_000_000_000L);
        try {
            ZoneRules rules = TimeZones.parse(tz);
            TimeContext ctx = new TimeContext(rules, () -> when * 1000L);
            ctx.tick();
            ctx.nowLocalMillis();
            ctx.utcOfLocal(when);
        } catch (DatePatternException expected) {
            // the contract
        }
    }
}
