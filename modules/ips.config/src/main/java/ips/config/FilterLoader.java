package ips.config;

import ips.config.ini.ConfigFiles;
import ips.config.ini.DefinitionReader;
import ips.config.ini.IniConfig;
import ips.config.ini.OptionSyntax;
import ips.config.ini.PyPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a filter as fail2ban's {@code FilterReader} does ({@code filter.d/NAME.conf}, {@code .local},
 * {@code NAME.d/}, includes, [Init], parameters, tags).
 */
public final class FilterLoader {
    /** FilterReader._configOpts, in fail2ban's order. */
    static final List<DefinitionReader.Opt> OPTS = List.of(
            new DefinitionReader.Opt("usedns", false),
            new DefinitionReader.Opt("prefregex", false),
            new DefinitionReader.Opt("ignoreregex", false),
            new DefinitionReader.Opt("failregex", false),
            new DefinitionReader.Opt("maxlines", true),
            new DefinitionReader.Opt("datepattern", false),
            new DefinitionReader.Opt("journalmatch", false));

    private FilterLoader() {}

    /**
     * Loads {@code filter.d/<name>} under {@code configDir}.
     *
     * @param filterSpec   "sshd" or "sshd[mode=aggressive, ...]"
     * @param extraOptions init options that override the spec's and the file's [Init] (may be null)
     */
    public static FilterDefinition load(Path configDir, String filterSpec, Map<String, String> extraOptions)
            throws ConfigException {
        return load(configDir, filterSpec, extraOptions, null);
    }

    /**
     * {@link #load(Path, String, Map)} for a log read by {@code backend} ("systemd" for the journal,
     * else a file's), as fail2ban's {@code FilterReader.applyAutoOptions} sets it up: unless the
     * filter's options or its {@code [Definition]} name a {@code logtype}, it is {@code journal} for
     * the journal and {@code file} otherwise (common.conf's journal prefix and datepattern follow).
     * {@code backend} null: no such option (fail2ban's sample tests).
     */
    public static FilterDefinition load(Path configDir, String filterSpec, Map<String, String> extraOptions, String backend)
            throws ConfigException {
        OptionSyntax.Spec spec = parseSpec(filterSpec);
        LinkedHashMap<String, String> init = new LinkedHashMap<>(spec.options());
        if (extraOptions != null) {
            init.putAll(extraOptions);
        }
        String name = spec.name();
        IniConfig cfg = new IniConfig(new HashMap<>());
        ConfigFiles.read(cfg, configDir.toString(), PyPath.join("filter.d", name));
        return resolve(name, cfg, init, backend);
    }

    /**
     * Loads one filter file as {@code fail2ban-regex LOG /path/to/filter.conf} does: a file inside a
     * {@code filter.d} directory loads by name from that tree (with .local etc.); any other file is
     * read with its own .local and includes only.
     */
    public static FilterDefinition loadFile(Path filterConf, Map<String, String> extraOptions) throws ConfigException {
        return loadFile(filterConf, extraOptions, null);
    }

