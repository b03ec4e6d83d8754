package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays what fail2ban 1.0.2 itself answered (oracle.py, run with TZ=CET-01CEST-02,M3.5.0,M10.5.0 and
 * now = 2005-08-14 12:00 CEST, fail2ban's test setup) for every line of its sample logs (with the
 * filter's own datepattern and with the defaults) and for thousands of randomly mutated lines, line by
 * line in the same order, since template ranking depends on the lines seen before.
 */
class Fail2banOracleTest {

    static final long TEST_NOW = 1_124_013_600_000L;

    record Expect(String line, String result) {
    }

    record Group(String name, String pattern, List<Expect> lines) {
    }

    static List<Group> load() throws IOException {
        List<Group> groups = new ArrayList<>();
        Base64.Decoder b64 = Base64.getDecoder();
        try (InputStream in = Fail2banOracleTest.class.getResourceAsStream("fail2ban-1.0.2-oracle.tsv.gz");
             BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            String row;
            Group g = null;
            while ((row = r.readLine()) != null) {
                String[] f = row.split("\t", 3);
                if (f[0].equals("P")) {
                    g = new Group(f[1], f[2].equals("-") ? null : new String(b64.decode(f[2]), StandardCharsets.UTF_8),
                            new ArrayList<>());
                    groups.add(g);
                } else {
                    g.lines().add(new Expect(new String(b64.decode(f[1]), StandardCharsets.UTF_8), f[2]));
                }
            }
        }
        return groups;
    }

    @TestFactory
    Stream<DynamicTest> shouldFindTheSameDatesAsFail2banOnEveryLineInOrder() throws Exception {
        ZoneRules tz = TimeZones.parse("CET-01CEST-02,M3.5.0,M10.5.0");
        return load().stream().map(g -> DynamicTest.dynamicTest(g.name() + " (" + g.lines().size() + " lines)", () -> {
            DateDetector dd = g.pattern() == null ? DateDetector.defaults(tz, () -> TEST_NOW)
                    : DateDetector.forPattern(g.pattern(), tz, () -> TEST_NOW);
            DateMatch m = new DateMatch();
            int n = 0;
            for (Expect e : g.lines()) {
                n++;
                String where = g.name() + " line " + n + ": " + e.line();
                boolean found = dd.find(e.line(), m);
                if (e.result().equals("-")) {
                    assertTrue(!found, () -> where + " -> fail2ban found no date, we found " + m);
                    continue;
                }
                assertTrue(found, () -> where + " -> fail2ban found " + e.result());
                String[] f = e.result().split("\t");
                assertEquals(Integer.parseInt(f[0]), m.start, () -> where + " start; " + m);
                assertEquals(Integer.parseInt(f[1]), m.end, () -> where + " end; " + m);
                switch (f[2]) {
                    case "-", "N", "X" -> assertEquals(DateMatch.NO_TIME, m.epochMillis, () -> where + " time; " + m);
                    default -> {
                        double expected = Double.parseDouble(f[2]) * 1000.0;
                        assertTrue(Math.abs(expected - m.epochMillis) < 1.5,
                                () -> where + " time " + f[2] + " vs " + m.epochMillis);
                    }
                }
            }
        }));
    }
}
