package ips.pf;

import ips.api.Enforcer;
import ips.api.EnforcerException;
import ips.api.EnforcerProvider;
import ips.api.EnforcerSettings;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code pf} backend, found by {@link java.util.ServiceLoader}. */
public final class PfEnforcerProvider implements EnforcerProvider {

    @Override
    public String name() {
        return "pf";
    }

    @Override
    public String unavailableReason() {
        return unavailableReason(System.getProperty("os.name", ""), ValueLayout.ADDRESS.byteSize(),
                Files.exists(Path.of(PfDevice.DEV_PF)));
    }

    static String unavailableReason(String osName, long pointerSize, boolean devPfExists) {
        if (!osName.startsWith("FreeBSD")) {
            return "pf needs FreeBSD (this is " + osName + ")";
        }
        if (pointerSize != 8) {
            return "pf's structures are laid out for 64-bit FreeBSD (amd64, arm64) only";
        }
        if (!devPfExists) {
            return PfDevice.DEV_PF + " is absent: load pf (kldload pf, or pf_enable=\"YES\" in rc.conf)";
        }
        return null;
    }

    @Override
    public Enforcer open(EnforcerSettings settings) throws EnforcerException {
        String why = unavailableReason();
        if (why != null) {
            throw new EnforcerException("open pf", 0, why);
        }
        int maxCount = PfDevice.sysctlUint(PfDevice.REQUEST_MAXCOUNT_SYSCTL, PfIoctls.DEFAULT_REQUEST_MAXCOUNT);
        return new PfEnforcer(PfDevice.open(), settings, System::currentTimeMillis, maxCount);
    }
}
