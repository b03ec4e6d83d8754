package ips.config.ini;

import ips.config.ConfigException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fail2ban's {@code SafeConfigParserWithIncludes}: sections and [DEFAULT] merged from a list of
 * files and their {@code [INCLUDES] before/after}, with {@code KNOWN/<section>} keeping the value
 * each option had before a later file overrode it, and {@code %(name)s} interpolation extended with
 * {@code %(section/name)s}, {@code %(known/name)s} and {@code %(__name__)s}.
 */
public final class IniConfig {
    public static final String DEFAULT = "DEFAULT";
    static final String INCLUDES = "INCLUDES";
    /** configparser.MAX_INTERPOLATION_DEPTH. */
    private static final int MAX_INTERPOLATION_DEPTH = 10;
    /** SafeConfigParserWithIncludes.CONDITIONAL_RE. */
    public static final Pattern CONDITIONAL = Pattern.compile("^(\\w+)(\\?.+)$",
            Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);
    /** SECTION_OPTNAME_CRE. */
    private static final Pattern SECTION_OPTNAME = Pattern.compile("^([\\w\\-]+)/([^\\s>]+)$",
            Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);
    /** SECTION_OPTSUBST_CRE. */
    private static final Pattern SECTION_OPTSUBST = Pattern.compile("%\\(([\\w\\-]+/([^)]+))\\)s",
            Pattern.UNICODE_CHARACTER_CLASS);
    /** BasicInterpolation._KEYCRE. */
    private static final Pattern KEYCRE = Pattern.compile("%\\(([^)]+)\\)s", Pattern.DOTALL);

    /** Thrown (without stack) when a section or option is absent: NoSectionError / NoOptionError. */
    public static final class Missing extends Exception {
        private static final long serialVersionUID = 1L;
        public final boolean section;

        Missing(boolean section) {
            super(section ? "no section" : "no option", null, false, false);
            this.section = section;
        }
    }

    private static final Missing NO_SECTION = new Missing(true);
    private static final Missing NO_OPTION = new Missing(false);

    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    private final Map<String, Map<String, Origin>> origins = new HashMap<>();
    /** Per-load cache of single parsed files (fail2ban's share_config "inc:" entries). */
    private final Map<String, IniConfig> fileCache;

    IniConfig() {
        this(new HashMap<>());
    }

    public IniConfig(Map<String, IniConfig> fileCache) {
        this.fileCache = fileCache;
    }

    public Map<String, String> defaults() {
        return defaults;
    }

    public Map<String, Map<String, String>> sections() {
        return sections;
    }

    Map<String, Origin> originsOf(String section) {
        return origins.computeIfAbsent(section, k -> new HashMap<>());
    }

    /** Where option {@code key} of {@code section} (or of [DEFAULT]) was written, or null. */
    public Origin origin(String section, String key) {
        Map<String, Origin> m = origins.get(section);
        Origin o = m == null ? null : m.get(key);
        if (o == null && !DEFAULT.equals(section)) {
            m = origins.get(DEFAULT);
            o = m == null ? null : m.get(key);
        }
        return o;
    }

    public boolean hasSection(String s) {
        return sections.containsKey(s);
    }

    /** Section names in order (including KNOWN/ ones). */
    public List<String> sectionNames() {
        return new ArrayList<>(sections.keySet());
    }

    /** {@code options(section, withDefault)}: own names in order, or own plus [DEFAULT]. */
    public List<String> options(String section, boolean withDefault) throws Missing {
        Map<String, String> s = sections.get(section);
        if (s == null) {
            throw NO_SECTION;
        }
        if (!withDefault) {
            return new ArrayList<>(s.keySet());
        }
        Set<String> all = new LinkedHashSet<>(s.keySet());
        all.addAll(defaults.keySet());
        return new ArrayList<>(all);
    }

    /** {@code has_option(section, option)} of configparser (DEFAULT counts). */
    public boolean hasOption(String section, String option) {
        option = PyText.lower(option);
        if (section == null || section.isEmpty() || DEFAULT.equals(section)) {
            return defaults.containsKey(option);
        }
        Map<String, String> s = sections.get(section);
        return s != null && (s.containsKey(option) || defaults.containsKey(option));
    }

