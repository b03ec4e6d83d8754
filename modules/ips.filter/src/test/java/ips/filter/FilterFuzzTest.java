package ips.filter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import ips.api.LogLine;
import ips.filter.regex.PyRegex;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * The regex translator is total (a Python regex compiles or fails with {@link
 * PatternSyntaxException}, never anything else) and the matcher never throws on any line, and
 * every id it reports is text of that line.
 */
class FilterFuzzTest {
    private static final CompiledFilter FILTER;

    static {
        try {
            FILTER = CompiledFilter.compile("fuzz", "^(?:\\S+ )?<F-MLFID>\\w+\\[\\d+\\]</F-MLFID>: <F-CONTENT>.+</F-CONTENT>$",
                    List.of("^Failed (?:<F-NOFAIL>publickey</F-NOFAIL>|\\S+) for (?P<cond_inv>invalid user )?<F-USER>"
                            + "(?P<cond_user>\\S+)|(?(cond_inv)(?:(?! from ).)*?|[^:]+)</F-USER> from <HOST>(?: port \\d+)?(?(cond_user): |$)",
                            "^<F-MLFFORGET><F-MLFGAINED>Accepted \\w+</F-MLFGAINED></F-MLFFORGET> for <F-USER>\\S+</F-USER> from <HOST>",
                            "^user <F-ALT_USER1>\\S+</F-ALT_USER1> id <F-ID/> from <SUBNET>"),
                    List.of("ignored"), 2, "warn");
        } catch (FilterException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyPythonRegexCompilesOrFailsWithPatternSyntaxException(FuzzedDataProvider data) {
        boolean multi = data.consumeBoolean();
        String text = data.consumeString(200);
        String regex = data.consumeRemainingAsString();
        PyRegex r;
        try {
            r = PyRegex.compile(regex, multi, "warn");
        } catch (PatternSyntaxException e) {
            return;
        }
        try {
            r.unicodePattern().matcher(text).find();
            r.asciiPattern().matcher(text).find();
        } catch (StackOverflowError e) {
            // deep recursion on hostile patterns is caught by the matcher's search, not here
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyLineIsProcessedAndIdsComeFromTheLine(FuzzedDataProvider data) {
        FilterMatcher m = FILTER.newMatcher(LineDater.NONE, () -> 0L, data.consumeBoolean());
        m.lineBudget(200_000);
        while (data.remainingBytes() > 0) {
            String line = data.consumeString(400);
            m.process(line, LogLine.UNKNOWN_TIME, (n, f) -> {
                if (f.fid() != null && f.address() == null) {
                    assertTrue(line.contains(f.fid()) || f.fid().contains("/"), f.fid());
                }
            });
        }
    }
}
