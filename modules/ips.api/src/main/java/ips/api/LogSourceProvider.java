package ips.api;

import java.io.IOException;

/** Service-provider interface for log sources, found with {@link java.util.ServiceLoader}. */
public interface LogSourceProvider {

    /** fail2ban's {@code backend} this provider serves: {@code file} or {@code systemd}. */
    String backend();

    /** Why it cannot run here (for example, libsystemd missing), or {@code null} when it can. */
    String unavailableReason();

    LogSource open(LogSourceSpec spec) throws IOException;
}
