package ips.config.ini;

import ips.config.ConfigException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * fail2ban's {@code DefinitionInitConfigReader}: a filter or action file whose [Definition] values
 * may be overridden by per-use parameters and by its [Init] section, combined with tag substitution.
 *
 * <p>Stateful in the same way: {@link #getOptions} records the [Init] values (and their
 * {@code known/} copies) into the init options, so calling it twice sees them as variables.
 */
public final class DefinitionReader {
    /** One declared option: name and default (null = none); {@code isInt} converts after substitution. */
    public record Opt(String name, boolean isInt) {}

    private final IniConfig cfg;
    private final List<Opt> configOpts;
    private final LinkedHashMap<String, String> initOpts;
    private Map<String, String> pOpts = new LinkedHashMap<>();
    private LinkedHashMap<String, String> opts = new LinkedHashMap<>();
    private final Map<String, String> defCache = new HashMap<>();
    private final Set<String> defCacheMissing = new HashSet<>();

    public DefinitionReader(IniConfig cfg, List<Opt> configOpts, Map<String, String> initOpts) {
        this.cfg = cfg;
        this.configOpts = configOpts;
        this.initOpts = new LinkedHashMap<>(initOpts == null ? Map.of() : initOpts);
    }

    public IniConfig config() {
        return cfg;
    }

    public Map<String, String> initOpts() {
        return initOpts;
    }

    /** {@code getOptions(pOpts, all)}. */
    public void getOptions(Map<String, String> given, boolean all) throws ConfigException {
        Map<String, String> p = given == null ? new LinkedHashMap<>() : given;
        if (!initOpts.isEmpty()) {
            LinkedHashMap<String, String> merged = new LinkedHashMap<>(p);
            merged.putAll(initOpts);
            p = merged;
        }
        opts = readDeclared("Definition", p);
        pOpts = p;
        defCache.clear();
        defCacheMissing.clear();
        if (cfg.hasSection("Init")) {
            List<String> names;
            try {
                names = cfg.options("Init", false);
            } catch (IniConfig.Missing impossible) {
                names = List.of();
            }
            for (String opt : names) {
                if (opt.equals("__name__")) {
                    continue;
                }
                String v = null;
                if (!opt.startsWith("known/")) {
                    v = getPlain("Init", opt);
                    initOpts.put("known/" + opt, v);
                }
                if (!initOpts.containsKey(opt)) {
                    if (v == null) {
                        v = getPlain("Init", opt);
                    }
                    initOpts.put(opt, v);
                }
            }
        }
        if (all && cfg.hasSection("Definition")) {
            List<String> names;
            try {
                names = cfg.options("Definition", false);
            } catch (IniConfig.Missing impossible) {
                names = List.of();
            }
            for (String opt : names) {
                if (opt.equals("__name__") || opts.containsKey(opt)) {
                    continue;
                }
                opts.put(opt, getPlain("Definition", opt));
            }
        }
    }

    private String getPlain(String section, String opt) throws ConfigException {
        try {
            return cfg.get(section, opt, false, null);
        } catch (IniConfig.Missing e) {
            return null;
        }
    }

    /** {@code ConfigReaderUnshared.getOptions(sec, options, pOptions, convert=False)}. */
    private LinkedHashMap<String, String> readDeclared(String sec, Map<String, String> p) throws ConfigException {
        LinkedHashMap<String, String> values = new LinkedHashMap<>();
        for (Opt o : configOpts) {
            if (p.containsKey(o.name())) {
                continue;
            }
            try {
                values.put(o.name(), cfg.get(sec, o.name(), false, p));
            } catch (IniConfig.Missing e) {
                if (e.section) {
                    values.put(o.name(), null);
                }
            }
        }
        return values;
    }

