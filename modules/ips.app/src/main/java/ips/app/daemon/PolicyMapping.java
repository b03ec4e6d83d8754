package ips.app.daemon;

import ips.config.BanTimeIncrement;
import ips.config.JailDefinition;
import ips.engine.BanIncrement;
import ips.engine.FormulaException;
import ips.engine.IgnoreList;
import ips.engine.JailPolicy;

/** A resolved jail's settings as the engine's {@link JailPolicy}. */
public final class PolicyMapping {
    private PolicyMapping() {}

    public static JailPolicy policy(JailDefinition j) throws FormulaException {
        BanTimeIncrement bi = j.banTimeIncrement();
        BanIncrement inc = BanIncrement.OFF;
        if (bi != null && bi.enabled()) {
            String multipliers = bi.multipliers().isEmpty() ? null
                    : String.join(" ", bi.multipliers().stream().map(String::valueOf).toList());
            inc = BanIncrement.of(true, bi.factor(), bi.formula(), multipliers,
                    bi.maxTime() == null ? -1 : bi.maxTime() * 1000, bi.rndTime() == null ? 0 : bi.rndTime() * 1000,
                    bi.overallJails());
        }
        IgnoreList ignore = IgnoreList.of(j.ignoreIp(), j.ignoreSelf(), IgnoreList.SYSTEM_RESOLVER);
        long banTime = j.banTime() < 0 ? -1 : Math.max(1, j.banTime()) * 1000;
        return new JailPolicy(j.name(), Math.max(1, j.maxRetry()), Math.max(1, j.findTime()) * 1000, banTime, inc,
                ignore, j.ipv4Mask(), j.ipv6Mask(), JailPolicy.Aggregation.OFF);
    }
}
