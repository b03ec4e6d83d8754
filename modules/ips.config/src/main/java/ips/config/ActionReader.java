package ips.config;

import ips.config.ini.ConfigFiles;
import ips.config.ini.DefinitionReader;
import ips.config.ini.IniConfig;
import ips.config.ini.PyPath;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a jail's actions as fail2ban's {@code ActionReader} does ({@code action.d/NAME.conf},
 * {@code NAME.d/}, {@code .local}, {@code [INCLUDES] before/after}, [Definition], [Init] and the
 * per-use parameters, which win over [Init]), far enough to tell what each enforces: whether it is
 * a firewall ban, its {@code type}, ports, protocol, chain and blocktype ({@link ActionFile}). The
 * shell commands are resolved like fail2ban resolves them but never run.
 *
 * <p>One reader serves one load of the tree: each action's files are parsed once (they share the
 * jail loader's file cache) and only the actions that enabled jails use are read.
 */
final class ActionReader {
    /** ActionReader._configOpts, then the options whose values say what the ban covers. */
    private static final List<DefinitionReader.Opt> OPTS = List.of(
            new DefinitionReader.Opt("actionstart", false), new DefinitionReader.Opt("actionstart_on_demand", false),
            new DefinitionReader.Opt("actionstop", false), new DefinitionReader.Opt("actionflush", false),
            new DefinitionReader.Opt("actionreload", false), new DefinitionReader.Opt("actioncheck", false),
            new DefinitionReader.Opt("actionrepair", false), new DefinitionReader.Opt("actionrepair_on_unban", false),
            new DefinitionReader.Opt("actionban", false), new DefinitionReader.Opt("actionprolong", false),
            new DefinitionReader.Opt("actionreban", false), new DefinitionReader.Opt("actionunban", false),
            new DefinitionReader.Opt("norestored", false),
            new DefinitionReader.Opt("type", false), new DefinitionReader.Opt("port", false),
            new DefinitionReader.Opt("protocol", false), new DefinitionReader.Opt("chain", false),
            new DefinitionReader.Opt("chain_hook", false), new DefinitionReader.Opt("blocktype", false));
    /** The options {@link #resolve} reads: the only ones substituted. */
    private static final List<String> READ = List.of("actionban", "type", "actiontype", "port", "protocol", "chain",
            "chain_hook", "blocktype");
    /** CommandAction._escapedTags and the tags ActionReader.convert leaves for ban time. */
    private static final Set<String> IGNORED_TAGS = Set.of("matches", "ipmatches", "ipjailmatches", "timeout", "bantime");
    /**
     * Commands that ban an address in a firewall when an actionban runs them with {@code <ip>}
     * ({@code iptables*} and {@code ip6tables*} variants are matched by prefix; {@code ip route}
     * counts as {@code route}; apf and macOS's afctl are firewalls too, hosts.deny is not).
     */
    private static final Set<String> FIREWALL_COMMANDS = Set.of("nft", "ipset", "firewall-cmd", "ufw", "shorewall",
            "shorewall6", "shorewall-lite", "pfctl", "ipfw", "npfctl", "ipf", "apf", "afctl", "route");
    /** fail2ban's TAG_CRE. */
    private static final Pattern TAG = Pattern.compile("<([^ <>]+)>");

    /** One action's files, parsed: shared by every jail that uses the action. */
    record Files(IniConfig cfg, String file, String inherits, boolean usesPort) {}

    private final String basedir;
    private final Map<String, IniConfig> fileCache;
    private final Map<String, Files> read = new HashMap<>();

    ActionReader(String basedir, Map<String, IniConfig> fileCache) {
        this.basedir = basedir;
        this.fileCache = fileCache;
    }

    /**
     * What {@code name[params]} enforces in jail {@code jail}, or null when action.d holds no file
     * of that name. {@code jailOpts} are the jail's options, which fail2ban hands the action as
     * interpolation defaults; {@code jailPort}/{@code jailProtocol} (the jail's own {@code port}
     * and {@code protocol}, may be null) stand in when the use gives none, before the file's own.
     *
     * @throws ConfigException when the files do not parse or their values do not resolve, naming
     *     the file, line and key and saying which jail and action read them
     */
    ActionFile resolve(String jail, String name, Map<String, String> params, Map<String, String> jailOpts,
            String jailPort, String jailProtocol) throws ConfigException {
        try {
            Use use = read(jail, name, params, jailOpts);
            if (use == null) {
                return null;
            }
            Files f = use.files();
            Map<String, String> raw = use.init();
            Map<String, String> opts = use.combined();
            String basis = null;
            boolean firewall = ActionFile.firewallName(name);
            if (!firewall && f.inherits() != null) {
                firewall = true;
                basis = "inherits " + f.inherits();
            }
            Map<String, String> lookup = new HashMap<>(raw);
            lookup.putAll(opts);
            String command = firewallCommand(opts.get("actionban"), lookup);
            if (!firewall && command != null) {
                firewall = true;
                basis = "actionban runs " + command;
            }
            // the use's type, then the name's allports, then the files' (iptables.conf: oneport)
            String type = ActionFile.pick(ActionFile.literal(params.get("type")), portsKind(params.get("actiontype")));
            if (type == null && name.contains("allports")) {
                type = "allports";
            }
            type = ActionFile.pick(type, ActionFile.pick(ActionFile.literal(opts.get("type")), portsKind(raw.get("actiontype"))));
            // Only a ban command we can see, with no <port> anywhere in the action, bans every port.
            boolean usesPort = f.usesPort() || command == null;
            for (Map.Entry<String, String> e : params.entrySet()) {
                usesPort |= !e.getKey().equals("port") && e.getValue().contains("<port>");
            }
            String port = ActionFile.pick(ActionFile.literal(params.get("port")),
                    ActionFile.pick(jailPort, ActionFile.literal(opts.get("port"))));
            String protocol = ActionFile.pick(ActionFile.literal(params.get("protocol")),
                    ActionFile.pick(jailProtocol, ActionFile.literal(opts.get("protocol"))));
            return new ActionFile(f.file(), firewall, basis, type, port, protocol, ActionFile.literal(opts.get("chain")),
                    ActionFile.literal(opts.get("chain_hook")), ActionFile.literal(opts.get("blocktype")), usesPort);
        } catch (ConfigException e) {
            throw e.within("[" + jail + "] action '" + name + "': ");
        }
    }

