package ips.config.ini;

import ips.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ConfigReaderUnshared.read(name)}: {@code <base>/<name>.conf}, {@code <name>.d/*.conf},
 * {@code <name>.local}, {@code <name>.d/*.local} (those that exist), read with includes.
 */
public final class ConfigFiles {
    private ConfigFiles() {}

    /** The candidate files of {@code name} under {@code basedir} that exist, in reading order. */
    public static List<String> candidates(String basedir, String name) {
        String base = PyPath.join(basedir, name);
        List<String> files = new ArrayList<>();
        files.add(base + ".conf");
        files.addAll(PyPath.globSuffix(base + ".d", ".conf"));
        files.add(base + ".local");
        files.addAll(PyPath.globSuffix(base + ".d", ".local"));
        files.removeIf(f -> !PyPath.exists(f));
        return files;
    }

    /**
     * Reads {@code name} into {@code cfg}; throws when the base directory or every candidate file
     * is missing, as fail2ban reports "Found no accessible config files".
     */
    public static List<String> read(IniConfig cfg, String basedir, String name) throws ConfigException {
        basedir = stripTrailingSlashes(basedir);
        if (!PyPath.exists(basedir)) {
            throw new ConfigException(basedir, 0, null, "base configuration directory does not exist");
        }
        List<String> files = candidates(basedir, name);
        if (files.isEmpty()) {
            throw new ConfigException(PyPath.join(basedir, name) + ".conf", 0, null,
                    "found no accessible config files for '" + name + "' under " + basedir);
        }
        List<String> read = cfg.read(files);
        if (read.isEmpty()) {
            throw new ConfigException(files.get(0), 0, null, "could not read config files: " + String.join(", ", files));
        }
        return read;
    }

    public static String stripTrailingSlashes(String dir) {
        int e = dir.length();
        while (e > 0 && dir.charAt(e - 1) == '/') {
            e--;
        }
        return dir.substring(0, e);
    }
}
