package ips.app.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the daemon's configuration comes from: {@code --config DIR}; else {@code /etc/portcullis}
 * when present; else {@code /etc/fail2ban}; else the built-in default (the sshd jail on
 * /var/log/auth.log, or on the journal when that file does not exist), written to a private
 * directory so that it is read by the same code as any other tree.
 */
public final class ConfigSource {
    static final Path ETC_PORTCULLIS = Path.of("/etc/portcullis");
    static final Path ETC_FAIL2BAN = Path.of("/etc/fail2ban");

    private ConfigSource() {}

    /** The configuration directory to use, extracting the built-in one when needed. */
    public static Path resolve(Path explicit, Path scratch) throws IOException {
        if (explicit != null) {
            if (!Files.isDirectory(explicit)) {
                throw new IOException("configuration directory " + explicit + " does not exist");
            }
            return explicit;
        }
        Path installed = installed();
        return installed != null ? installed : builtIn(scratch, Files.exists(Path.of("/var/log/auth.log")));
    }

    /** The tree {@code run} reads without {@code --config}: /etc/portcullis, else /etc/fail2ban; null for the built-in one. */
    public static Path installed() {
        if (Files.isRegularFile(ETC_PORTCULLIS.resolve("jail.conf")) || Files.isRegularFile(ETC_PORTCULLIS.resolve("jail.local"))) {
            return ETC_PORTCULLIS;
        }
        if (Files.isRegularFile(ETC_FAIL2BAN.resolve("jail.conf"))) {
            return ETC_FAIL2BAN;
        }
        return null;
    }

    /**
     * Where Portcullis's own settings ({@code portcullis.conf}/{@code .local}) are read: the
     * configuration directory when it has them, else {@code /etc/portcullis} (the package's
     * settings beside fail2ban's tree), else the directory (defaults apply).
     */
    public static Path settingsDir(Path configDir) {
        if (hasSettings(configDir)) {
            return configDir;
        }
        return hasSettings(ETC_PORTCULLIS) ? ETC_PORTCULLIS : configDir;
    }

    private static boolean hasSettings(Path dir) {
        return Files.isRegularFile(dir.resolve("portcullis.conf")) || Files.isRegularFile(dir.resolve("portcullis.local"));
    }

    /** Writes the built-in tree under {@code scratch}; {@code authLog} picks the file or the journal. */
    public static Path builtIn(Path scratch, boolean authLog) throws IOException {
        Path dir = scratch.resolve("builtin-config");
        Files.createDirectories(dir.resolve("filter.d"));
        String jail = read("default/jail.conf")
                .replace("@BACKEND@", authLog ? "auto" : "systemd")
                .replace("@LOGPATH@", authLog ? "/var/log/auth.log" : "");
        Files.writeString(dir.resolve("jail.conf"), jail, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("filter.d/sshd.conf"), read("default/filter.d/sshd.conf"), StandardCharsets.UTF_8);
        return dir;
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = ConfigSource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("built-in configuration resource " + resource + " is missing from the image");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
