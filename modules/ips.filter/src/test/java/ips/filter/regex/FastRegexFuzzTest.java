package ips.filter.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any Python regex the translator accepts and {@link FastRegex} compiles finds, on any ASCII
 * text, what {@code java.util.regex} finds, with the same groups (or one of them runs out of its
 * budget or stack, which production hands to {@code java.util.regex}).
 */
class FastRegexFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void fastEngineFindsWhatJavaUtilRegexFinds(FuzzedDataProvider data) {
        boolean multi = data.consumeBoolean();
        boolean anchored = data.consumeBoolean();
        String raw = data.consumeString(120);
        String regex = data.consumeRemainingAsString();
        StringBuilder ascii = new StringBuilder();
        raw.chars().forEach(c -> ascii.append((char) (c & 0x7f)));
        PyRegex r;
        try {
            r = PyRegex.compilePython(regex, multi);
        } catch (IllegalArgumentException e) { // PatternSyntaxException included
            return;
        }
        FastRegex f = FastRegex.compile(r.asciiPattern().pattern(), r.asciiPattern().flags());
        if (f == null) {
            return;
        }
        RegexMatcher fm = f.matcher();
        RegexMatcher jm = RegexMatcher.jdk(r.asciiPattern());
        boolean j;
        boolean fr;
        try {
            j = jm.search(text(ascii), anchored);
            fr = fm.search(text(ascii), anchored);
        } catch (BudgetedText.BudgetExceeded | StackOverflowError e) {
            return;
        }
        String where = "/" + r.asciiPattern().pattern() + "/ on \"" + ascii + "\"";
        assertEquals(j, fr, where);
        if (j) {
            for (int g = 0; g <= jm.groupCount(); g++) {
                assertEquals(jm.start(g) + ".." + jm.end(g), fm.start(g) + ".." + fm.end(g), where + " group " + g);
            }
        }
    }

    private static BudgetedText text(CharSequence s) {
        BudgetedText t = new BudgetedText().clear().append(s);
        t.budget(200_000);
        return t;
    }
}
