package ips.config;

import ips.config.ini.OptionSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options of fail2ban's systemd backend, {@code backend = systemd[journalpath=DIR]}, as its
 * {@code FilterSystemd._getJournalArgs} reads them: {@code journalpath} (a directory of journal
 * files, such as systemd-journal-remote's), {@code journalfiles} (files or globs, split on spaces,
 * commas and newlines) and {@code journalflags} (which of the local journal's files: user, runtime,
 * system). Without a path the local system journal is read.
 *
 * @param paths the journal directory or files to read instead of the system journal (may be empty)
 * @param flags {@code journalflags} ({@code sd_journal_open}'s flags for the local journal), or
 *     null when not given
 */
public record JournalBackend(List<String> paths, Integer flags) {

    public JournalBackend {
        paths = List.copyOf(paths);
    }

    /** The options of a {@code backend} value such as {@code systemd[journalpath=/var/log/journal/remote]}. */
    public static JournalBackend of(String backend) {
        return of(OptionSyntax.extract(backend).options());
    }

    /**
     * Reads the options; IllegalArgumentException names one that fail2ban knows and Portcullis does
     * not ({@code namespace}) or that neither knows.
     */
    public static JournalBackend of(Map<String, String> options) {
        List<String> paths = new ArrayList<>();
        Integer flags = null;
        for (Map.Entry<String, String> o : options.entrySet()) {
            switch (o.getKey()) {
                case "journalpath" -> {
                    if (!o.getValue().isBlank()) {
                        paths.add(o.getValue().strip());
                    }
                }
                case "journalfiles" -> {
                    for (String f : o.getValue().split("[ ,\\n]+")) {
                        if (!f.isBlank()) {
                            paths.add(f.strip());
                        }
                    }
                }
                case "journalflags" -> {
                    try {
                        flags = Integer.parseInt(o.getValue().strip());
                    } catch (NumberFormatException e) {
                        flags = -1;
                    }
                    if (flags < 0) {
                        throw new IllegalArgumentException("journalflags must be a number (sd_journal_open's flags:"
                                + " 1 local only, 2 runtime only, 4 system, 8 current user), not '" + o.getValue().strip() + "'");
                    }
                }
                default -> throw new IllegalArgumentException("systemd backend option '" + o.getKey()
                        + "' is not supported (journalpath, journalfiles, journalflags)");
            }
        }
        return new JournalBackend(paths, flags);
    }

    /**
     * What is said once about {@code journalflags}, or null: they choose among the local journal's
     * files, so with a journalpath or journalfiles they are not used.
     */
    public String flagsNotice(String jail) {
        return flags == null || paths.isEmpty() ? null
                : "jail '" + jail + "': backend journalflags=" + flags + " is not used: it chooses among the local"
                        + " journal's files, and the jail reads the journalpath/journalfiles given";
    }

    /** {@code journalflags}, or {@code LogSourceSpec.DEFAULT_JOURNAL_FLAGS} (-1) when not given. */
    public int flagsOrDefault() {
        return flags == null ? -1 : flags;
    }
}
