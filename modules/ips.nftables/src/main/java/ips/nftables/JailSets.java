package ips.nftables;

import ips.api.Family;
import ips.api.JailRule;

/** One scaffolded jail: its rule, the NUL-terminated names of its four sets, and its prefix books. */
final class JailSets {
    final JailRule rule;
    final String base;
    final byte[] address4;
    final byte[] prefix4;
    final byte[] address6;
    final byte[] prefix6;
    final PrefixBook book4 = new PrefixBook();
    final PrefixBook book6 = new PrefixBook();

    JailSets(JailRule rule) {
        this.rule = rule;
        this.base = SetNames.base(rule.name());
        this.address4 = NetlinkStrings.z(SetNames.addressSet(base, false));
        this.prefix4 = NetlinkStrings.z(SetNames.prefixSet(base, false));
        this.address6 = NetlinkStrings.z(SetNames.addressSet(base, true));
        this.prefix6 = NetlinkStrings.z(SetNames.prefixSet(base, true));
    }

    byte[] addressSet(Family f) {
        return f == Family.IPV4 ? address4 : address6;
    }

    byte[] prefixSet(Family f) {
        return f == Family.IPV4 ? prefix4 : prefix6;
    }

    PrefixBook book(Family f) {
        return f == Family.IPV4 ? book4 : book6;
    }
}
