package ips.config.ini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link TagSubstitution#findTag} finds exactly what fail2ban's TAG_CRE finds. */
class TagScanTest {
    private static final Pattern TAG_CRE = Pattern.compile("<([^ <>]+)>");

    private static int regex(String s, int from) {
        Matcher m = TAG_CRE.matcher(s);
        return m.find(from) ? m.start() : -1;
    }

    @Test
    void sameMatchesAsTheRegexOnRandomText() {
        Random r = new Random(42);
        String alphabet = "<<>> ab\n\t-?/\uD83D\uDE00";
        for (int n = 0; n < 200_000; n++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(24);
            for (int i = 0; i < len; i++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String s = b.toString();
            for (int from = 0; from <= s.length(); from++) {
                int want = regex(s, from);
                assertEquals(want, TagSubstitution.findTag(s, from), () -> "'" + s + "'");
                if (want >= 0) {
                    Matcher m = TAG_CRE.matcher(s);
                    m.find(from);
                    assertEquals(m.end(), s.indexOf('>', want) + 1, s);
                }
            }
        }
    }

    @Test
    void filterValues() {
        String v = "^%(__prefix_line)s(?:error: PAM: )?[aA]uthentication (?:failure|error|failed) for .* from <HOST>( via \\S+)?\\s*$"
                + " <F-USER>x</F-USER> < HOST> <> <<known/a>> <a b>";
        for (int from = 0; from <= v.length(); from++) {
            assertEquals(regex(v, from), TagSubstitution.findTag(v, from));
        }
    }
}
