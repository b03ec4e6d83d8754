package ips.nftables;

import java.nio.charset.StandardCharsets;

/**
 * How a jail's name becomes the names of its four sets: {@code <jail>-v4}, {@code <jail>-v4-net},
 * {@code <jail>-v6} and {@code <jail>-v6-net} (address sets, then prefix sets).
 *
 * <p>A jail name made only of ASCII letters, digits, {@code _ . -}, starting with a letter or
 * {@code _}, and at most {@link #MAX_PLAIN} characters is used as it is, so the operator reads
 * {@code sshd-v4} in {@code nft list ruleset}. Any other name (spaces, other characters, a leading
 * digit, too long) is mapped to {@code j_<safe part>_<8 hex digits of a hash of the name>}: every
 * unsafe character becomes {@code _}, the safe part is cut to 48 characters, and the hash keeps
 * two different jails apart. Set names stay far below NFT_NAME_MAXLEN (256 with the NUL).
 */
final class SetNames {
    /** The longest jail name used verbatim. */
    static final int MAX_PLAIN = 64;
    private static final int MAX_SAFE_PART = 48;

    private SetNames() {
    }

    /** The base name of a jail's sets. */
    static String base(String jail) {
        if (isPlain(jail)) {
            return jail;
        }
        StringBuilder sb = new StringBuilder("j_");
        for (int i = 0; i < jail.length() && sb.length() < MAX_SAFE_PART + 2; i++) {
            char c = jail.charAt(i);
            sb.append(isSafe(c) ? c : '_');
        }
        byte[] utf8 = jail.getBytes(StandardCharsets.UTF_8);
        int h = 0x811C9DC5; // FNV-1a
        for (byte b : utf8) {
            h = (h ^ (b & 0xFF)) * 0x01000193;
        }
        sb.append('_').append(String.format("%08x", h));
        return sb.toString();
    }

    static boolean isPlain(String jail) {
        if (jail.isEmpty() || jail.length() > MAX_PLAIN) {
            return false;
        }
        char first = jail.charAt(0);
        if (!(first == '_' || (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
            return false;
        }
        for (int i = 0; i < jail.length(); i++) {
            if (!isSafe(jail.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSafe(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    }

    static String addressSet(String base, boolean ipv6) {
        return base + (ipv6 ? "-v6" : "-v4");
    }

    static String prefixSet(String base, boolean ipv6) {
        return base + (ipv6 ? "-v6-net" : "-v4-net");
    }

    /**
     * True for a name one of our four kinds of set can have (it ends in {@code -v4}, {@code -v6},
     * {@code -v4-net} or {@code -v6-net}): the scaffold removes such sets of jails no longer
     * listed, and leaves any other set someone put in our table alone.
     */
    static boolean isJailSet(String set) {
        return set.endsWith("-v4") || set.endsWith("-v6") || set.endsWith("-v4-net") || set.endsWith("-v6-net");
    }
}
