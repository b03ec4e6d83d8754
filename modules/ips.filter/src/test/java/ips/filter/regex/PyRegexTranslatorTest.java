package ips.filter.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

/** Python {@code re} semantics reproduced on {@code java.util.regex}. */
class PyRegexTranslatorTest {

    private static Matcher find(String python, String text) {
        PyRegex r = PyRegex.compilePython(python, false);
        Matcher m = r.unicodePattern().matcher(text);
        return m.find() ? m : null;
    }

    private static String group(String python, String text, String name) {
        PyRegex r = PyRegex.compilePython(python, false);
        Matcher m = r.unicodePattern().matcher(text);
        assertTrue(m.find(), python + " should match " + text);
        return m.group(r.group(name));
    }

    @Test
    void groupNamesJavaRejectsAreKeptAsPythonNames() {
        assertEquals("bob", group("user (?P<alt_user_1>\\w+)", "user bob", "alt_user_1"));
        assertEquals("x", group("(?P<F_X>x)", "x", "F_X"));
    }

    @Test
    void namedBackReferenceMatchesTheSameText() {
        assertTrue(find("(?P<q>['\"])x(?P=q)", "'x'") != null);
        assertNull(find("^(?P<q>['\"])x(?P=q)$", "'x\""));
    }

    @Test
    void conditionalTakesYesBranchWhenGroupParticipated() {
        String re = "^(?P<inv>invalid )?user (?(inv)bad|good)$";
        assertTrue(find(re, "invalid user bad") != null);
        assertNull(find(re, "invalid user good"));
        assertTrue(find(re, "user good") != null);
        assertNull(find(re, "user bad"));
    }

    @Test
    void conditionalWithoutNoBranchMatchesEmpty() {
        String re = "^(<)?x(?(1)>)$";
        assertTrue(find(re, "<x>") != null);
        assertTrue(find(re, "x") != null);
        assertNull(find(re, "<x"));
    }

    @Test
    void conditionalSeesGroupUnsetAfterBacktracking() {
        // the group matches "a" in the first attempt, which then fails; Python tests it unset
        String re = "^(?:(?P<g>a)b|a)(?(g)X|Y)$";
        assertTrue(find(re, "aY") != null);
        assertTrue(find(re, "abX") != null);
        assertNull(find(re, "aX"));
    }

    @Test
    void numberedBackReferencesSurviveMarkerGroups() {
        String re = "^(?P<a>x)?(y)(?(a)1|2)\\2$";
        assertTrue(find(re, "xy1y") != null);
        assertTrue(find(re, "y2y") != null);
    }

    @Test
    void braceQuantifiersFollowPython() {
        assertTrue(find("^a{,2}$", "aa") != null);
        assertNull(find("^a{,2}$", "aaa"));
        assertTrue(find("^a{$", "a{") != null, "a stray { is a literal");
        assertTrue(find("^x{}$", "x{}") != null);
        assertTrue(find("^x{1,a}$", "x{1,a}") != null);
    }

    @Test
    void bracketInsideClassIsALiteral() {
        assertTrue(find("^[[x]+$", "[x[") != null);
        assertTrue(find("^[]a]+$", "]a") != null);
        assertTrue(find("^[a&&b]+$", "&&") != null);
    }

    @Test
    void capitalZIsEndOfTextOnly() {
        assertTrue(find("abc\\Z", "abc") != null);
        assertNull(find("abc\\Z", "abc\n"));
        assertTrue(find("abc$", "abc\n") != null);
    }

    @Test
    void whitespaceClassIncludesPythonsInformationSeparators() {
        assertTrue(find("^a\\sb$", "a\u001fb") != null);
        assertTrue(find("^a\\sb$", "a\u3000b") != null);
        assertNull(find("^a\\Sb$", "a\u001cb"));
    }

    @Test
    void digitAndWordClassesAreUnicode() {
        assertTrue(find("^\\d+$", "١٢٣") != null);
        assertTrue(find("^\\w+$", "grüße_1") != null);
    }

    @Test
    void dotAndDollarSeeOnlyNewline() {
        assertTrue(find("^a.b$", "a\rb") != null);
        assertTrue(find("^a.b$", "a\u2028b") != null);
        assertNull(find("^a.b$", "a\nb"));
    }

    @Test
    void multilineCaretMatchesAfterAFinalNewline() {
        PyRegex r = PyRegex.compilePython("^$", true);
        Matcher m = r.unicodePattern().matcher("x\n");
        assertTrue(m.find());
        assertEquals(2, m.start());
    }

    @Test
    void inlineFlagsWork() {
        assertTrue(find("(?i)^ABC$", "abc") != null);
        assertTrue(find("^a(?i:B)c$", "abc") != null);
        assertNull(find("^a(?i:B)c$", "abC"));
        assertTrue(find("(?a)^\\w$", "x") != null);
    }

    @Test
    void invalidPythonIsRejected() {
        assertThrows(PatternSyntaxException.class, () -> PyRegex.compilePython("(?P<a>x)(?P<a>y)", false));
        assertThrows(PatternSyntaxException.class, () -> PyRegex.compilePython("(unclosed", false));
        assertThrows(PatternSyntaxException.class, () -> PyRegex.compilePython("\\q", false));
        assertThrows(PatternSyntaxException.class, () -> PyRegex.compile("   ", false, "warn"));
    }

    @Test
    void asciiAndUnicodeVariantsAgreeOnAsciiText() {
        String re = "^\\s*(?P<w>\\w+)\\s+\\d+\\S*$";
        PyRegex r = PyRegex.compilePython(re, false);
        for (String s : new String[] {"abc 12x", "  _a 9", "a\u001f1", "ab", "a 1 b"}) {
            assertEquals(r.unicodePattern().matcher(s).find(), r.asciiPattern().matcher(s).find(), s);
        }
    }

    @Test
    void anchoredRegexesAreRecognised() {
        assertTrue(PyRegex.anchoredAtStart("^abc(?:x|y)"));
        assertTrue(PyRegex.anchoredAtStart("(?i)^abc"));
        assertFalse(PyRegex.anchoredAtStart("^a|b"));
        assertFalse(PyRegex.anchoredAtStart("a^"));
        assertTrue(PyRegex.anchoredAtStart("^[|]x\\|y"));
    }
}
