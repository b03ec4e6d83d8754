package ips.app;

import ips.api.Enforcer;
import ips.api.EnforcerException;
import ips.api.EnforcerProvider;
import ips.api.EnforcerSettings;
import ips.app.control.ControlServer;
import ips.app.daemon.ConfigSource;
import ips.app.daemon.Daemon;
import ips.app.daemon.StateLock;
import ips.app.ops.EventLog;
import ips.config.ConfigException;
import ips.config.JailDefinition;
import ips.config.Jails;
import ips.config.JailsLoader;
import ips.config.PortcullisSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * {@code portcullis remove-firewall [--config DIR]}: takes Portcullis's bans and rules out of the
 * kernel for good, for a host that stops using it (the package runs it on removal). A stopped
 * daemon leaves its bans in the kernel, so that a restart loses none and a host is never open
 * while it restarts; fail2ban's stop flushes its chains instead. nftables: the daemon's table goes
 * with every chain, set and ban in it; pf: the tables of the configured jails. Refused while a
 * daemon runs on the same state directory or answers on the control socket ({@code portcullis
 * unban --all} lifts its bans). The ledger stays: a later start puts the unexpired bans back.
 */
final class RemoveFirewallCommand {
    private RemoveFirewallCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("--config") || args[i].equals("-c")) && i + 1 < args.length) {
                config = Path.of(args[++i]);
            } else {
                err.println("portcullis remove-firewall: unknown option '" + args[i] + "' (usage: remove-firewall [--config DIR])");
                return 2;
            }
        }
        Path dir;
        PortcullisSettings settings;
        List<String> jails = new ArrayList<>();
        try {
            dir = ConfigSource.resolve(config, Path.of(System.getProperty("java.io.tmpdir"), "portcullis-" + System.getProperty("user.name")));
            settings = PortcullisSettings.load(ConfigSource.settingsDir(dir));
        } catch (IOException | ConfigException e) {
            err.println("portcullis remove-firewall: " + e.getMessage());
            return 1;
        }
        try {
            Jails js = JailsLoader.load(dir);
            Set<String> names = new LinkedHashSet<>();
            for (JailDefinition j : js.jails()) {
                names.add(j.name());
            }
            names.addAll(js.skipped().keySet());
            if (settings.recidive() != null) {
                names.add(settings.recidive());
            }
            jails.addAll(names);
        } catch (ConfigException e) {
            // nftables needs no jail names; pf then removes nothing, and says so below
            err.println("portcullis remove-firewall: the jails cannot be read (" + e.getMessage() + ")");
        }
        if (Files.exists(settings.socket()) && ControlServer.answers(settings.socket())) {
            err.println("portcullis remove-firewall: Portcullis runs (it answers on " + settings.socket()
                    + "): stop it first, or lift its bans with portcullis unban --all");
            return 1;
        }
        StateLock lock = null;
        try {
            if (Files.isDirectory(settings.stateDir())) {
                lock = StateLock.acquire(settings.stateDir(), EventLog.ownPid());
            }
        } catch (StateLock.HeldException e) {
            err.println("portcullis remove-firewall: " + e.getMessage().replace("; not starting a second one", "")
                    + ": stop it first, or lift its bans with portcullis unban --all");
            return 1;
        } catch (IOException | RuntimeException e) {
            // a state directory we may not write: no daemon of ours holds it either
        }
        try (Enforcer e = Daemon.openFirewall(ServiceLoader.load(EnforcerProvider.class),
                new EnforcerSettings(settings.table(), EnforcerSettings.BlockType.DROP, false))) {
            int removed = e.removeAll(jails);
            String what = e.name().equals("nftables") ? "table inet " + settings.table() : removed + " table(s) of jails " + jails;
            out.println(removed == 0 ? e.name() + ": nothing to remove (no " + what + ")"
                    : e.name() + ": removed " + what + ", with every ban in it");
            return 0;
        } catch (EnforcerException ex) {
            err.println("portcullis remove-firewall: " + ex.getMessage());
            return 1;
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }
}