    /**
     * One use of an action as fail2ban's ActionReader holds it after {@code getOptions} and
     * {@code convert}: its files, its init options (per-use parameters, then [Init]; before tag
     * substitution) and the combined options {@link #READ} (tags substituted as convert
     * substitutes them, ban-time tags left).
     */
    record Use(Files files, Map<String, String> init, Map<String, String> combined) {}

    /** Reads {@code name[params]} for {@code jail}; null when action.d holds no file of that name. */
    Use read(String jail, String name, Map<String, String> params, Map<String, String> jailOpts) throws ConfigException {
        Files f = files(name);
        if (f == null) {
            return null;
        }
        // ActionReader.__init__: the jail is the action's name unless the use names it.
        LinkedHashMap<String, String> init = new LinkedHashMap<>(params);
        init.putIfAbsent("name", jail);
        String n = init.get("name");
        if (!init.containsKey("actname")) {
            init.put("actname", name + (n.equals(jail) ? "" : n.startsWith(jail) ? n.substring(jail.length()) : "-" + n));
        }
        DefinitionReader def = new DefinitionReader(f.cfg(), OPTS, init);
        def.getOptions(jailOpts, false);
        Map<String, String> raw = new HashMap<>(def.initOpts());
        return new Use(f, raw, def.getCombined(IGNORED_TAGS, READ));
    }

    /** pf's and firewallcmd-ipset's {@code actiontype = <multiport>} or {@code <allports>} as a type, or null. */
    private static String portsKind(String actionType) {
        String t = actionType == null ? "" : actionType.strip();
        return t.equals("<allports>") ? "allports" : t.equals("<multiport>") ? "multiport" : null;
    }

    /** The action's files read with their includes, or null when there are none. */
    private Files files(String name) throws ConfigException {
        if (read.containsKey(name)) {
            return read.get(name);
        }
        String rel = PyPath.join("action.d", name);
        List<String> own = ConfigFiles.candidates(basedir, rel);
        Files f = null;
        if (!own.isEmpty()) {
            IniConfig cfg = new IniConfig(fileCache);
            List<String> all = ConfigFiles.read(cfg, basedir, rel);
            String inherits = null;
            for (String file : all) {
                // the nearest: the last one read before the action's own files, else the last after them
                if (own.contains(file)) {
                    if (inherits != null) {
                        break;
                    }
                } else if (ActionFile.firewallName(PyPath.stripExt(PyPath.basename(file)))) {
                    inherits = PyPath.basename(file);
                }
            }
            f = new Files(cfg, own.get(0), inherits, mentionsPort(cfg));
        }
        read.put(name, f);
        return f;
    }

    /** Whether any value of the files refers to {@code <port>} (in whatever section: iptables keeps it in [ipt_oneport]). */
    private static boolean mentionsPort(IniConfig cfg) {
        for (String v : cfg.defaults().values()) {
            if (v != null && v.contains("<port>")) {
                return true;
            }
        }
        for (Map.Entry<String, Map<String, String>> s : cfg.sections().entrySet()) {
            if (s.getKey().equals("INCLUDES")) {
                continue;
            }
            for (String v : s.getValue().values()) {
                if (v != null && v.contains("<port>")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The firewall command an actionban runs with the banned address ({@code <ip>}), or null: the
     * first word, split on shell separators, whose base name is one of {@link #FIREWALL_COMMANDS}
     * or starts with {@code iptables}/{@code ip6tables}. Tags fail2ban leaves for ban time (an
     * option with a per-family variant, such as iptables.conf's {@code <iptables>}) are read with
     * their plain value from {@code options}; unknown ones go ({@code shorewall<family>}).
     */
    static String firewallCommand(String actionban, Map<String, String> options) {
        if (actionban == null || !actionban.contains("<ip>")) {
            return null;
        }
        String text = actionban;
        for (int depth = 0; depth < 3 && text.indexOf('<') >= 0; depth++) {
            Matcher m = TAG.matcher(text);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = m.group(1).equals("ip") ? null : options.get(m.group(1));
                m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v));
            }
            text = m.appendTail(sb).toString();
        }
        for (String word : text.split("[\\s;&|(){}`'\"=]+")) {
            String w = PyPath.basename(word);
            if (w.startsWith("iptables") || w.startsWith("ip6tables") || FIREWALL_COMMANDS.contains(w)) {
                return w;
            }
        }
        return null;
    }
}
