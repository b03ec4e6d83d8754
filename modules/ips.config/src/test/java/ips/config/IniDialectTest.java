package ips.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** fail2ban's INI dialect on small synthetic filter trees. */
class IniDialectTest extends ConfigTreeFixture {
    private FilterDefinition load(String spec) throws ConfigException {
        return FilterLoader.load(dir, spec, Map.of());
    }

    @Test
    void semicolonAfterWhitespaceStartsACommentButHashAndGluedSemicolonDoNot() throws Exception {
        write("filter.d/x.conf", """
                [Definition]
                failregex = ^a <HOST> ; trailing comment
                            ^b;c <HOST> # not a comment
                datepattern = x;y
                """);
        FilterDefinition f = load("x");
        assertEquals(List.of("^a <HOST>", "^b;c <HOST> # not a comment"), f.failregex());
        assertEquals("x;y", f.datepattern());
    }

    @Test
    void continuationLinesSkipBlankAndCommentLinesAndStripIndentation() throws Exception {
        write("filter.d/x.conf", "[Definition]\nfailregex = one\n\n   # a comment line\n\ttwo\n\n\nignoreregex =\nmaxlines = 4\n");
        FilterDefinition f = load("x");
        assertEquals(List.of("one", "two"), f.failregex());
        assertEquals(List.of(), f.ignoreregex());
        assertEquals(4, f.maxlines());
        assertNull(f.prefregex());
    }

    @Test
    void localOverridesConfAndKnownGivesTheValueBeforeTheOverride() throws Exception {
        write("filter.d/x.conf", "[Definition]\nfailregex = ^conf <HOST>$\n");
        write("filter.d/x.local", "[Definition]\nfailregex = %(known/failregex)s\n            ^local <HOST>$\n");
        assertEquals(List.of("^conf <HOST>$", "^local <HOST>$"), load("x").failregex());
    }

    @Test
    void dotDDirectoryIsReadAfterConfAndItsLocalsAfterLocal() throws Exception {
        write("filter.d/x.conf", "[Definition]\nfailregex = conf\ndatepattern = conf\n");
        write("filter.d/x.d/b.conf", "[Definition]\nfailregex = d-conf\n");
        write("filter.d/x.local", "[Definition]\nfailregex = %(known/failregex)s local\ndatepattern = local\n");
        write("filter.d/x.d/a.local", "[Definition]\ndatepattern = %(known/datepattern)s d-local\n");
        FilterDefinition f = load("x");
        assertEquals(List.of("d-conf local"), f.failregex());
        assertEquals("local d-local", f.datepattern());
    }

