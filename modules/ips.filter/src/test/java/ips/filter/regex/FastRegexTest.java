package ips.filter.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FastRegex} against {@code java.util.regex} on every text of up to six characters over a
 * small alphabet, for patterns that exercise each construct's backtracking order and captures;
 * what it refuses; and the hand-over to {@code java.util.regex} when a search runs too deep or
 * spends its budget.
 */
class FastRegexTest {
    private static final String ALPHABET = "ab: \nA1";

    @ParameterizedTest
    @ValueSource(strings = {
        "a", "ab", "^a", "a$", "^$", "\\ba", "a\\b", "\\Ba", "\\Aa", "a\\z", "a\\Z",
        "a*", "a+b", "a*?b", "a+?", "a?b", "a??b", "a{2}", "a{1,3}b", "a{2,}", "a{0,2}?:",
        "[ab]+", "[^a]+", "[^\\n]*$", ".", ".*:", ".+?b", "[[^a]:]+", "[a-b1]+", "\\s+", "\\S+", "\\w+", "\\W", "\\d",
        "(a)|(b)", "(a|ab)(c|bcd)?", "(a*)(a)", "(a*?)(a)", "((a)|b)+", "(?:(a)|b)+", "(?:a|(b))*:", "(a|b){2,3}?(:)",
        "(?<x>a)(?<y>b)?\\k<x>", "(a)\\1", "(?:(a)|b)\\1", "(a)?(?:\\1|b)", "(?<m>)?(?:\\k<m>a|(?!\\k<m>)b)",
        "a(?=b)", "a(?!b)", "(?<=a)b", "(?<!a)b", "(?<=:|ab)1", "(?<![^\\n])a", "(?:(?!ab).)*", "(?:(?!ab).)*?b",
        "(?:(?! ).)+:", "(?i)a", "(?i:ab)A", "(?iu:a)b", "[a-z]+(?i:B)", "(?i)[^a]", "(?s).", "(?m)^a", "(?m)a$",
        "(?:a:|:)+b", "(?:a|:){1,2}?b", "(?:ab|a)*b", "(?:a[ab]|b)+?:", "^(?:(a)|(b))*$", "(?:x|)a", "\\Qa:\\E",
        "\\x61", "\\u0061\\t?", "[\\x30-\\x39]", "a|", "|a", "(a)|", "((a))b", "(?:)a",
    })
    void everyShortTextAsJavaUtilRegex(String regex) {
        for (int flags : new int[] {Pattern.UNIX_LINES, Pattern.UNIX_LINES | Pattern.MULTILINE}) {
            FastRegex f = FastRegex.compile(regex, flags);
            assertNotNull(f, regex + " compiles");
            Pattern p = Pattern.compile(regex, flags);
            RegexMatcher fm = f.matcher();
            RegexMatcher jm = RegexMatcher.jdk(p);
            for (String s : texts(6)) {
                for (boolean anchored : new boolean[] {false, true}) {
                    BudgetedText jt = text(s);
                    BudgetedText ft = text(s);
                    boolean j = jm.search(jt, anchored);
                    boolean fr = fm.search(ft, anchored);
                    String where = "/" + regex + "/ " + (anchored ? "at start " : "") + "on \"" + s.replace("\n", "\\n") + "\"";
                    assertEquals(j, fr, where);
                    if (j) {
                        assertEquals(jm.groupCount(), fm.groupCount(), where);
                        for (int g = 0; g <= jm.groupCount(); g++) {
                            assertEquals(jm.group(g), fm.group(g), where + " group " + g);
                            assertEquals(jm.start(g), fm.start(g), where + " start " + g);
                        }
                        var snap = fm.snapshot();
                        assertEquals(jm.group(0), snap.group(0), where);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a++", "(?>a)", "\\p{L}", "[a&&b]", "(a*)*", "(?:a?)+", "(?x)a", "(?<=a+)b", "(?=(a))",
        "\\h", "\\R", "(?i)\\u00e9", "(?i)(a)\\1", "\\G", "[\\w-z]", "\\9"})
    void refusesWhatItDoesNotRunExactly(String regex) {
        assertNull(FastRegex.compile(regex, Pattern.UNIX_LINES), regex);
        assertNull(FastRegex.compile("a", Pattern.COMMENTS | Pattern.UNIX_LINES), "COMMENTS");
        assertNull(FastRegex.compile("a", 0), "without UNIX_LINES");
    }

    @Test
    void deepRecursionIsHandedToJavaUtilRegex() {
        String regex = "(?:ab|b)+:"; // a loop whose body is no single character: one level per pass
        FastRegex f = FastRegex.compile(regex, Pattern.UNIX_LINES);
        FastMatcher m = new FastMatcher(f, Pattern.compile(regex, Pattern.UNIX_LINES));
        String s = "ab".repeat(FastMatcher.MAX_DEPTH * 3 / 5) + ":\n"; // deeper than MAX_DEPTH here, not for Java
        assertTrue(m.search(text(s), false));
        assertEquals(1, m.fallbacks);
        assertEquals(0, m.start());
        assertEquals(s.length() - 1, m.end());
        // without a fallback (tests only) giving up is the budget's exception
        assertThrows(BudgetedText.BudgetExceeded.class, () -> f.matcher().search(text(s), false));
    }

    @Test
    void aSpentBudgetIsHandedToJavaUtilRegexWhichThenDecides() {
        String regex = "(?:a|aa)+b";
        FastRegex f = FastRegex.compile(regex, Pattern.UNIX_LINES);
        FastMatcher m = new FastMatcher(f, Pattern.compile(regex, Pattern.UNIX_LINES));
        BudgetedText t = text("a".repeat(40) + "\n");
        t.budget(100_000);
        // exponential for the fast engine, which gives up; java.util.regex (which remembers where
        // such a loop failed) then answers within the same budget
        assertFalse(m.search(t, false));
        assertEquals(1, m.fallbacks);
        BudgetedText easy = text("aaab\n");
        easy.budget(100_000);
        assertTrue(m.search(easy, false));
        assertTrue(easy.remaining() < 100_000, "the fast engine's steps count against the line's budget");
    }

    @Test
    void runsOnlyOnAsciiText() {
        FastRegex f = FastRegex.compile("a", Pattern.UNIX_LINES);
        assertThrows(IllegalArgumentException.class, () -> f.matcher().search(text("\u00e9a"), false));
    }

    private static BudgetedText text(String s) {
        BudgetedText t = new BudgetedText().clear().append(s);
        t.budget(10_000_000);
        return t;
    }

    private static List<String> texts(int maxLen) {
        List<String> out = new ArrayList<>();
        out.add("");
        List<String> last = List.of("");
        for (int len = 1; len <= maxLen; len++) {
            List<String> next = new ArrayList<>();
            for (String p : last) {
                for (char c : ALPHABET.toCharArray()) {
                    next.add(p + c);
                }
            }
            // every text up to 4 characters, then a deterministic sample
            if (len > 4) {
                List<String> sample = new ArrayList<>();
                for (int i = 0; i < next.size(); i += 7) {
                    sample.add(next.get(i));
                }
                next = sample;
            }
            out.addAll(next);
            last = next;
        }
        return out;
    }
}
