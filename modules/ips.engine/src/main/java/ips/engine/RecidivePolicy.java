package ips.engine;

/**
 * A native recidive: bans in other jails count as failures of the address ({@code filter.d/recidive.conf}
 * counts "Ban" log lines the same way), and {@code maxRetry} of them within {@code findTimeMillis} ban the
 * address in jail {@code jail} for {@code banTimeMillis}, on all ports. Independent of a configured
 * {@code [recidive]} jail reading the log, which keeps working; give the native one another name.
 */
public record RecidivePolicy(boolean enabled, String jail, int maxRetry, long findTimeMillis, long banTimeMillis) {
    public static final long DAY = 86_400_000L;
    public static final RecidivePolicy OFF = new RecidivePolicy(false, "portcullis-recidive", 5, DAY, 7 * DAY);

    public RecidivePolicy {
        if (enabled && (jail == null || jail.isEmpty() || maxRetry < 1 || findTimeMillis <= 0 || banTimeMillis == 0)) {
            throw new IllegalArgumentException("recidive needs a jail name, maxretry >= 1, findtime > 0, bantime != 0");
        }
    }

    /** What the firewall must enforce for the native recidive: every port and protocol. */
    public ips.api.JailRule jailRule() {
        return ips.api.JailRule.allPorts(jail);
    }

    /** fail2ban's recidive jail defaults: findtime 1d, maxretry 5, bantime 1w. */
    public static RecidivePolicy standard(String jail) {
        return new RecidivePolicy(true, jail, 5, DAY, 7 * DAY);
    }
}