    @Test
    void knownChainedThroughThreeFilesHitsTheInterpolationDepthLimitAsInFail2ban() throws Exception {
        // fail2ban keeps one KNOWN value per option, so a second %(known/x)s refers to itself
        write("filter.d/x.conf", "[Definition]\nfailregex = conf\n");
        write("filter.d/x.d/b.conf", "[Definition]\nfailregex = %(known/failregex)s d-conf\n");
        write("filter.d/x.local", "[Definition]\nfailregex = %(known/failregex)s local\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load("x"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("recursion"), e.getMessage());
    }

    @Test
    void includesBeforeAndAfterResolveRelativeToTheIncludingFileAndAbsolute() throws Exception {
        write("filter.d/common.conf", "[DEFAULT]\n_daemon = \\S*\n__prefix_line = <_daemon>:\\s+\n");
        write("shared/after.conf", "[Definition]\nignoreregex = ^after$\n");
        write("filter.d/x.conf", "[INCLUDES]\nbefore = common.conf\nafter = " + dir.resolve("shared/after.conf")
                + "\n[Definition]\n_daemon = myd\nfailregex = ^%(__prefix_line)sfail <HOST>$\nignoreregex = ^own$\n");
        FilterDefinition f = load("x");
        assertEquals(List.of("^myd:\\s+fail <HOST>$"), f.failregex());
        assertEquals(List.of("^after$"), f.ignoreregex(), "the after-include is read last and wins");
    }

    @Test
    void filterParametersOverrideInitAndSelectTagsByMode() throws Exception {
        write("filter.d/x.conf", """
                [Definition]
                mdre-normal = ^normal <HOST>$
                mdre-aggressive = %(mdre-normal)s
                                  ^aggressive <HOST>$
                failregex = <mdre-<mode>>
                            ^<F-USER>\\S+</F-USER> from <HOST> <SKIPLINES> <ADDR>
                [Init]
                mode = normal
                maxlines = 2
                """);
        assertEquals(List.of("^normal <HOST>$", "^<F-USER>\\S+</F-USER> from <HOST> <SKIPLINES> <ADDR>"),
                load("x").failregex());
        FilterDefinition aggressive = load("x[mode=aggressive]");
        assertEquals(List.of("^normal <HOST>$", "^aggressive <HOST>$",
                "^<F-USER>\\S+</F-USER> from <HOST> <SKIPLINES> <ADDR>"), aggressive.failregex());
        assertEquals("aggressive", aggressive.options().get("mode"));
        assertEquals("normal", aggressive.options().get("known/mode"));
        assertEquals(2, aggressive.maxlines(), "[Init] maxlines is an init option like any other");
        assertEquals(List.of("^normal <HOST>$", "^aggressive <HOST>$",
                "^<F-USER>\\S+</F-USER> from <HOST> <SKIPLINES> <ADDR>"),
                FilterLoader.load(dir, "x", Map.of("mode", "aggressive")).failregex());
    }

    @Test
    void quotedParameterValuesMayHoldCommasAndBrackets() throws Exception {
        write("filter.d/x.conf", "[Definition]\nfailregex = <a>|<b>\n[Init]\na = 1\nb = 2\n");
        assertEquals(List.of("x, y|[z]"), load("x[a=\"x, y\", b='[z]']").failregex());
    }

    @Test
    void doublePercentIsALiteralPercent() throws Exception {
        write("filter.d/x.conf", "[Definition]\ndatepattern = ^%%Y-%%m-%%d\nfailregex = 100%% <HOST>\n");
        FilterDefinition f = load("x");
        assertEquals("^%Y-%m-%d", f.datepattern());
        assertEquals(List.of("100% <HOST>"), f.failregex());
    }

    @Test
    void journalmatchLinesSplitLikeShlex() throws Exception {
        write("filter.d/x.conf", "[Definition]\nfailregex = x\njournalmatch = _SYSTEMD_UNIT=a.service + _COMM=a\n"
                + "               \"MESSAGE=two words\"\n");
        assertEquals(List.of(List.of("_SYSTEMD_UNIT=a.service", "+", "_COMM=a"), List.of("MESSAGE=two words")),
                load("x").journalMatchGroups());
    }

    @Test
    void missingInterpolationNamesFileLineAndKey() throws Exception {
        write("filter.d/x.conf", "[Definition]\n\nfailregex = %(nowhere)s <HOST>\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load("x"));
        assertEquals(dir.resolve("filter.d/x.conf").toString(), e.file());
        assertEquals(3, e.line());
        assertEquals("failregex", e.key());
        assertTrue(e.getMessage().startsWith(dir.resolve("filter.d/x.conf") + ":3: key 'failregex': "), e.getMessage());
    }

    @Test
    void loneUnescapedPercentIsAnError() throws Exception {
        write("filter.d/x.conf", "[Definition]\nfailregex = 100% <HOST>\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load("x"));
        assertEquals(2, e.line());
    }

    @Test
    void duplicateOptionInOneFileIsAnErrorAtItsLine() throws Exception {
        write("filter.d/x.conf", "[Definition]\nfailregex = a\nFailRegex = b\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load("x"));
        assertEquals(3, e.line());
        assertEquals("failregex", e.key());
    }

    @Test
    void duplicateSectionInOneFileIsAnError() throws Exception {
        write("filter.d/x.conf", "[Definition]\nfailregex = a\n[Definition]\nignoreregex = b\n");
        assertEquals(3, assertThrows(ConfigException.class, () -> load("x")).line());
    }

    @Test
    void textBeforeAnySectionIsAnError() throws Exception {
        write("filter.d/x.conf", "# comment\nfailregex = a\n");
        assertEquals(2, assertThrows(ConfigException.class, () -> load("x")).line());
    }

    @Test
    void lineWithoutDelimiterIsAnError() throws Exception {
        write("filter.d/x.conf", "[Definition]\nfailregex = a\njunk\n");
        assertEquals(3, assertThrows(ConfigException.class, () -> load("x")).line());
    }

    @Test
    void selfReferencingTagIsAnErrorAtTheTagsLine() throws Exception {
        write("filter.d/x.conf", "[Definition]\nfailregex = <a>\na = <b>\nb = <a>\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load("x"));
        assertEquals(dir.resolve("filter.d/x.conf").toString(), e.file());
        assertTrue(e.line() >= 2 && e.line() <= 4, e.getMessage());
    }

    @Test
    void missingFilterIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("nothere"));
        assertTrue(e.getMessage().contains("nothere"), e.getMessage());
    }

    @Test
    void loadFileOutsideFilterDirReadsThatFileWithItsLocalAndIncludes() throws Exception {
        write("elsewhere/inc.conf", "[DEFAULT]\nword = included\n");
        write("elsewhere/mine.conf", "[INCLUDES]\nbefore = inc.conf\n[Definition]\nfailregex = %(word)s <HOST>\n");
        write("elsewhere/mine.local", "[Definition]\nignoreregex = local\n");
        FilterDefinition f = FilterLoader.loadFile(dir.resolve("elsewhere/mine.conf"), Map.of());
        assertEquals("mine", f.name());
        assertEquals(List.of("included <HOST>"), f.failregex());
        assertEquals(List.of("local"), f.ignoreregex());
    }

    @Test
    void loadFileInsideFilterDirLoadsByName() throws Exception {
        write("filter.d/y.conf", "[Definition]\nfailregex = conf\n");
        write("filter.d/y.local", "[Definition]\nfailregex = local\n");
        assertEquals(List.of("local"), FilterLoader.loadFile(dir.resolve("filter.d/y.conf"), null).failregex());
    }

    @Test
    void sectionOptionReferencesReadOtherSections() throws Exception {
        write("filter.d/x.conf", "[other]\nv = other\n[DEFAULT]\nd = dflt\n[Definition]\n"
                + "failregex = %(other/v)s %(default/d)s %(__name__)s\n");
        assertEquals(List.of("other dflt Definition"), load("x").failregex());
    }

    @Test
    void sectionReferenceWithUpperCaseSectionFailsAsInFail2ban() throws Exception {
        // configparser lower-cases the key it looks up but not the one fail2ban maps: no match
        write("filter.d/x.conf", "[Other]\nv = other\n[Definition]\nfailregex = %(Other/v)s\n");
        assertEquals(4, assertThrows(ConfigException.class, () -> load("x")).line());
    }
}
