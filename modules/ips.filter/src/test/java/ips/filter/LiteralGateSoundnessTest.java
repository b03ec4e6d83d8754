package ips.filter;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.config.FilterDefinition;
import ips.filter.date.DateDetector;
import ips.filter.date.DateMatch;
import ips.filter.date.TimeZones;
import ips.filter.regex.BudgetedText;
import ips.filter.regex.PyRegex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The literal gate never rules out a failregex that matches: on every stock filter with a sample
 * log, each line without its date (as the matcher searches it) and variants of it (blanks or a
 * letter put before it, its tail alone), every failregex that {@code java.util.regex} finds in the
 * text it searches (the line, or the prefregex's content) is a candidate, on characters and, for
 * ASCII text, on bytes, and the extra literals a candidate needs ({@code LiteralGate#hasExtras}) do
 * not rule it out either.
 */
class LiteralGateSoundnessTest {
    @TestFactory
    Stream<DynamicTest> aMatchingFailregexIsAlwaysACandidate() throws Exception {
        assumeTrue(Sshd.available() && Files.isDirectory(Sshd.LOGS), "fail2ban's filters and sample logs are not installed");
        return Sshd.perSampleLog(LiteralGateSoundnessTest::check);
    }

    private static void check(String filter, FilterDefinition def, CompiledFilter cf, Path log) throws Exception {
        if (cf.maxLines() > 1) {
            return; // the gate sees a buffer of lines there; the corpus tests cover it
        }
        DateDetector dd = Sshd.detector(def, TimeZones.parse("UTC"));
        LiteralGate gate = cf.gate();
        int matched = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("#")) {
                continue;
            }
            DateMatch dm = new DateMatch();
            String text = dd.find(line, dm) && dm.start < dm.end ? line.substring(0, dm.start) + line.substring(dm.end) : line;
            List<String> variants = new ArrayList<>(List.of(text, " " + text, "\t \t" + text, "\u00a0" + text, "x" + text));
            int cut = text.indexOf(' ');
            if (cut >= 0) {
                variants.add(text.substring(cut + 1));
            }
            for (String v : variants) {
                matched += check(cf, gate, v, filter);
            }
        }
        assertTrue(matched > 0 || cf.failRegexCount() == 0, filter + ": no failregex matched any line");
    }

    /** The gate's answers on {@code text} (without its line end) include every failregex that matches; how many do. */
    private static int check(CompiledFilter cf, LiteralGate gate, String text, String filter) {
        BudgetedText t = new BudgetedText();
        t.budget(Long.MAX_VALUE);
        t.append(text).append('\n');
        long may = gate.candidates(t);
        boolean ascii = text.chars().allMatch(c -> c < 0x80);
        long mayBytes = ascii && gate.newlineFree() ? gate.candidates(("pre" + text).getBytes(StandardCharsets.ISO_8859_1), 3, 3 + text.length()) : may;
        String searched = text + "\n";
        PyRegex pref = cf.pref();
        if (pref != null) {
            Matcher pm = pref.unicodePattern().matcher(searched);
            if (!(pref.anchored() ? pm.lookingAt() : pm.find())) {
                return 0;
            }
            int c = pref.group("content");
            if (c > 0 && pm.start(c) >= 0 && pm.end(c) > pm.start(c)) {
                searched = searched.substring(pm.start(c), pm.end(c)) + "\n";
            }
        }
        int n = 0;
        for (int i = 0; i < cf.failRegexCount(); i++) {
            PyRegex r = cf.fail()[i];
            Matcher m = r.unicodePattern().matcher(searched);
            if (r.anchored() ? m.lookingAt() : m.find()) {
                n++;
                int at = i;
                assertTrue(LiteralGate.may(may, i), () -> filter + ": failregex " + at + " ruled out on " + text);
                assertTrue(LiteralGate.may(mayBytes, i), () -> filter + ": failregex " + at + " ruled out on the bytes of " + text);
            }
        }
        return n;
    }
}
