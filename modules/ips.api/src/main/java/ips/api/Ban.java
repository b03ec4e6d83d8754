package ips.api;

/**
 * A ban: one jail keeps {@code target} out until {@code expiresAtMillis} (epoch milliseconds), or
 * for ever when it is {@link #PERMANENT}.
 */
public record Ban(String jail, IpPrefix target, long expiresAtMillis) {
    /** The expiry of a ban that never ends (fail2ban's negative bantime). */
    public static final long PERMANENT = Long.MAX_VALUE;

    public Ban {
        if (jail == null || jail.isEmpty()) {
            throw new IllegalArgumentException("jail name is empty");
        }
        if (target == null) {
            throw new IllegalArgumentException("ban target is null");
        }
    }

    public boolean isPermanent() {
        return expiresAtMillis == PERMANENT;
    }

    /** Milliseconds left at {@code nowMillis}: 0 when over, {@link Long#MAX_VALUE} when permanent. */
    public long remainingMillis(long nowMillis) {
        if (isPermanent()) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, expiresAtMillis - nowMillis);
    }
}
