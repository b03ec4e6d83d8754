package ips.pf;

import java.nio.charset.StandardCharsets;

/**
 * Maps a jail to its PF table: {@code <prefix>-<jail>}, for example {@code portcullis-sshd}.
 *
 * <p>PF table names hold at most 31 bytes ({@code PF_TABLE_NAME_SIZE} 32 with the NUL). A name
 * that fits and uses only {@code [A-Za-z0-9_.-]} is used as is. Any other name is made safe and
 * unique: characters outside that set become {@code _}, the result is cut to 22 bytes, and {@code
 * -} plus 8 hex digits of the FNV-1a hash of the full {@code <prefix>-<jail>} text is appended
 * ({@code portcullis-a-very-long-jail-name} becomes {@code portcullis-a-very-long-1c2b3a4d}).
 * The mapping depends on the names only, so it is the same after a restart.
 */
final class TableNames {
    static final int MAX = PfrTableLayout.PF_TABLE_NAME_SIZE - 1;
    private static final int HASH_DIGITS = 8;
    private static final int KEEP = MAX - 1 - HASH_DIGITS;

    private TableNames() {
    }

    static String forJail(String prefix, String jail) {
        String full = prefix + "-" + jail;
        if (full.length() <= MAX && safe(full)) {
            return full;
        }
        StringBuilder sb = new StringBuilder(MAX);
        for (int i = 0; i < full.length() && sb.length() < KEEP; i++) {
            char c = full.charAt(i);
            sb.append(allowed(c) ? c : '_');
        }
        String hash = Integer.toHexString(fnv1a(full));
        sb.append('-');
        for (int i = hash.length(); i < HASH_DIGITS; i++) {
            sb.append('0');
        }
        return sb.append(hash).toString();
    }

    private static boolean safe(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!allowed(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '.';
    }

    /** FNV-1a, 32 bits, over the UTF-8 bytes. */
    static int fnv1a(String s) {
        int h = 0x811C9DC5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x01000193;
        }
        return h;
    }
}
