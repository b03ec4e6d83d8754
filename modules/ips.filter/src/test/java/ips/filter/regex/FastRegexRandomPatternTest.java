package ips.filter.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

/**
 * Random patterns built from the constructs {@link FastRegex} compiles (literals, classes, groups
 * named and not, alternation, greedy and lazy and counted quantifiers, look-arounds, back-references,
 * anchors, {@code \b}, scoped flags), each run on random texts over a small alphabet, against {@code
 * java.util.regex}: the same result and groups every time. A fixed seed, so a failure repeats.
 */
class FastRegexRandomPatternTest {
    private static final String ALPHABET = "ab: \n1A";
    private static final int PATTERNS = 6000;
    private static final int TEXTS = 40;

    private final Random rnd = new Random(20261206);
    private int groups;

    @Test
    void randomPatternsMatchAsJavaUtilRegex() {
        int compiled = 0;
        long compared = 0;
        for (int p = 0; p < PATTERNS; p++) {
            groups = 0;
            String regex = alternation(3);
            int flags = Pattern.UNIX_LINES | (rnd.nextInt(4) == 0 ? Pattern.MULTILINE : 0);
            Pattern jdk;
            try {
                jdk = Pattern.compile(regex, flags);
            } catch (PatternSyntaxException e) {
                continue;
            }
            FastRegex fast = FastRegex.compile(regex, flags);
            if (fast == null) {
                continue;
            }
            compiled++;
            RegexMatcher f = fast.matcher();
            RegexMatcher j = RegexMatcher.jdk(jdk);
            for (int t = 0; t < TEXTS; t++) {
                String s = text(rnd.nextInt(12));
                for (boolean anchored : new boolean[] {false, true}) {
                    boolean jr;
                    try {
                        jr = j.search(budgeted(s), anchored);
                    } catch (StackOverflowError e) {
                        continue;
                    }
                    boolean fr;
                    try {
                        fr = f.search(budgeted(s), anchored);
                    } catch (BudgetedText.BudgetExceeded gaveUp) {
                        continue;
                    }
                    String where = "/" + regex + "/ " + (anchored ? "at start " : "") + "on \"" + s.replace("\n", "\\n") + "\"";
                    assertEquals(jr, fr, where);
                    if (jr) {
                        for (int g = 0; g <= j.groupCount(); g++) {
                            assertEquals(j.start(g) + ".." + j.end(g), f.start(g) + ".." + f.end(g), where + " group " + g);
                        }
                    }
                    compared++;
                }
            }
        }
        System.out.println("random patterns: " + compiled + " of " + PATTERNS + " compiled, " + compared + " searches compared");
        assertTrue(compiled > PATTERNS / 3, "too few patterns compiled: " + compiled);
    }

    private String alternation(int depth) {
        StringBuilder b = new StringBuilder(sequence(depth));
        while (rnd.nextInt(4) == 0) {
            b.append('|').append(sequence(depth));
        }
        return b.toString();
    }

    private String sequence(int depth) {
        StringBuilder b = new StringBuilder();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            b.append(quantified(depth));
        }
        return b.toString();
    }

    private String quantified(int depth) {
        String atom = atom(depth);
        if (atom.startsWith("(?=") || atom.startsWith("(?!") || atom.startsWith("(?<=") || atom.startsWith("(?<!")
                || atom.startsWith("\\k") || atom.equals("^") || atom.equals("$") || atom.equals("\\b")) {
            return atom;
        }
        String q = switch (rnd.nextInt(10)) {
            case 0 -> "*";
            case 1 -> "+";
            case 2 -> "?";
            case 3 -> "{" + rnd.nextInt(3) + "," + (2 + rnd.nextInt(3)) + "}";
            case 4 -> "{" + (1 + rnd.nextInt(2)) + "}";
            default -> "";
        };
        if (!q.isEmpty() && rnd.nextInt(3) == 0) {
            q += "?";
        }
        return atom + q;
    }

    private String atom(int depth) {
        int k = rnd.nextInt(depth > 0 ? 16 : 8);
        switch (k) {
            case 0, 1, 2:
                return String.valueOf("ab: 1A".charAt(rnd.nextInt(6)));
            case 3:
                return new String[] {"[ab]", "[^a]", "[a-b1]", "[^\\n:]", "\\s", "\\S", "\\w", "\\d", "[[^a]:]"}[rnd.nextInt(9)];
            case 4:
                return ".";
            case 5:
                return new String[] {"^", "$", "\\b"}[rnd.nextInt(3)];
            case 6:
                return groups > 0 ? "\\k<g" + (1 + rnd.nextInt(groups)) + ">" : "a";
            case 7:
                return "ab";
            case 8, 9: {
                int g = ++groups;
                return "(?<g" + g + ">" + alternation(depth - 1) + ")";
            }
            case 10, 11:
                return "(?:" + alternation(depth - 1) + ")";
            case 12:
                return "(?" + (rnd.nextBoolean() ? "=" : "!") + plain(depth - 1) + ")";
            case 13:
                return "(?<" + (rnd.nextBoolean() ? "=" : "!") + fixed() + ")";
            case 14:
                return "(?i:" + plain(depth - 1) + ")";
            default:
                return "(" + alternation(depth - 1) + ")";
        }
    }

    /** A part without groups (look-arounds take no captures). */
    private String plain(int depth) {
        int saved = groups;
        String s;
        do {
            groups = saved;
            s = alternation(Math.max(0, depth));
        } while (hasCapture(s));
        groups = saved;
        return s;
    }

    /** A capturing group (named or not) or a back-reference. */
    private static boolean hasCapture(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '(' && (i == 0 || s.charAt(i - 1) != '\\') && (i + 1 >= s.length() || s.charAt(i + 1) != '?')) {
                return true;
            }
        }
        return s.contains("(?<g") || s.contains("\\k");
    }

    /** A bounded-length part for look-behind. */
    private String fixed() {
        return new String[] {"a", ":", "ab", "a|b:", "[ab]", "\\n|a", "a?b", "(?:a|ab)"}[rnd.nextInt(8)];
    }

    private String text(int len) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            b.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    private static BudgetedText budgeted(String s) {
        BudgetedText t = new BudgetedText().clear().append(s);
        t.budget(1_000_000);
        return t;
    }
}
