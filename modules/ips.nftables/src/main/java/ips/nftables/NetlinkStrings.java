package ips.nftables;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** NUL-terminated strings as netlink carries them (NLA_STRING / NLA_NUL_STRING). */
final class NetlinkStrings {
    private NetlinkStrings() {
    }

    /** UTF-8 bytes of {@code s} followed by a NUL. */
    static byte[] z(String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(raw, raw.length + 1);
    }
}
