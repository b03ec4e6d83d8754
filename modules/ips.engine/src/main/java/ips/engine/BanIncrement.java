package ips.engine;

import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * fail2ban's {@code bantime.increment} and its options, as a pure function of (bantime, ban count)
 * ({@code observer.py} {@code incrBanTime}, {@code jail.py} {@code setBanTimeExtra}).
 *
 * <p>With {@code multipliers} the new time is {@code bantime * factor * multipliers[min(count,
 * last)]}; otherwise {@code max(bantime, formula)}. Then {@code maxtime} caps it and {@code
 * rndtime} adds up to that many random seconds. A first ban (count 0), a permanent bantime, or
 * increment off leaves bantime as it is.
 *
 * @param enabled {@code bantime.increment}
 * @param factor {@code bantime.factor} (fail2ban's default 1)
 * @param formula {@code bantime.formula}, compiled ({@code null}: fail2ban's default)
 * @param multipliers {@code bantime.multipliers} (empty: use the formula)
 * @param maxTimeMillis {@code bantime.maxtime}, or -1 for none
 * @param rndTimeMillis {@code bantime.rndtime}, or 0 for none
 * @param overallJails {@code bantime.overalljails}: count bans of the address in every jail
 */
public record BanIncrement(boolean enabled, double factor, Formula formula, int[] multipliers,
                           long maxTimeMillis, long rndTimeMillis, boolean overallJails) {

    /** fail2ban's default formula, from {@code jail.conf}. */
    public static final String DEFAULT_FORMULA = "ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor";

    private static final Formula DEFAULT;

    static {
        try {
            DEFAULT = Formula.compile(DEFAULT_FORMULA);
        } catch (FormulaException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Increment off, as fail2ban's default. */
    public static final BanIncrement OFF = new BanIncrement(false, 1, null, new int[0], -1, 0, false);

    public BanIncrement {
        formula = formula == null ? DEFAULT : formula;
        multipliers = multipliers == null ? new int[0] : multipliers.clone();
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("bantime.factor must be a positive number, got " + factor);
        }
    }

    /**
     * Builds the settings from the option texts as an operator writes them ({@code null} or empty =
     * unset). Durations are milliseconds already converted by the caller.
     */
    public static BanIncrement of(boolean enabled, String factor, String formula, String multipliers,
                                  long maxTimeMillis, long rndTimeMillis, boolean overallJails) throws FormulaException {
        double f = 1;
        if (factor != null && !factor.isBlank()) {
            // fail2ban eval()s the factor too ("2.0 / 2.885385" in jail.conf)
            f = Formula.compile(factor).evaluate(0, 0, 1);
        }
        int[] m = new int[0];
        if (multipliers != null && !multipliers.isBlank()) {
            String[] parts = multipliers.trim().split("\\s+");
            m = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    m[i] = Integer.parseInt(parts[i]);
                } catch (NumberFormatException e) {
                    throw new FormulaException(multipliers, i, "bantime.multipliers: '" + parts[i] + "' is not an integer");
                }
            }
        }
        Formula compiled = formula == null || formula.isBlank() ? null : Formula.compile(formula);
        return new BanIncrement(enabled, f, compiled, m, maxTimeMillis, rndTimeMillis, overallJails);
    }

    /**
     * The ban time for a ban whose address was banned {@code previousBans} times before, fail2ban's
     * result for the same history. {@code random} gives [0, 1) for rndtime.
     */
    public long banTimeMillis(long banTimeMillis, int previousBans, DoubleSupplier random) {
        if (!enabled || banTimeMillis <= 0 || previousBans <= 0) {
            return banTimeMillis;
        }
        double seconds = banTimeMillis / 1000.0;
        double t;
        if (multipliers.length > 0) {
            int i = previousBans < multipliers.length ? previousBans : multipliers.length - 1;
            t = seconds * factor * multipliers[i];
        } else {
            t = Math.max(seconds, formula.evaluate(seconds, previousBans, factor));
        }
        if (Double.isNaN(t)) {
            t = seconds;
        }
        if (maxTimeMillis >= 0) {
            t = Math.min(t, maxTimeMillis / 1000.0);
        }
        if (rndTimeMillis > 0) {
            t += random.getAsDouble() * (rndTimeMillis / 1000.0);
        }
        double ms = t * 1000.0;
        return ms >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : Math.round(ms);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BanIncrement b && b.enabled == enabled && b.factor == factor
                && b.formula.text().equals(formula.text()) && Arrays.equals(b.multipliers, multipliers)
                && b.maxTimeMillis == maxTimeMillis && b.rndTimeMillis == rndTimeMillis && b.overallJails == overallJails;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(enabled) * 31 + formula.text().hashCode() * 17 + Arrays.hashCode(multipliers);
    }

    @Override
    public String toString() {
        return "BanIncrement[enabled=" + enabled + ", factor=" + factor + ", formula=" + formula.text()
                + ", multipliers=" + Arrays.toString(multipliers) + ", maxtime=" + maxTimeMillis + "ms, rndtime="
                + rndTimeMillis + "ms, overalljails=" + overallJails + "]";
    }
}
