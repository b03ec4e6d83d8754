package ips.config;

import java.util.List;

/**
 * A jail's {@code bantime.*} settings as written (fail2ban's names), durations in seconds.
 *
 * @param enabled      {@code bantime.increment}
 * @param factor       {@code bantime.factor} as written, null when unset (fail2ban: 1)
 * @param formula      {@code bantime.formula} as written, null when unset
 * @param multipliers  {@code bantime.multipliers}, empty when unset (then the formula applies)
 * @param maxTime      {@code bantime.maxtime} in seconds, null when unset
 * @param rndTime      {@code bantime.rndtime} in seconds, null when unset
 * @param overallJails {@code bantime.overalljails}
 * @param written      {@code bantime.increment} is set at all (fail2ban's {@code get JAIL
 *                     bantime.increment} answers None while it is not)
 */
public record BanTimeIncrement(boolean enabled, String factor, String formula, List<Long> multipliers,
        Long maxTime, Long rndTime, boolean overallJails, boolean written) {
    public BanTimeIncrement {
        multipliers = List.copyOf(multipliers);
    }
}