    /** {@code getCombOption}: a [Definition] value seen through the per-use parameters, or null. */
    String combOption(String name) throws ConfigException {
        if (defCache.containsKey(name)) {
            return defCache.get(name);
        }
        if (defCacheMissing.contains(name)) {
            return null;
        }
        String v;
        try {
            v = cfg.getEx("Definition", name, pOpts);
        } catch (IniConfig.Missing e) {
            v = null;
        }
        if (v == null) {
            defCacheMissing.add(name);
        } else {
            defCache.put(name, v);
        }
        return v;
    }

    /** {@code getCombined()}: [Definition] merged with init options, tags substituted. */
    public LinkedHashMap<String, String> getCombined(Set<String> ignoreGiven) throws ConfigException {
        return getCombined(ignoreGiven, "");
    }

    public LinkedHashMap<String, String> getCombined(Set<String> ignoreGiven, String conditional) throws ConfigException {
        LinkedHashMap<String, String> combined = new LinkedHashMap<>(opts);
        combined.putAll(initOpts);
        if (combined.isEmpty()) {
            return combined;
        }
        Set<String> ignore = new HashSet<>(ignoreGiven);
        for (String n : combined.keySet()) {
            Matcher c = IniConfig.CONDITIONAL.matcher(n);
            if (c.matches()) {
                ignore.add(c.group(1));
            }
        }
        LinkedHashMap<String, String> out;
        try {
            out = TagSubstitution.substitute(combined, conditional, ignore, this::combOption);
        } catch (ConfigException e) {
            throw placed(e);
        }
        if (out.isEmpty()) {
            throw new ConfigException("recursive tag definitions unable to be resolved");
        }
        return out;
    }

    /**
     * {@code getCombined()} of only the options in {@code only} (those present): each comes out as
     * the full substitution gives it, since a tag is replaced by the other option's value and the
     * result is substituted further, but the options nobody asked for are not substituted. An
     * action's commands (actionstart, actioncheck, ...) are long and tag-heavy; reading what it
     * enforces needs a few short ones.
     */
    public LinkedHashMap<String, String> getCombined(Set<String> ignoreGiven, List<String> only) throws ConfigException {
        LinkedHashMap<String, String> combined = new LinkedHashMap<>(opts);
        combined.putAll(initOpts);
        Set<String> ignore = new HashSet<>(ignoreGiven);
        for (String n : combined.keySet()) {
            Matcher c = IniConfig.CONDITIONAL.matcher(n);
            if (c.matches()) {
                ignore.add(c.group(1));
            }
        }
        LinkedHashMap<String, String> wanted = new LinkedHashMap<>();
        for (String n : only) {
            if (combined.containsKey(n)) {
                wanted.put(n, combined.get(n));
            }
        }
        if (wanted.isEmpty()) {
            return wanted;
        }
        TagSubstitution.Fallback others = tag -> {
            String v = combined.get(tag);
            return v != null ? v : combOption(tag);
        };
        try {
            return TagSubstitution.substitute(wanted, "", ignore, others);
        } catch (ConfigException e) {
            throw placed(e);
        }
    }

    /** A substitution error given the file and line of the option it names, when known. */
    private ConfigException placed(ConfigException e) {
        if (e.file() != null || e.key() == null) {
            return e;
        }
        Origin o = cfg.origin("Definition", e.key());
        if (o == null) {
            o = cfg.origin("Init", e.key());
        }
        if (o == null) {
            return e;
        }
        String msg = e.getMessage().substring(("key '" + e.key() + "': ").length());
        return new ConfigException(o.file(), o.line(), e.key(), msg);
    }

    /** Whether [Definition] itself (not [DEFAULT]) sets {@code opt}. */
    public boolean definesOwn(String section, String opt) {
        Map<String, String> s = cfg.sections().get(section);
        return s != null && s.containsKey(opt);
    }

    /** Python int() of a combined value, or null (missing or not a number, as convertOptions falls back). */
    public static Integer toInt(String v) {
        if (v == null) {
            return null;
        }
        Long l = PyText.parseInt(v);
        if (l == null || l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
            return null;
        }
        return l.intValue();
    }
}
