package ips.config.ini;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import ips.config.ConfigException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reading any config text is total: it resolves, or fails with a ConfigException (which names the
 * place), never with an unchecked exception that would take a reload down.
 */
class ConfigTextFuzzTest {
    private static final List<DefinitionReader.Opt> OPTS = List.of(
            new DefinitionReader.Opt("prefregex", false), new DefinitionReader.Opt("failregex", false),
            new DefinitionReader.Opt("maxlines", true), new DefinitionReader.Opt("journalmatch", false));

    @FuzzTest
    void anyTextResolvesOrFailsWithAConfigException(FuzzedDataProvider data) {
        String spec = data.consumeString(40);
        String text = data.consumeRemainingAsString();
        try {
            IniConfig file = IniParser.parse("fuzz.conf", text);
            IniConfig cfg = new IniConfig(new HashMap<>(Map.of("fuzz.conf", file)));
            cfg.read(List.of("fuzz.conf"));
            OptionSyntax.Spec s = OptionSyntax.extract(spec.isEmpty() ? "x" : spec);
            DefinitionReader r = new DefinitionReader(cfg, OPTS, s.options());
            r.getOptions(Map.of(), true);
            r.getCombined(Set.of());
            for (String sec : cfg.sectionNames()) {
                for (String opt : cfg.options(sec, true)) {
                    try {
                        cfg.get(sec, opt, false, null);
                    } catch (IniConfig.Missing absent) {
                        // absent is an answer
                    }
                }
            }
            OptionSyntax.split(text);
        } catch (ConfigException | IniConfig.Missing expected) {
            // the contract: a typed error
        } catch (IllegalArgumentException badSpec) {
            // OptionSyntax.extract's documented error for a malformed name[...] spec
        }
    }
}
