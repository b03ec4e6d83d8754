package ips.journal.source;

import ips.api.LogSource;
import ips.api.LogSourceProvider;
import ips.api.LogSourceSpec;
import ips.journal.sd.LibSystemd;
import java.io.IOException;

/** fail2ban's {@code backend = systemd}: the journal through libsystemd, looked up on first use. */
public final class SystemdJournalProvider implements LogSourceProvider {

    private final String libraryName;
    private volatile LibSystemd.Loaded loaded;

    public SystemdJournalProvider() {
        this(LibSystemd.DEFAULT_NAME);
    }

    /** For tests: another library name (a missing one simulates FreeBSD or a minimal image). */
    SystemdJournalProvider(String libraryName) {
        this.libraryName = libraryName;
    }

    @Override
    public String backend() {
        return "systemd";
    }

    @Override
    public String unavailableReason() {
        return loaded().unavailableReason();
    }

    @Override
    public LogSource open(LogSourceSpec spec) throws IOException {
        LibSystemd.Loaded l = loaded();
        if (l.library() == null) {
            throw new IOException("[" + spec.jail() + "] backend systemd unavailable: " + l.unavailableReason());
        }
        return JournalSource.open(l.library(), spec);
    }

    private LibSystemd.Loaded loaded() {
        LibSystemd.Loaded l = loaded;
        if (l == null) {
            synchronized (this) {
                l = loaded;
                if (l == null) {
                    loaded = l = LibSystemd.load(libraryName);
                }
            }
        }
        return l;
    }
}
