package ips.filter.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** fail2ban's tag expansion (failregex.py _resolveHostTag), string for string. */
class FailTagsTest {

    @Test
    void hostExpandsToFail2bansThreeGroups() {
        assertEquals("(?:\\[?(?:(?:::f{4,6}:)?(?P<ip4>(?:\\d{1,3}\\.){3}\\d{1,3})|(?P<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}"
                + "(?:[0-9a-fA-F]{1,4}|(?<=:):)))\\]?|(?P<dns>[\\w\\-.^_]*\\w))", FailTags.expand("<HOST>", "warn"));
        assertEquals(FailTags.R_ADDR, FailTags.expand("<HOST>", "no"));
    }

    @Test
    void customTagsOpenAndCloseNamedGroups() {
        assertEquals("(?P<user>.*) (?P<alt_user1>x) (?P<fid>\\S+) (?P<fport>\\w+)",
                FailTags.expand("<F-USER>.*</F-USER> <F-ALT_USER1>x</F-ALT_USER1> <F-ID/> <F-PORT/>", "warn"));
        assertEquals("(?P<fid>a)", FailTags.expand("<F-ID>a</F-ID>", "warn"));
    }

    @Test
    void closingTagThatWasNeverOpenedStaysLiteral() {
        assertEquals("x</F-USER>", FailTags.expand("x</F-USER>", "warn"));
        assertEquals("<UNKNOWN> <f-user>", FailTags.expand("<UNKNOWN> <f-user>", "warn"));
    }

    @Test
    void skipLinesAreNumbered() {
        assertEquals("a\\n(?P<skiplines0>(?:(?:.*\\n)*?))b\\n(?P<skiplines1>(?:(?:.*\\n)*?))c",
                FailTags.expand("a<SKIPLINES>b<SKIPLINES>c", "warn"));
    }

    @Test
    void globalFlagsInsideAGroupBecomeLocal() {
        assertEquals("a(?i:b)", FailTags.globalToLocalFlags("a((?i)b)"));
        assertEquals("a(?i:b)", FailTags.globalToLocalFlags("a(?:(?i)b)"));
        assertEquals("a\\((?i)b)", FailTags.globalToLocalFlags("a\\((?i)b)"));
    }

    @Test
    void requiredLiteralsAreFoundInEveryMatch() {
        assertEquals(List.of("Failed "), RequiredLiterals.of("^Failed (?:a|\\S+) for", 3));
        List<String> l = RequiredLiterals.of("^[iI](?:llegal|nvalid) user (?P<user>.*?) from", 3);
        assertTrue(l.contains("llegal user ") && l.contains("nvalid user "), l::toString);
        assertEquals(null, RequiredLiterals.of("(?i)^failed", 3));
        assertEquals(null, RequiredLiterals.of("^(?:a|bc)x?", 3));
        assertEquals(List.of("Disconnected from", "Disconnected by"),
                RequiredLiterals.of("^(?P<x>Disconnected) (?:from|by)", 3).stream().sorted(
                        java.util.Comparator.reverseOrder()).toList());
    }

    @Test
    void everyTopLevelRequirementIsKeptBestFirst() {
        List<List<String>> all = RequiredLiterals.allOf(
                "^Received (?P<mlfforget>disconnect) from (?P<host>\\S+)(?: port \\d+)?:\\s*3: .*: Auth fail(?: \\[preauth\\])?\\s*$", 3);
        assertEquals(List.of("Received disconnect from "), all.get(0));
        assertTrue(all.contains(List.of(": Auth fail")), all::toString);
        assertTrue(all.contains(List.of("3: ")), all::toString);
        assertEquals(all.get(1), List.of(": Auth fail"), "longest next");
        // optional parts, lookarounds and group contents under a quantifier are no requirement
        List<List<String>> opt = RequiredLiterals.allOf("^Failed (?:for )?(?! from )(?:abcd)* (?:x|y)+ from end", 3);
        assertEquals(List.of(List.of(" from end"), List.of("Failed ")), opt);
        // a top-level alternation: only the union of its branches is required
        assertEquals(List.of(List.of("alpha x", "beta y")), RequiredLiterals.allOf("alpha x|beta y", 3));
        assertEquals(null, RequiredLiterals.allOf("(?i)^failed for", 3));
    }
}
