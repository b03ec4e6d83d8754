package ips.api;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * What one jail asks of a log source.
 *
 * @param jail the jail the lines are for (names state files and metrics)
 * @param paths fail2ban's {@code logpath} entries (globs allowed) for file sources; empty for the journal
 * @param journalMatch fail2ban's {@code journalmatch} terms for the journal; empty for files
 * @param start where to begin when there is no saved position ({@code head} or {@code tail})
 * @param stateDir where the source keeps its resume position (offset and head fingerprint, or
 *     journal cursor); {@code null} keeps none
 * @param sinceMillis for a {@code tail} source with no saved position that can seek by time (the
 *     journal): begin with the entries from this time on, epoch milliseconds, as fail2ban's systemd
 *     backend starts at now − findtime; {@link #NO_SINCE} begins at the end
 * @param encoding how a file source decodes its lines (fail2ban's {@code logencoding}); UTF-8 when
 *     null, as fail2ban's {@code auto} on a UTF-8 host. Bytes that are not valid in it are replaced.
 * @param journalFlags for the journal without {@code paths}: the flags of {@code sd_journal_open}
 *     (fail2ban's {@code journalflags}), or {@link #DEFAULT_JOURNAL_FLAGS} for the source's default
 */
public record LogSourceSpec(String jail, List<String> paths, List<String> journalMatch, Start start, Path stateDir,
        long sinceMillis, Charset encoding, int journalFlags) {
    /** No start time: a {@code tail} source begins after its last entry. */
    public static final long NO_SINCE = 0;
    /** No {@code journalflags} given: the journal source opens the local system journal. */
    public static final int DEFAULT_JOURNAL_FLAGS = -1;

    public LogSourceSpec {
        paths = paths == null ? List.of() : List.copyOf(paths);
        journalMatch = journalMatch == null ? List.of() : List.copyOf(journalMatch);
        start = start == null ? Start.TAIL : start;
        sinceMillis = Math.max(NO_SINCE, sinceMillis);
        encoding = encoding == null ? StandardCharsets.UTF_8 : encoding;
        journalFlags = Math.max(DEFAULT_JOURNAL_FLAGS, journalFlags);
    }

    /** A spec with the journal's default flags. */
    public LogSourceSpec(String jail, List<String> paths, List<String> journalMatch, Start start, Path stateDir,
            long sinceMillis, Charset encoding) {
        this(jail, paths, journalMatch, start, stateDir, sinceMillis, encoding, DEFAULT_JOURNAL_FLAGS);
    }

    /** A spec read as UTF-8. */
    public LogSourceSpec(String jail, List<String> paths, List<String> journalMatch, Start start, Path stateDir,
            long sinceMillis) {
        this(jail, paths, journalMatch, start, stateDir, sinceMillis, null);
    }

    /** A spec without a start time ({@link #NO_SINCE}). */
    public LogSourceSpec(String jail, List<String> paths, List<String> journalMatch, Start start, Path stateDir) {
        this(jail, paths, journalMatch, start, stateDir, NO_SINCE, null);
    }

    /** fail2ban's {@code logpath = … head|tail}. */
    public enum Start {
        HEAD,
        TAIL
    }
}