    // ---------------------------------------------------------------- reading

    /** Reads one file alone (no includes); null when it cannot be opened (Python skips OSError). */
    IniConfig parseFile(String file) throws ConfigException {
        if (fileCache.containsKey(file)) {
            return fileCache.get(file);
        }
        IniConfig cfg = null;
        Path p = Path.of(file);
        if (Files.isRegularFile(p) && Files.isReadable(p)) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(p);
            } catch (IOException unreadable) {
                bytes = null;
            }
            if (bytes != null) {
                String text;
                try {
                    text = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException e) {
                    throw new ConfigException(file, 0, null, "not valid UTF-8");
                }
                cfg = IniParser.parse(file, text);
            }
        }
        fileCache.put(file, cfg);
        return cfg;
    }

    /**
     * {@code read(filenames, get_includes=True)}: expands each file with its .local and its includes,
     * then merges them in order. Returns the files actually read.
     */
    public List<String> read(List<String> filenames) throws ConfigException {
        List<String> full = includes(filenames, List.of());
        List<String> ret = new ArrayList<>();
        for (String f : full) {
            IniConfig cfg = parseFile(f);
            if (cfg == null) {
                continue;
            }
            ret.add(f);
            defaults.putAll(cfg.defaults);
            Map<String, Origin> dOrig = cfg.origins.get(DEFAULT);
            if (dOrig != null) {
                originsOf(DEFAULT).putAll(dOrig);
            }
            for (Map.Entry<String, Map<String, String>> e : cfg.sections.entrySet()) {
                String n = e.getKey();
                Map<String, String> s = e.getValue();
                Map<String, Origin> so = cfg.origins.getOrDefault(n, Map.of());
                Matcher cond = CONDITIONAL.matcher(n);
                if (cond.matches()) {
                    n = cond.group(1);
                    String suffix = cond.group(2);
                    Map<String, String> renamed = new LinkedHashMap<>();
                    Map<String, Origin> ro = new HashMap<>();
                    for (Map.Entry<String, String> kv : s.entrySet()) {
                        renamed.put(kv.getKey() + suffix, kv.getValue());
                        Origin o = so.get(kv.getKey());
                        if (o != null) {
                            ro.put(kv.getKey() + suffix, o);
                        }
                    }
                    s = renamed;
                    so = ro;
                }
                Map<String, String> s2 = sections.get(n);
                if (s2 != null) {
                    Map<String, String> known = sections.computeIfAbsent("KNOWN/" + n, k -> new LinkedHashMap<>());
                    Map<String, Origin> knownOrig = originsOf("KNOWN/" + n);
                    Map<String, Origin> s2Orig = originsOf(n);
                    for (Map.Entry<String, String> kv : s2.entrySet()) {
                        if (s.containsKey(kv.getKey())) {
                            known.put(kv.getKey(), kv.getValue());
                            Origin o = s2Orig.get(kv.getKey());
                            if (o != null) {
                                knownOrig.put(kv.getKey(), o);
                            }
                        }
                    }
                    s2.putAll(s);
                    s2Orig.putAll(so);
                } else {
                    sections.put(n, new LinkedHashMap<>(s));
                    originsOf(n).putAll(so);
                }
            }
        }
        return ret;
    }

    /** {@code _getIncludes}: each name, then its .local if present and not listed, with includes. */
    private List<String> includes(List<String> filenames, List<String> seen) throws ConfigException {
        List<String> expanded = new ArrayList<>();
        for (String f : filenames) {
            expanded.add(f);
            String local = PyPath.stripExt(f) + ".local";
            if (!filenames.contains(local) && PyPath.isFile(local)) {
                expanded.add(local);
            }
        }
        List<String> full = new ArrayList<>();
        for (String f : expanded) {
            full.addAll(includesOf(f, seen));
        }
        return full;
    }

    private List<String> includesOf(String resource, List<String> seen) throws ConfigException {
        IniConfig parser = parseFile(resource);
        if (parser == null) {
            return List.of();
        }
        String dir = PyPath.dirname(resource);
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        if (parser.hasSection(INCLUDES)) {
            for (String opt : List.of("before", "after")) {
                List<String> target = opt.equals("before") ? before : after;
                List<String> names;
                try {
                    names = parser.options(INCLUDES, true);
                } catch (Missing impossible) {
                    continue;
                }
                if (!names.contains(opt)) {
                    continue;
                }
                String value;
                try {
                    value = parser.get(INCLUDES, opt, false, null);
                } catch (Missing impossible) {
                    continue;
                }
                for (String res : value.split("\n", -1)) {
                    String r = PyPath.isAbs(res) ? res : PyPath.join(dir, res);
                    if (seen.contains(r)) {
                        continue;
                    }
                    List<String> s = new ArrayList<>(seen);
                    s.add(resource);
                    target.addAll(includes(List.of(r), s));
                }
            }
        }
        List<String> out = new ArrayList<>(before);
        out.add(resource);
        out.addAll(after);
        return out;
    }

    // ---------------------------------------------------------------- getting

    /**
     * configparser {@code get(section, option, raw, vars)}: vars (keys lower-cased) win over the
     * section, which wins over [DEFAULT]; unless raw, the value is interpolated.
     */
    public String get(String section, String option, boolean raw, Map<String, String> vars)
            throws Missing, ConfigException {
        Map<String, String> sec = sections.get(section);
        if (sec == null) {
            if (!DEFAULT.equals(section)) {
                throw NO_SECTION;
            }
            sec = Map.of();
        }
        Map<String, String> local = new HashMap<>();
        if (vars != null) {
            for (Map.Entry<String, String> e : vars.entrySet()) {
                local.put(PyText.lower(e.getKey()), e.getValue());
            }
        }
        Chain map = new Chain(local, sec, defaults);
        option = PyText.lower(option);
        if (!map.contains(option)) {
            throw NO_OPTION;
        }
        String value = map.get(option);
        if (raw || value == null) {
            return value;
        }
        StringBuilder accum = new StringBuilder();
        interpolate(option, accum, value, section, map, 1);
        return accum.toString();
    }

    /**
     * fail2ban's {@code get_ex}: an option name {@code sec/opt} reads that section's option
     * ({@code known/opt} tries KNOWN/section first, then section); otherwise a plain get.
     */
    public String getEx(String section, String option, Map<String, String> vars) throws Missing, ConfigException {
        if (option.indexOf('/') >= 0) {
            Matcher m = SECTION_OPTNAME.matcher(option);
            if (m.find()) {
                String sec = m.group(1);
                String opt = m.group(2);
                String lw = PyText.lower(sec);
                List<String> secs = lw.equals("known") ? List.of("KNOWN/" + section, section)
                        : List.of(lw.equals("default") ? DEFAULT : sec);
                for (String s : secs) {
                    try {
                        return get(s, opt, false, null);
                    } catch (Missing notThere) {
                        // try the next one, then the fallback
                    }
                }
            }
        }
        return get(section, option, false, vars);
    }

    /** ChainMap(vars, section, defaults) with a writable first map, as configparser builds it. */
    private static final class Chain {
        final Map<String, String> local;
        final Map<String, String> section;
        final Map<String, String> defaults;

        Chain(Map<String, String> local, Map<String, String> section, Map<String, String> defaults) {
            this.local = local;
            this.section = section;
            this.defaults = defaults;
        }

        boolean contains(String k) {
            return local.containsKey(k) || section.containsKey(k) || defaults.containsKey(k);
        }

        String get(String k) {
            if (local.containsKey(k)) {
                return local.get(k);
            }
            if (section.containsKey(k)) {
                return section.get(k);
            }
            return defaults.get(k);
        }

        Chain copy() {
            return new Chain(new HashMap<>(local), section, defaults);
        }
    }

    /** BasicInterpolationWithName._interpolate_some followed by BasicInterpolation's. */
    private void interpolate(String option, StringBuilder accum, String rest, String section, Chain map, int depth)
            throws ConfigException {
        if (section != null && !section.isEmpty()) {
            map = map.copy();
            map.local.put("__name__", section);
            mapSectionOptions(section, rest, map);
        }
        if (depth > MAX_INTERPOLATION_DEPTH) {
            throw error(section, option, "recursion limit exceeded in value substitution (" + MAX_INTERPOLATION_DEPTH
                    + " levels of %(...)s)");
        }
        while (!rest.isEmpty()) {
            int p = rest.indexOf('%');
            if (accum.length() > TagSubstitution.MAX_VALUE_CHARS) {
                throw error(section, option, "interpolation makes the value longer than "
                        + TagSubstitution.MAX_VALUE_CHARS + " characters");
            }
            if (p < 0) {
                accum.append(rest);
                return;
            }
            if (p > 0) {
                accum.append(rest, 0, p);
                rest = rest.substring(p);
            }
            char c = rest.length() > 1 ? rest.charAt(1) : 0;
            if (rest.length() > 1 && c == '%') {
                accum.append('%');
                rest = rest.substring(2);
            } else if (rest.length() > 1 && c == '(') {
                Matcher m = KEYCRE.matcher(rest);
                if (!m.lookingAt()) {
                    throw error(section, option, "bad interpolation variable reference " + abbreviate(rest));
                }
                String var = PyText.lower(m.group(1));
                rest = rest.substring(m.end());
                if (!map.contains(var)) {
                    throw error(section, option, "bad interpolation: no option '" + var + "' for %(" + m.group(1)
                            + ")s in section [" + section + "]");
                }
                String v = map.get(var);
                if (v == null) {
                    throw error(section, option, "option '" + var + "' has no value (None) in section [" + section + "]");
                }
                if (v.indexOf('%') >= 0) {
                    interpolate(option, accum, v, section, map, depth + 1);
                } else {
                    accum.append(v);
                }
            } else {
                throw error(section, option, "'%' must be followed by '%' or '(', found: " + abbreviate(rest));
            }
        }
    }

    private static String abbreviate(String s) {
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }

    private ConfigException error(String section, String option, String message) {
        Origin o = origin(section, option);
        if (o == null && section != null && section.startsWith("KNOWN/")) {
            o = origin(section.substring(6), option);
        }
        return new ConfigException(o == null ? null : o.file(), o == null ? 0 : o.line(), option,
                message + " (section [" + section + "])");
    }

    /** {@code _map_section_options}: makes %(sec/opt)s, %(known/opt)s, %(default/opt)s resolvable. */
    private void mapSectionOptions(String section, String rest, Chain map) {
        if (rest.indexOf('/') < 0 || !rest.contains("%(")) {
            return;
        }
        Matcher m = SECTION_OPTSUBST.matcher(rest);
        while (m.find()) {
            String sopt = m.group(1);
            String opt = m.group(2);
            if (map.contains(sopt)) {
                continue;
            }
            String sec = sopt.substring(0, sopt.length() - opt.length() - 1);
            String lw = PyText.lower(sec);
            boolean useDefault = false;
            String v = null;
            if (!lw.equals("default")) {
                if (lw.equals("known")) {
                    Map<String, String> k = sections.get("KNOWN/" + section);
                    if (k != null && k.containsKey(opt)) {
                        v = k.get(opt);
                    } else {
                        useDefault = true;
                    }
                } else {
                    Map<String, String> s = sections.get(sec);
                    if (s == null) {
                        continue;
                    }
                    if (s.containsKey(opt)) {
                        v = s.get(opt);
                    } else {
                        useDefault = true;
                    }
                }
            } else {
                useDefault = true;
            }
            if (useDefault) {
                if (!defaults.containsKey(opt)) {
                    continue;
                }
                v = defaults.get(opt);
            }
            map.local.put(sopt, v);
        }
    }
}
