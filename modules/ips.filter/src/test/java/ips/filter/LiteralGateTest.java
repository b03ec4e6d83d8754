package ips.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ips.filter.regex.BudgetedText;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Wu-Manber gate finds exactly the regexes whose literals occur, as a naive search does. */
class LiteralGateTest {

    private static long naive(List<List<String>> perRegex, String text) {
        long found = 0;
        for (int i = 0; i < perRegex.size(); i++) {
            List<String> l = perRegex.get(i);
            if (l == null || i >= 64) {
                if (i < 64) {
                    found |= 1L << i;
                }
                continue;
            }
            for (String s : l) {
                if (text.contains(s)) {
                    found |= 1L << i;
                }
            }
        }
        return found;
    }

    private static long gate(LiteralGate g, String text) {
        BudgetedText t = new BudgetedText();
        t.budget(Long.MAX_VALUE);
        t.clear().append(text);
        return g.candidates(t);
    }

    @Test
    void findsLiteralsAtTheEdgesAndOverlapping() {
        List<List<String>> lits = List.of(List.of("Failed "), List.of("Invalid user ", "Illegal user "),
                List.of("abcabd"), List.of("abd"));
        LiteralGate g = new LiteralGate(lits);
        for (String text : List.of("Failed ", "xFailed", "Failed password", "Invalid user x", "x Illegal user ",
                "abcabcabd", "ab", "", "abd", "Fai led", "Invalid user", "zzzzzzzzzzzzzzzzabd")) {
            assertEquals(naive(lits, text), gate(g, text), text);
        }
    }

    @Test
    void ungatedRegexesAreAlwaysCandidates() {
        List<List<String>> lits = new ArrayList<>();
        lits.add(List.of("from "));
        lits.add(null);
        LiteralGate g = new LiteralGate(lits);
        assertEquals(2L, gate(g, "nothing here"));
        assertEquals(3L, gate(g, "connect from x"));
    }

    @Test
    void agreesWithANaiveSearchOnRandomTexts() {
        Random r = new Random(42);
        String alphabet = "ab c\u00e9\u4e2dxyz";
        for (int round = 0; round < 300; round++) {
            int regexes = 1 + r.nextInt(6);
            List<List<String>> lits = new ArrayList<>();
            for (int i = 0; i < regexes; i++) {
                if (r.nextInt(8) == 0) {
                    lits.add(null);
                    continue;
                }
                List<String> alt = new ArrayList<>();
                int k = 1 + r.nextInt(3);
                for (int j = 0; j < k; j++) {
                    alt.add(random(r, alphabet, LiteralGate.MIN_LITERAL + r.nextInt(6)));
                }
                lits.add(alt);
            }
            LiteralGate g = new LiteralGate(lits);
            for (int t = 0; t < 50; t++) {
                String text = random(r, alphabet, r.nextInt(60));
                if (r.nextBoolean()) {
                    // plant a literal somewhere
                    List<String> l = lits.get(r.nextInt(lits.size()));
                    if (l != null) {
                        String lit = l.get(r.nextInt(l.size()));
                        int at = r.nextInt(text.length() + 1);
                        text = text.substring(0, at) + lit + text.substring(at);
                    }
                }
                String txt = text;
                assertEquals(naive(lits, txt), gate(g, txt), () -> "literals " + lits + " text " + txt);
            }
        }
    }

    /**
     * Regex i may match: its first requirement (a set of literals, one of which must occur) is met,
     * and so are the next {@link LiteralGate#MAX_EXTRAS} whose literals are all long enough to check.
     */
    private static long naiveAll(List<List<List<String>>> perRegex, String text) {
        long found = 0;
        for (int i = 0; i < perRegex.size(); i++) {
            List<List<String>> req = perRegex.get(i);
            boolean all = req == null || req.get(0).stream().anyMatch(text::contains);
            int checked = 0;
            for (int j = 1; req != null && j < req.size() && checked < LiteralGate.MAX_EXTRAS; j++) {
                if (req.get(j).stream().allMatch(l -> l.length() >= LiteralGate.MIN_EXTRA)) {
                    all &= req.get(j).stream().anyMatch(text::contains);
                    checked++;
                }
            }
            if (all) {
                found |= 1L << i;
            }
        }
        return found;
    }

    @Test
    void everyRequirementOfACandidateIsMetAsANaiveSearchFindsThem() {
        Random r = new Random(7);
        for (int round = 0; round < 600; round++) {
            // half the rounds with characters beyond ASCII and beyond 255 (Horspool's tables cover 0-255)
            String alphabet = round % 2 == 0 ? "ab c:xyz" : "ab c:\u00e9\u0100\u0101z";
            List<List<List<String>>> req = new ArrayList<>();
            List<String> pool = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(5); i < n; i++) {
                if (r.nextInt(8) == 0) {
                    req.add(null);
                    continue;
                }
                List<List<String>> conj = new ArrayList<>();
                for (int j = 0, m = 1 + r.nextInt(4); j < m; j++) {
                    List<String> alt = new ArrayList<>();
                    for (int k = 0, a = 1 + r.nextInt(2); k < a; k++) {
                        String lit = random(r, alphabet, LiteralGate.MIN_LITERAL + r.nextInt(LiteralGate.MIN_EXTRA));
                        alt.add(lit);
                        pool.add(lit);
                    }
                    conj.add(alt);
                }
                req.add(conj);
            }
            LiteralGate g = LiteralGate.ofRequirements(req);
            for (int t = 0; t < 40; t++) {
                StringBuilder text = new StringBuilder(random(r, alphabet, r.nextInt(40)));
                for (int p = r.nextInt(4); p > 0 && !pool.isEmpty(); p--) {
                    text.insert(r.nextInt(text.length() + 1), pool.get(r.nextInt(pool.size())));
                }
                String txt = text.toString();
                assertEquals(naiveAll(req, txt), gate(g, txt), () -> "requirements " + req + " text " + txt);
                if (txt.chars().allMatch(c -> c < 0x80)) { // the byte form is for ASCII lines only
                    byte[] bytes = ("12" + txt + "3").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    assertEquals(naiveAll(req, txt), g.candidates(bytes, 2, bytes.length - 1), () -> "bytes: " + txt);
                }
            }
        }
    }

    private static String random(Random r, String alphabet, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
