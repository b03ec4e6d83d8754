package ips.app;

import ips.api.JailRule;
import ips.app.daemon.ActionMapping;
import ips.app.daemon.ConfigSnapshot;
import ips.app.daemon.ConfigSource;
import ips.config.JailDefinition;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

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
            s = ConfigSnapshot.load(dir, true);
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
            out.println("  source     " + (j.usesJournal() ? "journal " + j.filter().journalmatch()
                    : j.logPaths().stream().map(p -> p.glob() + (p.tail() ? "" : " head")).toList()));
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
        return 0;
    }
}
