package ips.app;

import ips.api.JailRule;
import ips.api.LogSource;
import ips.api.LogSourceProvider;
import ips.api.LogSourceSpec;
import ips.app.daemon.ActionMapping;
import ips.app.daemon.ConfigSnapshot;
import ips.app.daemon.ConfigSource;
import ips.config.JailDefinition;
import ips.config.LogPath;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * {@code portcullis check-config [DIR]}: reads a configuration tree as {@code run} would,
 * compiles every enabled jail's filter, and prints the resolved jails, how each of their actions
 * was mapped to the firewall and what was not mapped.
 * Exit status 0 when the tree would run, 1 otherwise (with the file, line and key).
 */
final class CheckConfigCommand {
    private CheckConfigCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path explicit = null;
        for (String a : args) {
            if (a.equals("--config") || a.equals("-c")) {
                continue;
            }
            explicit = Path.of(a);
        }
        ConfigSnapshot s;
        try {
            Path dir = ConfigSource.resolve(explicit, Path.of(System.getProperty("java.io.tmpdir"), "portcullis-check"));
            // as a start reads it: a jail with errors is skipped and said, the others are shown
            s = ConfigSnapshot.load(dir, false);
        } catch (IOException | ConfigSnapshot.InvalidConfigException e) {
            err.println("portcullis check-config: " + e.getMessage());
            return 1;
        }
        out.println("Configuration " + s.dir() + ": " + s.setups().size() + " enabled jail(s)");
        for (JailDefinition j : s.jails().jails()) {
            ConfigSnapshot.JailSetup setup = s.setups().get(j.name());
            if (setup == null) {
                continue; // not run: said among the notices
            }
            JailRule r = setup.rule();
            out.println();
            out.println("[" + j.name() + "]");
            out.println("  filter     " + (j.filterSpec().isEmpty() ? "none, the jail's own regexes" : j.filterSpec()) + " (" + setup.filter().failRegexCount() + " failregex)");
            out.println("  source     " + (j.usesJournal() ? "journal " + (j.journalPaths().isEmpty() ? ""
                    : String.join(" ", j.journalPaths()) + " ") + j.filter().journalmatch()
                    : j.logPaths().stream().map(p -> p.glob() + (p.tail() ? "" : " head")).toList()
                            + (j.logEncoding() == null ? "" : " (read as " + j.logEncoding().name() + ")")));
            for (String missing : notFollowed(j)) {
                out.println("  missing    " + missing);
            }
            for (String own : ownLog(j, s.fail2ban().logTarget())) {
                out.println("  own log    " + own);
            }
            out.println("  maxretry   " + j.maxRetry() + ", findtime " + j.findTime() + " s, bantime "
                    + (j.banTime() < 0 ? "permanent" : j.banTime() + " s")
                    + (j.banTimeIncrement() != null && j.banTimeIncrement().enabled() ? " (increment)" : ""));
            out.println("  firewall   " + (r.allPorts() ? "all ports" : r.protocol().name().toLowerCase(java.util.Locale.ROOT)
                    + " ports " + r.ports()) + ", " + (r.blockType() != null
                            ? r.blockType().name().toLowerCase(java.util.Locale.ROOT) + " (the jail's blocktype)"
                            : s.settings().blockType() + " (portcullis.conf)"));
            for (String line : ActionMapping.describe(j, s.settings().forward())) {
                out.println("  action     " + line);
            }
            if (!setup.notMapped().isEmpty()) {
                out.println("  not run    " + String.join(", ", setup.notMapped()));
            }
        }
        if (!s.notices().isEmpty()) {
            out.println();
            out.println("Notices:");
            s.notices().forEach(n -> out.println("  " + n));
        }
        List<String> skipped = new ArrayList<>(s.jails().skipped().keySet());
        for (JailDefinition j : s.jails().jails()) {
            if (!s.setups().containsKey(j.name())) {
                skipped.add(j.name());
            }
        }
        if (!skipped.isEmpty()) {
            err.println("portcullis check-config: " + skipped.size() + " enabled jail(s) would not run: "
                    + String.join(", ", skipped) + " (see Notices); reload refuses this tree, a start runs without them");
            return 1;
        }
        return 0;
    }

    /**
     * What a jail names but its log source cannot read now, as the daemon would say at start: a
     * logpath that matches no file (fail2ban refuses such a jail: "Have not found any log file"),
     * or a system journal with no journal file or none it may read. Asks the linked source itself,
     * opened without a state directory and closed at once, so globs, paths and journals are
     * judged exactly as {@code run} judges them.
     */
    /**
     * Where the daemon gives the jail its own log lines instead of what the jail names: the journal
     * of fail2ban.service (the service Portcullis replaces), or the logtarget file when the daemon
     * cannot write it (as under the packaged service, whose user may not write /var/log).
     */
    private static List<String> ownLog(JailDefinition j, String logTarget) {
        if (j.usesJournal()) {
            return j.journalPaths().isEmpty() && ips.app.daemon.Daemon.readsFail2banService(j.filter().journalmatch())
                    ? List.of("fail2ban.service is the service Portcullis replaces: the jail reads this daemon's own log lines")
                    : List.of();
        }
        String target = logTarget == null ? "" : logTarget.strip();
        if (!target.startsWith("/")) {
            return List.of();
        }
        String t = Path.of(target).normalize().toString();
        return j.logPaths().stream().anyMatch(p -> Path.of(p.glob()).toAbsolutePath().normalize().toString().equals(t))
                ? List.of(t + " is fail2ban.conf's logtarget: where the daemon cannot write it (the packaged service),"
                        + " the jail reads this daemon's own log lines")
                : List.of();
    }

    private static List<String> notFollowed(JailDefinition j) {
        String backend = j.usesJournal() ? "systemd" : "file";
        List<String> paths = j.usesJournal() ? j.journalPaths() : j.logPaths().stream().map(LogPath::glob).toList();
        if (!j.usesJournal() && paths.isEmpty()) {
            return List.of();
        }
        String what = j.usesJournal() ? (paths.isEmpty() ? "the journal" : "the journal " + String.join(" ", paths))
                : String.join(", ", paths);
        for (LogSourceProvider p : ServiceLoader.load(LogSourceProvider.class)) {
            if (!p.backend().equals(backend)) {
                continue;
            }
            if (p.unavailableReason() != null) {
                return List.of(what + ": cannot be read here (" + p.unavailableReason() + ")");
            }
            List<String> matches = j.usesJournal() ? j.filter().journalmatch() : List.of();
            try (LogSource s = p.open(new LogSourceSpec(j.name(), paths, matches, LogSourceSpec.Start.TAIL, null,
                    LogSourceSpec.NO_SINCE, null, j.journalFlags()))) {
                return s.notFollowed();
            } catch (IOException | RuntimeException e) {
                return List.of(what + ": cannot be opened (" + e.getMessage() + ")");
            }
        }
        return List.of(what + ": this image has no " + (j.usesJournal() ? "journal" : "file") + " source");
    }
}
