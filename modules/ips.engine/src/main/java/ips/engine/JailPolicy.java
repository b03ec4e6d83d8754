package ips.engine;

/**
 * One jail's ban policy, with fail2ban's option names.
 *
 * @param name the jail
 * @param maxRetry {@code maxretry}: failures within findtime that ban
 * @param findTimeMillis {@code findtime}
 * @param banTimeMillis {@code bantime}; negative = permanent
 * @param increment {@code bantime.increment} and its options
 * @param ignore {@code ignoreip} + {@code ignoreself}
 * @param ipv4Mask failures of IPv4 addresses are counted, and banned, per prefix of this length (32 = per address)
 * @param ipv6Mask the same for IPv6 (e.g. 64 bans the attacker's /64)
 * @param aggregation prefix bans when many addresses of one prefix are banned ({@link Aggregation#OFF} by default)
 */
public record JailPolicy(String name, int maxRetry, long findTimeMillis, long banTimeMillis, BanIncrement increment,
                         IgnoreList ignore, int ipv4Mask, int ipv6Mask, Aggregation aggregation) {

    /**
     * When {@code threshold} addresses of one {@code /ipv4Length} or {@code /ipv6Length} are banned
     * in the jail at once, the next one bans the whole prefix instead.
     */
    public record Aggregation(int threshold, int ipv4Length, int ipv6Length) {
        public static final Aggregation OFF = new Aggregation(0, 24, 64);

        public Aggregation {
            if (threshold < 0 || ipv4Length < 1 || ipv4Length > 31 || ipv6Length < 1 || ipv6Length > 127) {
                throw new IllegalArgumentException("aggregation: threshold >= 0, ipv4 length 1..31, ipv6 length 1..127; got "
                        + threshold + ", " + ipv4Length + ", " + ipv6Length);
            }
        }

        public boolean enabled() {
            return threshold > 0;
        }
    }

    public JailPolicy {
        if (name == null || name.isEmpty() || name.length() > 200) {
            throw new IllegalArgumentException("jail name must be 1 to 200 characters");
        }
        if (maxRetry < 1) {
            throw new IllegalArgumentException("jail " + name + ": maxretry must be at least 1, got " + maxRetry);
        }
        if (findTimeMillis <= 0) {
            throw new IllegalArgumentException("jail " + name + ": findtime must be positive, got " + findTimeMillis + " ms");
        }
        if (banTimeMillis == 0) {
            throw new IllegalArgumentException("jail " + name + ": bantime must not be 0");
        }
        if (ipv4Mask < 1 || ipv4Mask > 32 || ipv6Mask < 1 || ipv6Mask > 128) {
            throw new IllegalArgumentException("jail " + name + ": ipv4mask 1..32 and ipv6mask 1..128, got "
                    + ipv4Mask + ", " + ipv6Mask);
        }
        increment = increment == null ? BanIncrement.OFF : increment;
        ignore = ignore == null ? IgnoreList.NONE : ignore;
        aggregation = aggregation == null ? Aggregation.OFF : aggregation;
    }

    /** fail2ban's defaults otherwise: no increment, no ignore list, per-address, no aggregation. */
    public static JailPolicy of(String name, int maxRetry, long findTimeMillis, long banTimeMillis) {
        return new JailPolicy(name, maxRetry, findTimeMillis, banTimeMillis, BanIncrement.OFF, IgnoreList.NONE, 32, 128,
                Aggregation.OFF);
    }

    public boolean permanent() {
        return banTimeMillis < 0;
    }

    public JailPolicy withIncrement(BanIncrement i) {
        return new JailPolicy(name, maxRetry, findTimeMillis, banTimeMillis, i, ignore, ipv4Mask, ipv6Mask, aggregation);
    }

    public JailPolicy withIgnore(IgnoreList l) {
        return new JailPolicy(name, maxRetry, findTimeMillis, banTimeMillis, increment, l, ipv4Mask, ipv6Mask, aggregation);
    }

    public JailPolicy withMasks(int v4, int v6) {
        return new JailPolicy(name, maxRetry, findTimeMillis, banTimeMillis, increment, ignore, v4, v6, aggregation);
    }

    public JailPolicy withAggregation(Aggregation a) {
        return new JailPolicy(name, maxRetry, findTimeMillis, banTimeMillis, increment, ignore, ipv4Mask, ipv6Mask, a);
    }
}
