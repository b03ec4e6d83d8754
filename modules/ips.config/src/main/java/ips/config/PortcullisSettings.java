package ips.config;

import ips.config.ini.ConfigFiles;
import ips.config.ini.IniConfig;
import ips.config.ini.Origin;
import ips.config.ini.PyText;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Portcullis's own settings: section {@code [portcullis]} of {@code portcullis.conf} /
 * {@code portcullis.local} (and {@code portcullis.d/*}) in the fail2ban tree, same dialect
 * ({@code %(statedir)s} works). Every key is optional; {@link #defaults()} applies when the files are absent.
 *
 * @param maxEntries  {@code memory.maxentries}: hard ceiling on tracked failing addresses (default 100,000: about 8 MB; each entry costs ~81 bytes)
 * @param socket      {@code socket}: control socket path (default /run/portcullis/portcullis.sock)
 * @param socketGroup {@code socket.group}: group allowed to use the socket, null = root only
 * @param stateDir    {@code statedir} (default /var/lib/portcullis)
 * @param ledger      {@code ledger}: ban ledger path (default STATEDIR/ledger)
 * @param table       {@code table}: nftables table name, in family inet (default portcullis)
 * @param forward     {@code forward}: also hook the forward chain (containers' published ports; default false)
 * @param blockType   {@code blocktype}: drop or reject (default drop)
 * @param metricsHost {@code metrics} host part, null when metrics are off (the default)
 * @param metricsPort {@code metrics} port part, 0 when off
 * @param recidive    {@code recidive}: the jail name of the native recidive (bans in other jails
 *     counted per address: 5 within 1 day ban for 1 week on all ports), null when off (the
 *     default); {@code recidive = true} names it {@code portcullis-recidive}
 */
public record PortcullisSettings(int maxEntries, Path socket, String socketGroup, Path stateDir, Path ledger,
        String table, boolean forward, String blockType, String metricsHost, int metricsPort, String recidive) {

    public static final String SECTION = "portcullis";

    /** Settings when no portcullis.conf/.local exists. */
    public static PortcullisSettings defaults() {
        Path state = Path.of("/var/lib/portcullis");
        return new PortcullisSettings(100_000, Path.of("/run/portcullis/portcullis.sock"), null, state,
                state.resolve("ledger"), "portcullis", false, "drop", null, 0, null);
    }

    /** Reads {@code portcullis.conf}/{@code .local} under {@code configDir}; defaults when neither exists. */
    public static PortcullisSettings load(Path configDir) throws ConfigException {
        String base = ConfigFiles.stripTrailingSlashes(configDir.toString());
        PortcullisSettings d = defaults();
        if (ConfigFiles.candidates(base, "portcullis").isEmpty()) {
            return d;
        }
        IniConfig cfg = new IniConfig(new HashMap<>());
        ConfigFiles.read(cfg, base, "portcullis");
        if (!cfg.hasSection(SECTION)) {
            return d;
        }
        Reader r = new Reader(cfg);
        int maxEntries = r.integer("memory.maxentries", d.maxEntries(), 1, 1 << 29);
        Path socket = r.path("socket", d.socket());
        String group = r.text("socket.group", null);
        Path state = r.path("statedir", d.stateDir());
        Path ledger = r.path("ledger", state.resolve("ledger"));
        String table = r.text("table", d.table());
        if (!table.matches("[A-Za-z0-9_.-]{1,255}")) {
            throw r.bad("table", "table name must be letters, digits, '_', '.' or '-': '" + table + "'");
        }
        boolean forward = PyText.asBool(r.text("forward", "false"));
        String blockType = r.text("blocktype", d.blockType()).toLowerCase(java.util.Locale.ROOT);
        if (!blockType.equals("drop") && !blockType.equals("reject")) {
            throw r.bad("blocktype", "blocktype must be drop or reject, not '" + blockType + "'");
        }
        String metrics = r.text("metrics", "");
        String host = null;
        int port = 0;
        if (!metrics.isBlank()) {
            int colon = metrics.lastIndexOf(':');
            Long p = colon < 0 ? null : PyText.parseInt(metrics.substring(colon + 1));
            if (p == null || p < 1 || p > 65535) {
                throw r.bad("metrics", "metrics must be host:port (port 1-65535), not '" + metrics + "'");
            }
            host = metrics.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                host = "127.0.0.1";
            }
            port = p.intValue();
        }
        String recidive = r.text("recidive", "").strip();
        if (recidive.isEmpty() || recidive.equalsIgnoreCase("false") || recidive.equalsIgnoreCase("no")
                || recidive.equalsIgnoreCase("off") || recidive.equals("0")) {
            recidive = null;
        } else if (recidive.equalsIgnoreCase("true") || recidive.equalsIgnoreCase("yes") || recidive.equalsIgnoreCase("on")
                || recidive.equals("1")) {
            recidive = "portcullis-recidive";
        } else if (!recidive.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw r.bad("recidive", "recidive must be true/false or a jail name of letters, digits, '_', '.' or '-': '" + recidive + "'");
        }
        return new PortcullisSettings(maxEntries, socket, group, state, ledger, table, forward, blockType, host, port, recidive);
    }

    /** Reads interpolated values of [portcullis] with file:line errors. */
    private record Reader(IniConfig cfg) {
        String text(String key, String def) throws ConfigException {
            try {
                String v = cfg.get(SECTION, key, false, Map.of());
                return v == null || v.isEmpty() ? def : v;
            } catch (IniConfig.Missing e) {
                return def;
            }
        }

        Path path(String key, Path def) throws ConfigException {
            String v = text(key, null);
            return v == null ? def : Path.of(v);
        }

        int integer(String key, int def, int min, int max) throws ConfigException {
            String v = text(key, null);
            if (v == null) {
                return def;
            }
            Long l = PyText.parseInt(v);
            if (l == null || l < min || l > max) {
                throw bad(key, key + " must be a whole number in " + min + ".." + max + ", not '" + v + "'");
            }
            return l.intValue();
        }

        ConfigException bad(String key, String message) {
            Origin o = cfg.origin(SECTION, key);
            return new ConfigException(o == null ? null : o.file(), o == null ? 0 : o.line(), key, message);
        }
    }
}
