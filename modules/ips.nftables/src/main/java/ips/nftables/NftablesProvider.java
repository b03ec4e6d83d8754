package ips.nftables;

import ips.api.Enforcer;
import ips.api.EnforcerException;
import ips.api.EnforcerProvider;
import ips.api.EnforcerSettings;

/** Finds the nftables enforcer through {@link java.util.ServiceLoader}; Linux only. */
public final class NftablesProvider implements EnforcerProvider {

    public NftablesProvider() {
    }

    @Override
    public String name() {
        return "nftables";
    }

    @Override
    public String unavailableReason() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            return "nftables needs Linux (this is " + os + ")";
        }
        return null;
    }

    @Override
    public Enforcer open(EnforcerSettings settings) throws EnforcerException {
        String why = unavailableReason();
        if (why != null) {
            throw new EnforcerException("open nftables", 0, why);
        }
        return NftablesEnforcer.open(settings);
    }
}