    /** {@link #loadFile(Path, Map)} for a log read by {@code backend}, as {@link #load(Path, String, Map, String)}. */
    public static FilterDefinition loadFile(Path filterConf, Map<String, String> extraOptions, String backend)
            throws ConfigException {
        Path abs = filterConf.toAbsolutePath().normalize();
        String file = abs.toString();
        String dir = PyPath.dirname(file);
        String base = PyPath.basename(file);
        String name = PyPath.stripExt(base);
        if (PyPath.basename(dir).equals("filter.d") && (base.endsWith(".conf") || base.endsWith(".local"))) {
            return load(Path.of(PyPath.dirname(dir)), name, extraOptions, backend);
        }
        if (!PyPath.isFile(file)) {
            throw new ConfigException(file, 0, null, "filter file not found");
        }
        IniConfig cfg = new IniConfig(new HashMap<>());
        if (cfg.read(new ArrayList<>(List.of(file))).isEmpty()) {
            throw new ConfigException(file, 0, null, "could not read filter file");
        }
        return resolve(name, cfg, extraOptions == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extraOptions), backend);
    }

    /** A filter's name and its per-use parameters, as in {@code sshd[mode=aggressive]}. */
    public record Spec(String name, Map<String, String> options) {
        public Spec {
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }
    }

    /** fail2ban's {@code extractOptions} of a filter spec ({@code name[key=value, ...]}). */
    public static Spec spec(String filterSpec) throws ConfigException {
        OptionSyntax.Spec s = parseSpec(filterSpec);
        return new Spec(s.name(), s.options());
    }

    static OptionSyntax.Spec parseSpec(String filterSpec) throws ConfigException {
        try {
            return OptionSyntax.extract(filterSpec);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(null, 0, "filter", "invalid filter definition '" + filterSpec + "': " + e.getMessage());
        }
    }

    /**
     * Resolves a read filter config. One pass with all [Definition] options (as a jail reads its
     * filter) gives both the regex fields and the options map; the reference test shows it equals
     * fail2ban-regex's narrower pass on every stock filter. Should a [Definition] option the narrow
     * pass never reads fail to resolve, the narrow pass decides, as it does in fail2ban-regex.
     */
    static FilterDefinition resolve(String name, IniConfig cfg, Map<String, String> init) throws ConfigException {
        return resolve(name, cfg, init, null);
    }

    static FilterDefinition resolve(String name, IniConfig cfg, Map<String, String> init, String backend)
            throws ConfigException {
        if (backend != null) {
            // FilterReader.applyAutoOptions(backend), as JailsLoader applies it to a jail's filter
            String logtype = init.get("logtype");
            if ((logtype == null || logtype.isEmpty()) && !new DefinitionReader(cfg, OPTS, init).definesOwn("Definition", "logtype")) {
                init = new LinkedHashMap<>(init);
                init.put("logtype", backend.startsWith("systemd") ? "journal" : "file");
            }
        }
        LinkedHashMap<String, String> options;
        try {
            DefinitionReader all = new DefinitionReader(cfg, OPTS, init);
            all.getOptions(new LinkedHashMap<>(), true);
            options = all.getCombined(Set.of());
        } catch (ConfigException unusedOptionBroken) {
            DefinitionReader narrow = new DefinitionReader(cfg, OPTS, init);
            narrow.getOptions(new LinkedHashMap<>(), false);
            options = narrow.getCombined(Set.of());
        }
        LinkedHashMap<String, String> combined = new LinkedHashMap<>(options);
        options.replaceAll((k, v) -> v == null ? "" : v);
        return toDefinition(name, combined, options);
    }

    static FilterDefinition toDefinition(String name, Map<String, String> combined, Map<String, String> options)
            throws ConfigException {
        checkJournalMatch(name, combined.get("journalmatch"));
        String pref = combined.get("prefregex");
        if (pref != null && pref.isEmpty()) {
            pref = null;
        }
        Integer maxlines = DefinitionReader.toInt(combined.get("maxlines"));
        return new FilterDefinition(name, pref, lines(combined.get("failregex")), lines(combined.get("ignoreregex")),
                combined.get("datepattern"), maxlines == null ? 1 : maxlines, lines(combined.get("journalmatch")),
                options);
    }

    /** fail2ban splits each journalmatch line with shlex when it builds its commands; so do we, early. */
    static void checkJournalMatch(String where, String value) throws ConfigException {
        for (String line : lines(value)) {
            try {
                Shlex.split(line);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(null, 0, "journalmatch", where + ": " + e.getMessage() + " in '" + line + "'");
            }
        }
    }

    /** fail2ban's split of multi-line values: on '\n', dropping empty strings only. */
    static List<String> lines(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String s : value.split("\n", -1)) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
