package ips.app;

import ips.api.LogSource;
import ips.api.LogSourceProvider;
import ips.api.LogSourceSpec;
import ips.filter.tester.JournalOpener;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The journal for {@code portcullis test-filter systemd-journal[OPTIONS] FILTER}: the linked
 * {@code systemd} log source, read from its oldest entry, without a saved position. fail2ban's
 * {@code journalpath=DIR} and {@code journalfiles=FILE ...} pick other journals than the system's.
 */
final class TestFilterJournal implements JournalOpener {
    private final Iterable<LogSourceProvider> providers;

    TestFilterJournal(Iterable<LogSourceProvider> providers) {
        this.providers = providers;
    }

    /** The linked journal source, looked up when a journal is read (most runs read a file and never do). */
    static TestFilterJournal linked() {
        return new TestFilterJournal(() -> ServiceLoader.load(LogSourceProvider.class).iterator());
    }

    @Override
    public LogSource open(List<String> journalMatch, Map<String, String> options) throws IOException {
        ips.config.JournalBackend backend;
        try {
            backend = ips.config.JournalBackend.of(options);
        } catch (IllegalArgumentException e) {
            throw new IOException("systemd-journal: " + e.getMessage(), e);
        }
        for (LogSourceProvider p : providers) {
            if (p.backend().equals("systemd")) {
                String why = p.unavailableReason();
                if (why != null) {
                    throw new IOException("the journal cannot be read here: " + why);
                }
                return p.open(new LogSourceSpec("test-filter", backend.paths(), journalMatch, LogSourceSpec.Start.HEAD, null,
                        LogSourceSpec.NO_SINCE, null, backend.flagsOrDefault()));
            }
        }
        throw new IOException("this image has no journal source");
    }
}
