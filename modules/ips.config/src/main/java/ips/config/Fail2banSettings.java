package ips.config;

import ips.config.ini.ConfigFiles;
import ips.config.ini.IniConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fail2ban.conf} / {@code fail2ban.local} [Definition], read as fail2ban's Fail2banReader reads
 * it (defaults: loglevel INFO, logtarget STDERR, dbfile /var/lib/fail2ban/fail2ban.sqlite3,
 * dbpurgeage 1d). Portcullis honours loglevel and logtarget; {@link #ignored()} lists what it does not use.
 *
 * @param logLevel      {@code loglevel} (CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG, or a number)
 * @param logTarget     {@code logtarget} (STDOUT, STDERR, SYSLOG, SYSTEMD-JOURNAL or a file path)
 * @param dbFile        {@code dbfile} (fail2ban's sqlite database; Portcullis keeps its own ledger)
 * @param dbPurgeAgeSeconds {@code dbpurgeage} in seconds
 * @param ignored       settings present in the files that Portcullis does not act on, as notices
 *                      (without the file's name: the caller prefixes it)
 */
public record Fail2banSettings(String logLevel, String logTarget, String dbFile, long dbPurgeAgeSeconds,
        List<String> ignored) {

    public Fail2banSettings {
        ignored = List.copyOf(ignored);
    }

    public static Fail2banSettings defaults() {
        return new Fail2banSettings("INFO", "STDERR", "/var/lib/fail2ban/fail2ban.sqlite3", 86400, List.of());
    }

    public static Fail2banSettings load(Path configDir) throws ConfigException {
        String base = ConfigFiles.stripTrailingSlashes(configDir.toString());
        if (ConfigFiles.candidates(base, "fail2ban").isEmpty()) {
            return defaults();
        }
        IniConfig cfg = new IniConfig(new HashMap<>());
        ConfigFiles.read(cfg, base, "fail2ban");
        Fail2banSettings d = defaults();
        String level = get(cfg, "loglevel", d.logLevel());
        String target = get(cfg, "logtarget", d.logTarget());
        String db = get(cfg, "dbfile", d.dbFile());
        String purge = get(cfg, "dbpurgeage", "1d");
        long purgeSeconds;
        try {
            purgeSeconds = Durations.toSeconds(purge);
        } catch (IllegalArgumentException e) {
            var o = cfg.origin("Definition", "dbpurgeage");
            throw new ConfigException(o == null ? null : o.file(), o == null ? 0 : o.line(), "dbpurgeage", e.getMessage());
        }
        List<String> ignored = new ArrayList<>();
        // one line for them all: fail2ban's stock fail2ban.conf sets six of them, and an operator
        // reading the start-up log wants one notice, not six
        List<String> unused = new ArrayList<>();
        for (String k : List.of("dbfile", "dbpurgeage", "dbmaxmatches", "syslogsocket", "allowipv6", "socket",
                "pidfile")) {
            if (has(cfg, k)) {
                unused.add(k + " = " + get(cfg, k, ""));
            }
        }
        if (!unused.isEmpty()) {
            ignored.add(String.join(", ", unused)
                    + ": not used (Portcullis has its own ledger, socket and state directory: portcullis.conf)");
        }
        if (cfg.hasSection("Thread")) {
            try {
                if (!cfg.options("Thread", false).isEmpty()) {
                    ignored.add("[Thread]: not used");
                }
            } catch (IniConfig.Missing impossible) {
                // checked above
            }
        }
        return new Fail2banSettings(level, target, db, purgeSeconds, ignored);
    }

    private static boolean has(IniConfig cfg, String key) {
        return cfg.hasSection("Definition") ? cfg.hasOption("Definition", key) : cfg.defaults().containsKey(key);
    }

    private static String get(IniConfig cfg, String key, String def) throws ConfigException {
        try {
            return cfg.get("Definition", key, false, Map.of());
        } catch (IniConfig.Missing e) {
            return def;
        }
    }
}
