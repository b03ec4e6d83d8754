package ips.filter.tester;

import ips.api.LogSource;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Opens the systemd journal for test-filter's {@code systemd-journal[OPTIONS]} LOG, as
 * fail2ban-regex reads it: every entry from the oldest, through the journal matches, each line
 * as fail2ban formats a journal entry and with the entry's own time. The journal source is a
 * backend module the image may or may not link; the {@code portcullis} command supplies it.
 */
@FunctionalInterface
public interface JournalOpener {
    /**
     * @param journalMatch the matches, one filter {@code journalmatch} line each (terms of a line
     *     ANDed, {@code +} and lines ORed); empty for every entry
     * @param options fail2ban's {@code journalpath}, {@code journalfiles}, {@code journalflags}
     * @return a source that delivers the entries and returns 0 from a poll once it has no more
     */
    LogSource open(List<String> journalMatch, Map<String, String> options) throws IOException;
}
