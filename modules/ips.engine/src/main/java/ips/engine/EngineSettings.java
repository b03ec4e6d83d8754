package ips.engine;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Settings of the engine as a whole.
 *
 * @param maxTrackedFailures the hard ceiling on keys with failures, all jails together (see {@link
 *     #entriesForBytes} to size it from a byte budget); the native recidive, when enabled, adds its
 *     own table of an eighth of that (at least 1024 entries) for bans per address
 * @param recidive the native recidive, {@link RecidivePolicy#OFF} by default
 * @param kernelExpires true when the enforcer expires bans itself (nftables timeouts); false (PF)
 *     makes {@link JailEngine#tick} lift bans whose time is over
 * @param ignoreRefreshMillis how often {@link JailEngine#tick} re-resolves ignoreip names and files
 * @param clock epoch milliseconds
 * @param random [0, 1) for {@code bantime.rndtime}
 */
public record EngineSettings(int maxTrackedFailures, RecidivePolicy recidive, boolean kernelExpires,
                             long ignoreRefreshMillis, LongSupplier clock, DoubleSupplier random) {
    public EngineSettings {
        if (maxTrackedFailures < 1) {
            throw new IllegalArgumentException("maxTrackedFailures must be at least 1");
        }
        recidive = recidive == null ? RecidivePolicy.OFF : recidive;
        clock = clock == null ? System::currentTimeMillis : clock;
        random = random == null ? Math::random : random;
        ignoreRefreshMillis = ignoreRefreshMillis <= 0 ? 300_000 : ignoreRefreshMillis;
    }

    public static EngineSettings of(int maxTrackedFailures) {
        return new EngineSettings(maxTrackedFailures, RecidivePolicy.OFF, true, 300_000, null, null);
    }

    public EngineSettings withRecidive(RecidivePolicy r) {
        return new EngineSettings(maxTrackedFailures, r, kernelExpires, ignoreRefreshMillis, clock, random);
    }

    public EngineSettings withClock(LongSupplier c) {
        return new EngineSettings(maxTrackedFailures, recidive, kernelExpires, ignoreRefreshMillis, c, random);
    }

    public EngineSettings withKernelExpires(boolean k) {
        return new EngineSettings(maxTrackedFailures, recidive, k, ignoreRefreshMillis, clock, random);
    }

    public EngineSettings withRandom(DoubleSupplier r) {
        return new EngineSettings(maxTrackedFailures, recidive, kernelExpires, ignoreRefreshMillis, clock, r);
    }

    /** How many tracked keys fit in a memory budget of {@code bytes}. */
    public static int entriesForBytes(long bytes) {
        return ips.engine.tracker.FailureTracker.entriesForBytes(bytes);
    }
}
