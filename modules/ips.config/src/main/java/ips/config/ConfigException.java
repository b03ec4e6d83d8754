package ips.config;

/**
 * A configuration that fail2ban would refuse (or that we cannot read), named by where it lies.
 *
 * <p>The message starts with {@code file:line} when the offending text has a place, then names
 * the section and key. {@link #file()}, {@link #line()} and {@link #key()} give the parts.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String key;
    private final String detail;

    public ConfigException(String file, int line, String key, String message) {
        super(format(file, line, key, message));
        this.file = file;
        this.line = line;
        this.key = key;
        this.detail = message;
    }

    public ConfigException(String message) {
        this(null, 0, null, message);
    }

    /** The file the problem is in, or null when it is not tied to one file. */
    public String file() {
        return file;
    }

    /** 1-based line number in {@link #file()}, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The option (key) concerned, or null. */
    public String key() {
        return key;
    }

    /**
     * The same problem with {@code context} (say, which jail and action read the file) put before
     * its message; the file, line and key stay first.
     */
    public ConfigException within(String context) {
        return new ConfigException(file, line, key, context + detail);
    }

    private static String format(String file, int line, String key, String message) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        }
        if (key != null) {
            sb.append("key '").append(key).append("': ");
        }
        return sb.append(message).toString();
    }
}
