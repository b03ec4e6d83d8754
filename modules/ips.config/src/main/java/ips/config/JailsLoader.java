package ips.config;

import ips.api.PortRange;
import ips.api.Protocol;
import ips.config.ini.ConfigFiles;
import ips.config.ini.DefinitionReader;
import ips.config.ini.IniConfig;
import ips.config.ini.OptionSyntax;
import ips.config.ini.Origin;
import ips.config.ini.PyPath;
import ips.config.ini.PyText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves jails as fail2ban's JailsReader / JailReader do: {@code jail.conf}, {@code jail.d/*.conf},
 * {@code jail.local}, {@code jail.d/*.local} with their includes, every section but [INCLUDES] a
 * jail, [DEFAULT] inherited, the filter read first so {@code %(known/...)s} sees its options, then
 * every jail option interpolated.
 *
 * <p>Like fail2ban: a syntax error anywhere, or an interpolation that cannot be resolved in an
 * enabled jail, fails the whole load (ConfigException with file:line and key); a missing filter or
 * action, or a malformed filter/action spec, skips only that jail ({@link Jails#skipped()}).
 * Action files are read for what they enforce ({@link ActionReader}), never run.
 */
public final class JailsLoader {
    /** Reported as %(fail2ban_version)s, the release whose behaviour we follow. */
    static final String FAIL2BAN_VERSION = "1.0.2";

    private enum Type { STRING, BOOL, INT }

    private record Opt(String name, Type type, String def) {}

    /** JailReader._configOpts1st. */
    private static final List<Opt> OPTS_1ST = List.of(
            new Opt("enabled", Type.BOOL, "False"), new Opt("backend", Type.STRING, "auto"),
            new Opt("filter", Type.STRING, ""));
    /** JailReader._configOpts updated with FilterReader._configOpts. */
    private static final List<Opt> OPTS = List.of(
            new Opt("enabled", Type.BOOL, "False"), new Opt("backend", Type.STRING, "auto"),
            new Opt("maxretry", Type.INT, null), new Opt("maxmatches", Type.INT, null),
            new Opt("findtime", Type.STRING, null), new Opt("bantime", Type.STRING, null),
            new Opt("bantime.increment", Type.BOOL, null), new Opt("bantime.factor", Type.STRING, null),
            new Opt("bantime.formula", Type.STRING, null), new Opt("bantime.multipliers", Type.STRING, null),
            new Opt("bantime.maxtime", Type.STRING, null), new Opt("bantime.rndtime", Type.STRING, null),
            new Opt("bantime.overalljails", Type.BOOL, null), new Opt("ignorecommand", Type.STRING, null),
            new Opt("ignoreself", Type.BOOL, null), new Opt("ignoreip", Type.STRING, null),
            new Opt("ignorecache", Type.STRING, null), new Opt("filter", Type.STRING, ""),
            new Opt("logtimezone", Type.STRING, null), new Opt("logencoding", Type.STRING, null),
            new Opt("logpath", Type.STRING, null), new Opt("action", Type.STRING, ""),
            new Opt("usedns", Type.STRING, null), new Opt("prefregex", Type.STRING, null),
            new Opt("ignoreregex", Type.STRING, null), new Opt("failregex", Type.STRING, null),
            new Opt("maxlines", Type.INT, null), new Opt("datepattern", Type.STRING, null),
            new Opt("journalmatch", Type.STRING, null));
    private static final Pattern WORDS = Pattern.compile("[ ,\n]+");

    private final String basedir;
    private final Map<String, IniConfig> fileCache = new HashMap<>();
    private final Map<String, IniConfig> filters = new HashMap<>();
    private final IniConfig cfg = new IniConfig(fileCache);
    private final ActionReader actionReader;

    private JailsLoader(String basedir) {
        this.basedir = basedir;
        this.actionReader = new ActionReader(basedir, fileCache);
    }

    /** Reads every jail under {@code configDir} (e.g. /etc/fail2ban) and resolves the enabled ones. */
    public static Jails load(Path configDir) throws ConfigException {
        JailsLoader l = new JailsLoader(ConfigFiles.stripTrailingSlashes(configDir.toString()));
        return l.loadAll();
    }

    private static final class JailError extends Exception {
        private static final long serialVersionUID = 1L;

        JailError(String message) {
            super(message, null, false, false);
        }
    }

    private Jails loadAll() throws ConfigException {
        ConfigFiles.read(cfg, basedir, "jail");
        List<JailDefinition> jails = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        List<String> notices = new ArrayList<>();
        for (String sec : cfg.sectionNames()) {
            if (sec.startsWith("KNOWN/") || sec.equals("INCLUDES")) {
                continue;
            }
            try {
                JailDefinition j = resolve(sec, notices);
                if (j != null) {
                    jails.add(j);
                }
            } catch (JailError e) {
                skipped.put(sec, e.getMessage());
            }
        }
        return new Jails(jails, skipped, notices);
    }

    /** ConfigReaderUnshared.getOptions with conversion; values as Python's str() of the converted value. */
    private LinkedHashMap<String, String> readOptions(IniConfig c, String sec, List<Opt> opts) throws ConfigException {
        return readOptions(c, sec, opts, null);
    }

    /**
     * As {@link #readOptions(IniConfig, String, List)}; a value that is not an integer where one is
     * needed falls back to the default as fail2ban's getOptions does ("Wrong value for ... Using
     * default one"), and {@code notices} (when not null) get that warning with its file and line;
     * so does a boolean that is none of Python's words for one (read as false, as fail2ban reads it).
     */
    private LinkedHashMap<String, String> readOptions(IniConfig c, String sec, List<Opt> opts, List<String> notices)
            throws ConfigException {
        LinkedHashMap<String, String> values = new LinkedHashMap<>();
        for (Opt o : opts) {
            String v;
            try {
                v = c.get(sec, o.name(), false, Map.of());
            } catch (IniConfig.Missing e) {
                if (o.def() != null) {
                    values.put(o.name(), o.def());
                }
                continue;
            }
            switch (o.type()) {
                case BOOL -> {
                    String b = v.strip().toLowerCase(java.util.Locale.ROOT);
                    if (notices != null && !List.of("1", "on", "true", "yes", "0", "off", "false", "no", "").contains(b)) {
                        // fail2ban reads it as false without a word: a typo in 'enabled' disables the jail
                        ips.config.ini.Origin at = c.origin(sec, o.name());
                        notices.add((at == null ? "" : at.file() + ":" + at.line() + ": ") + "[" + sec + "] " + o.name() + " = '"
                                + v + "' is not a boolean (1/on/true/yes, 0/off/false/no): read as false, as fail2ban does");
                    }
                    v = PyText.asBool(v) ? "True" : "False";
                }
                case INT -> {
                    Long l = PyText.parseInt(v);
                    if (l == null && notices != null) {
                        ips.config.ini.Origin at = c.origin(sec, o.name());
                        notices.add((at == null ? "" : at.file() + ":" + at.line() + ": ") + "[" + sec + "] wrong value for '"
                                + o.name() + "': '" + v + "' is not an integer; using the default"
                                + (o.def() == null ? "" : " (" + o.def() + ")"));
                    }
                    v = l == null ? o.def() : l.toString();
                }
                default -> { }
            }
            values.put(o.name(), v);
        }
        return values;
    }

    private JailDefinition resolve(String sec, List<String> notices) throws ConfigException, JailError {
        cfg.defaults().put("fail2ban_version", FAIL2BAN_VERSION);
        cfg.defaults().put("fail2ban_confpath", basedir);
        LinkedHashMap<String, String> first = readOptions(cfg, sec, OPTS_1ST, notices);
        if (!"True".equals(first.get("enabled"))) {
            return null;
        }
        String flt = first.get("filter");
        DefinitionReader filter = null;
        LinkedHashMap<String, String> filterAll = null;
        String filterName = null;
        if (flt != null && !flt.isEmpty()) {
            OptionSyntax.Spec spec;
            try {
                spec = OptionSyntax.extract(flt);
            } catch (IllegalArgumentException e) {
                throw new JailError("Invalid filter definition '" + flt + "': " + e.getMessage());
            }
            filterName = spec.name();
            IniConfig fcfg = filterConfig(filterName);
            filter = new DefinitionReader(fcfg, FilterLoader.OPTS, spec.options());
            // FilterReader.applyAutoOptions(backend)
            String backend = first.getOrDefault("backend", "");
            String logtype = filter.initOpts().get("logtype");
            if ((logtype == null || logtype.isEmpty()) && !filter.definesOwn("Definition", "logtype")) {
                filter.initOpts().put("logtype", backend.startsWith("systemd") ? "journal" : "file");
            }
            filter.getOptions(first, true);
            filterAll = filter.getCombined(Set.of());
            Map<String, String> section = cfg.sections().get(sec);
            for (Map.Entry<String, String> e : filterAll.entrySet()) {
                if (!e.getKey().startsWith("known/") && !e.getKey().equals("__name__") && e.getValue() != null) {
                    section.put("known/" + e.getKey(), e.getValue());
                }
            }
        } else {
            notices.add("[" + sec + "] no filter set");
        }
        LinkedHashMap<String, String> opts = readOptions(cfg, sec, OPTS, notices);
        FilterDefinition effective = null;
        if (filter != null) {
            filter.getOptions(opts, false);
            LinkedHashMap<String, String> fopts = filter.getCombined(Set.of());
            Map<String, String> optionsAll = new LinkedHashMap<>(filterAll);
            optionsAll.replaceAll((k, v) -> v == null ? "" : v);
            effective = applyJailOverrides(filterName, fopts, opts, optionsAll);
        } else {
            effective = filterlessJail(sec, opts);
        }
        List<ActionRef> actions = new ArrayList<>();
        List<String> actionSpecs;
        try {
            actionSpecs = OptionSyntax.split(opts.getOrDefault("action", ""));
        } catch (IllegalArgumentException e) {
            throw new JailError(e.getMessage());
        }
        for (String act : actionSpecs) {
            act = PyText.strip(act);
            if (act.isEmpty()) {
                continue;
            }
            OptionSyntax.Spec spec;
            try {
                spec = OptionSyntax.extract(act);
            } catch (IllegalArgumentException e) {
                throw new JailError("Invalid action definition '" + act + "': " + e.getMessage());
            }
            actions.add(action(sec, spec, opts));
        }
        if (actions.isEmpty()) {
            notices.add("[" + sec + "] no actions were defined");
        }
        return build(sec, opts, flt == null ? "" : flt, effective, actions, notices);
    }

    /**
     * One use of an action, read from its action.d files when the tree has them. A stock firewall
     * action without a file is known by its name (a tree without action.d, like the built-in one,
     * still works); any other action must have a file, as fail2ban requires. Python actions are
     * code fail2ban imports: never read.
     */
    private ActionRef action(String sec, OptionSyntax.Spec spec, Map<String, String> opts)
            throws ConfigException, JailError {
        String name = spec.name();
        if (name.endsWith(".py")) {
            return new ActionRef(name, spec.options());
        }
        // the jail's own port and protocol stand in for those the use does not give
        String jailPort = spec.options().containsKey("port") ? null : ActionFile.literal(jailValue(sec, "port"));
        String jailProtocol = spec.options().containsKey("protocol") ? null
                : ActionFile.literal(jailValue(sec, "protocol"));
        ActionFile f = actionReader.resolve(sec, name, spec.options(), opts, jailPort, jailProtocol);
        if (f == null) {
            if (!ActionFile.firewallName(name)) {
                throw new JailError("Unable to read action '" + name + "': no " + PyPath.join("action.d", name)
                        + ".conf or .local under " + basedir);
            }
            f = ActionFile.byName(name, spec.options(), jailPort, jailProtocol);
        }
        return new ActionRef(name, spec.options(), f);
    }

    /**
     * A jail with no {@code filter} (jail.conf without fail2ban's {@code [DEFAULT] filter =
     * %(__name__)s}): fail2ban 1.0.2 warns "No filter set for jail X" and starts the jail with only
     * the jail's own failregex, ignoreregex, prefregex, datepattern, maxlines, usedns and
     * journalmatch (JailReader.convert, FilterReader._fillStream). So does Portcullis; without a
     * failregex of its own such a jail can never match (fail2ban runs it anyway), so it is skipped
     * and reported, naming the file that enables it.
     */
    private FilterDefinition filterlessJail(String sec, Map<String, String> opts) throws ConfigException, JailError {
        if (FilterLoader.lines(opts.get("failregex")).isEmpty()) {
            Origin o = cfg.origin(sec, "enabled");
            throw new JailError("No filter set for jail '" + sec + "'"
                    + (o == null ? "" : " (enabled at " + o + ")")
                    + " and it has no failregex of its own, so it could never match: set 'filter = " + sec
                    + "' in the jail (fail2ban's jail.conf sets '[DEFAULT] filter = %(__name__)s')");
        }
        return applyJailOverrides(sec, Map.of(), opts, Map.of());
    }

    private IniConfig filterConfig(String name) throws ConfigException, JailError {
        IniConfig f = filters.get(name);
        if (f != null) {
            return f;
        }
        String file = PyPath.join("filter.d", name);
        if (ConfigFiles.candidates(basedir, file).isEmpty()) {
            throw new JailError("Unable to read the filter '" + name + "'");
        }
        f = new IniConfig(fileCache);
        ConfigFiles.read(f, basedir, file);
        filters.put(name, f);
        return f;
    }

    /**
     * The stream fail2ban sends: the filter's options, then the jail's own (failregex & co. add to
     * the lists; the jail's prefregex/maxlines/usedns go first so the filter's win when both are
     * set; the jail's datepattern goes last so it wins).
     */
    private static FilterDefinition applyJailOverrides(String name, Map<String, String> fopts,
            Map<String, String> jail, Map<String, String> optionsAll) throws ConfigException {
        FilterDefinition f = FilterLoader.toDefinition(name, fopts, optionsAll);
        String pref = fopts.get("prefregex") != null ? fopts.get("prefregex") : jail.get("prefregex");
        if (pref != null && pref.isEmpty()) {
            pref = null;
        }
        List<String> fail = new ArrayList<>(f.failregex());
        fail.addAll(FilterLoader.lines(jail.get("failregex")));
        List<String> ignore = new ArrayList<>(f.ignoreregex());
        ignore.addAll(FilterLoader.lines(jail.get("ignoreregex")));
        List<String> jm = new ArrayList<>(f.journalmatch());
        FilterLoader.checkJournalMatch(name, jail.get("journalmatch"));
        jm.addAll(FilterLoader.lines(jail.get("journalmatch")));
        Integer maxlines = DefinitionReader.toInt(fopts.get("maxlines"));
        if (maxlines == null) {
            maxlines = DefinitionReader.toInt(jail.get("maxlines"));
        }
        String datepattern = jail.get("datepattern") != null ? jail.get("datepattern") : f.datepattern();
        Map<String, String> options = new LinkedHashMap<>(optionsAll);
        String usedns = fopts.get("usedns") != null ? fopts.get("usedns") : jail.get("usedns");
        if (usedns != null) {
            options.put("usedns", usedns);
        }
        return new FilterDefinition(name, pref, fail, ignore, datepattern, maxlines == null ? 1 : maxlines, jm, options);
    }

    private String jailValue(String sec, String key) throws ConfigException {
        try {
            return cfg.get(sec, key, false, Map.of());
        } catch (IniConfig.Missing e) {
            return null;
        }
    }

    private ConfigException bad(String sec, String key, String message) {
        Origin o = cfg.origin(sec, key);
        return new ConfigException(o == null ? null : o.file(), o == null ? 0 : o.line(), key,
                "[" + sec + "] " + message);
    }

    private long seconds(String sec, Map<String, String> opts, String key, long def) throws ConfigException {
        String v = opts.get(key);
        if (v == null) {
            return def;
        }
        try {
            return Durations.toSeconds(v);
        } catch (IllegalArgumentException e) {
            throw bad(sec, key, e.getMessage());
        }
    }

    private JailDefinition build(String sec, Map<String, String> opts, String filterSpec, FilterDefinition filter,
            List<ActionRef> actions, List<String> notices) throws ConfigException, JailError {
        String backend = opts.getOrDefault("backend", "auto");
        try {
            LogEncoding.of(opts.get("logencoding"));
        } catch (IllegalArgumentException e) {
            throw bad(sec, "logencoding", e.getMessage());
        }
        if (backend.startsWith("systemd")) {
            try {
                String n = JournalBackend.of(backend).flagsNotice(sec);
                if (n != null) {
                    notices.add(n);
                }
            } catch (IllegalArgumentException e) {
                throw bad(sec, "backend", e.getMessage());
            }
        }
        List<LogPath> logPaths = new ArrayList<>();
        if (!backend.startsWith("systemd") && opts.get("logpath") != null) {
            for (String line : opts.get("logpath").split("\n", -1)) {
                int sp = line.lastIndexOf(' ');
                String path = sp >= 0 ? line.substring(0, sp) : line;
                String pos = sp >= 0 ? line.substring(sp + 1) : "head";
                String lp = pos.toLowerCase(Locale.ROOT);
                if (!lp.equals("head") && !lp.equals("tail")) {
                    throw new JailError("File option must be 'head' or 'tail' (logpath '" + line + "')");
                }
                if (!path.isEmpty()) {
                    logPaths.add(new LogPath(path, lp.equals("tail")));
                }
            }
        }
        int maxRetry = opts.get("maxretry") == null ? 3 : (int) clamp(Long.parseLong(opts.get("maxretry")));
        Integer maxMatches = opts.get("maxmatches") == null ? null : (int) clamp(Long.parseLong(opts.get("maxmatches")));
        long findTime = seconds(sec, opts, "findtime", 600);
        long banTime = seconds(sec, opts, "bantime", 600);
        List<Long> multipliers = new ArrayList<>();
        String mult = opts.get("bantime.multipliers");
        if (mult != null) {
            for (String w : mult.strip().split("\\s+")) {
                if (!w.isEmpty()) {
                    try {
                        multipliers.add(Durations.toSeconds(w));
                    } catch (IllegalArgumentException e) {
                        throw bad(sec, "bantime.multipliers", e.getMessage());
                    }
                }
            }
        }
        BanTimeIncrement inc = new BanTimeIncrement("True".equals(opts.get("bantime.increment")),
                opts.get("bantime.factor"), opts.get("bantime.formula"), multipliers,
                opts.get("bantime.maxtime") == null ? null : seconds(sec, opts, "bantime.maxtime", 0),
                opts.get("bantime.rndtime") == null ? null : seconds(sec, opts, "bantime.rndtime", 0),
                "True".equals(opts.get("bantime.overalljails")), opts.get("bantime.increment") != null);
        List<String> ignoreIp = new ArrayList<>();
        String ig = opts.get("ignoreip");
        if (ig != null && !ig.isEmpty()) {
            for (String w : WORDS.split(ig)) {
                w = PyText.strip(w);
                if (!w.isEmpty()) {
                    ignoreIp.add(w);
                }
            }
        }
        boolean ignoreSelf = opts.get("ignoreself") == null || "True".equals(opts.get("ignoreself"));
        String ignoreCommand = opts.get("ignorecommand");
        if (ignoreCommand != null && ignoreCommand.isEmpty()) {
            ignoreCommand = null;
        }
        if (ignoreCommand != null) {
            notices.add("jail '" + sec + "': ignorecommand is never run (Portcullis spawns no process): " + ignoreCommand);
        }
        ActionRef fw = null;
        List<ActionRef> firewalls = new ArrayList<>();
        for (ActionRef a : actions) {
            if (a.isFirewall()) {
                if (fw == null) {
                    fw = a;
                }
                firewalls.add(a);
            }
        }
        // each firewall action's own port/protocol (per-use, else the jail's, else its file's);
        // fail2ban runs every action, so the jail bans what any of them bans
        Protocol protocol;
        List<PortRange> ports;
        if (firewalls.isEmpty()) {
            protocol = knownProtocol(jailValue(sec, "protocol"));
            ports = ports(protocol, false, jailValue(sec, "port"));
        } else {
            protocol = null;
            ports = new ArrayList<>();
            for (ActionRef a : firewalls) {
                Protocol p = knownProtocol(a.resolved().protocol());
                List<PortRange> own = ports(p, a.isAllPorts(), a.resolved().port());
                if (protocol == null) {
                    protocol = p;
                } else if (p != protocol && !own.isEmpty() && !ports.isEmpty()) {
                    notices.add("[" + sec + "] its firewall actions ban " + protocol.name().toLowerCase(java.util.Locale.ROOT)
                            + " and " + p.name().toLowerCase(java.util.Locale.ROOT)
                            + " ports; a Portcullis jail has one protocol, so it bans every port of every protocol");
                    protocol = Protocol.ALL;
                    ports = List.of();
                    break;
                }
                if (own.isEmpty()) {
                    ports = List.of(); // one action bans every port: so does the jail
                    break;
                }
                for (PortRange r : own) {
                    if (!ports.contains(r)) {
                        ports.add(r);
                    }
                }
            }
            ports = List.copyOf(ports);
        }
        String chain = ActionFile.literal(fw != null && fw.resolved().chain() != null ? fw.resolved().chain()
                : jailValue(sec, "chain"));
        String blockType = fw != null && fw.params().containsKey("blocktype") ? fw.params().get("blocktype")
                : jailValue(sec, "blocktype");
        String usedns = filter != null ? filter.usedns() : opts.get("usedns");
        int v4 = mask(sec, "ipv4mask", 32);
        int v6 = mask(sec, "ipv6mask", 128);
        return new JailDefinition(sec, backend, filterSpec, filter, logPaths, maxRetry, maxMatches, findTime, banTime,
                inc, ignoreIp, ignoreSelf, ignoreCommand, ports, protocol, jailValue(sec, "banaction"),
                jailValue(sec, "banaction_allports"), actions, chain, blockType, usedns, v4, v6,
                new LazyOptions(() -> rawOptions(sec)));
    }

    private static long clamp(long v) {
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private int mask(String sec, String key, int max) throws ConfigException {
        String v = jailValue(sec, key);
        if (v == null || v.isBlank()) {
            return max;
        }
        Long l = PyText.parseInt(v);
        if (l == null || l < 1 || l > max) { // /0 would ban every address of the family
            throw bad(sec, key, key + " must be 1.." + max + ", not '" + v + "'");
        }
        return l.intValue();
    }

    /** {@link #protocol}, or an error naming the value. */
    private static Protocol knownProtocol(String text) throws JailError {
        Protocol p = protocol(text);
        if (p == null) {
            throw new JailError("protocol '" + text + "' is not tcp, udp, sctp or all");
        }
        return p;
    }

    /** The ports a ban covers; empty: every port (protocol all, an all-ports action, 0:65535 or no port). */
    private static List<PortRange> ports(Protocol protocol, boolean allPorts, String portText) throws JailError {
        if (protocol == Protocol.ALL || allPorts || portText == null || portText.isBlank()) {
            return List.of();
        }
        List<PortRange> ports;
        try {
            ports = Services.parse(portText);
        } catch (IllegalArgumentException e) {
            throw new JailError("port '" + portText + "': " + e.getMessage());
        }
        return ports.stream().anyMatch(r -> r.first() == 0 && r.last() == 65535) ? List.of() : ports;
    }

    private static Protocol protocol(String p) {
        if (p == null || p.isBlank()) {
            return Protocol.TCP;
        }
        return switch (p.strip().toLowerCase(Locale.ROOT)) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            case "sctp" -> Protocol.SCTP;
            case "all" -> Protocol.ALL;
            default -> null;
        };
    }

    /** Every option of the jail (own and [DEFAULT], without known/ copies) that interpolates. */
    private Map<String, String> rawOptions(String sec) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> names;
        try {
            names = cfg.options(sec, true);
        } catch (IniConfig.Missing e) {
            return out;
        }
        for (String n : names) {
            if (n.startsWith("known/")) {
                continue;
            }
            try {
                out.put(n, cfg.get(sec, n, false, Map.of()));
            } catch (IniConfig.Missing | ConfigException | RuntimeException unresolvable) {
                // options such as action_cf_mwl refer to settings the operator never gave
            }
        }
        return out;
    }
}
