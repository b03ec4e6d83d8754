package ips.config;

import java.nio.charset.Charset;
import java.util.Locale;

/**
 * fail2ban's {@code logencoding}: a Python codec name ({@code latin-1}, {@code utf-8},
 * {@code cp1252}, ...) or {@code auto}, the locale's encoding, which is UTF-8 on the hosts
 * Portcullis runs on (and under systemd, whose C locale Python reads as UTF-8).
 */
public final class LogEncoding {
    private LogEncoding() {}

    /**
     * The charset of a {@code logencoding} value; null for {@code auto} or nothing (UTF-8).
     *
     * @throws IllegalArgumentException for an encoding Java does not know
     */
    public static Charset of(String logencoding) {
        if (logencoding == null || logencoding.isBlank() || logencoding.strip().equalsIgnoreCase("auto")) {
            return null;
        }
        String name = logencoding.strip();
        // Python's encodings.normalize_encoding, then its spellings Java does not share
        String py = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "_");
        String java = switch (py) {
            case "latin_1", "latin1", "l1", "iso8859_1", "iso_8859_1", "8859", "cp819" -> "ISO-8859-1";
            case "utf_8", "utf8", "u8", "utf", "cp65001" -> "UTF-8";
            case "ascii", "us_ascii", "646" -> "US-ASCII";
            default -> null;
        };
        if (java != null) {
            return Charset.forName(java);
        }
        for (String candidate : new String[] {name, py, py.replace('_', '-')}) {
            try {
                if (Charset.isSupported(candidate)) {
                    return Charset.forName(candidate);
                }
            } catch (IllegalArgumentException e) {
                // an illegal charset name: try the next spelling
            }
        }
        throw new IllegalArgumentException("unknown encoding '" + name + "'");
    }
}
