package ips.logfile;

import ips.api.LogSource;
import ips.api.LogSourceProvider;
import ips.api.LogSourceSpec;
import java.io.IOException;

/** fail2ban's {@code backend = auto|polling|pyinotify|gamin}: {@link FileLogSource}. */
public final class FileLogSourceProvider implements LogSourceProvider {

    @Override
    public String backend() {
        return "file";
    }

    @Override
    public String unavailableReason() {
        return null; // needs nothing but the JDK
    }

    @Override
    public LogSource open(LogSourceSpec spec) throws IOException {
        return new FileLogSource(spec);
    }
}
