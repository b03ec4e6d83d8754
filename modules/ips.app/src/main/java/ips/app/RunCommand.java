package ips.app;

import ips.api.ServiceNotifier;
import ips.app.control.ControlServer;
import ips.app.daemon.ConfigSnapshot;
import ips.app.daemon.ConfigSource;
import ips.app.daemon.ControlCommands;
import ips.app.daemon.Daemon;
import ips.app.daemon.DaemonMetrics;
import ips.app.daemon.DeferredNotifier;
import ips.app.daemon.StateLock;
import ips.app.ops.EventLog;
import ips.app.ops.MetricsServer;
import ips.config.ConfigException;
import ips.config.Fail2banSettings;
import ips.config.PortcullisSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code portcullis run [--config DIR] [--socket PATH]}: the daemon, in the foreground. */
final class RunCommand {
    private RunCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path config = null;
        Path socketOverride = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (++i >= args.length) {
                        err.println("portcullis run: --config needs a directory");
                        return 2;
                    }
                    config = Path.of(args[i]);
                }
                case "--socket", "-s" -> {
                    if (++i >= args.length) {
                        err.println("portcullis run: --socket needs a path");
                        return 2;
                    }
                    socketOverride = Path.of(args[i]);
                }
                case "--foreground", "-f", "-x" -> { }
                default -> {
                    err.println("portcullis run: unknown option '" + args[i] + "'");
                    return 2;
                }
            }
        }
        Path dir;
        EventLog log;
        PortcullisSettings early;
        ServiceNotifier notifier;
        try {
            dir = ConfigSource.resolve(config, Path.of(System.getProperty("java.io.tmpdir"), "portcullis-" + System.getProperty("user.name")));
            Fail2banSettings f2b = Fail2banSettings.load(dir);
            java.util.List<String> logProblem = new java.util.ArrayList<>(1);
            log = EventLog.forTargetOrStderr(f2b.logTarget(), logProblem::add);
            boolean debug = "DEBUG".equalsIgnoreCase(f2b.logLevel());
            log.setDebug(debug);
            ips.app.ops.EventLoggerFinder.use(log, debug);
            for (String p : logProblem) {
                log.warning("portcullis.server", p);
            }
            // sd_notify is linked by the daemon off the main thread, while the configuration is
            // read (Daemon.start), after the logger is set: a warning about NOTIFY_SOCKET goes to
            // the logtarget.
            notifier = new DeferredNotifier();
            early = PortcullisSettings.load(ConfigSource.settingsDir(dir));
        } catch (IOException | ConfigException e) {
            err.println("portcullis run: " + e.getMessage());
            return 1;
        }
        StateLock stateLock = null;
        try {
            stateLock = StateLock.acquire(early.stateDir(), EventLog.ownPid());
        } catch (StateLock.HeldException e) {
            log.error("portcullis.server", e.getMessage());
            log.flush();
            return 1;
        } catch (IOException | RuntimeException e) {
            log.warning("portcullis.server", "cannot lock state directory " + early.stateDir() + " (" + e.getMessage()
                    + "): a second daemon on it would not be refused");
        }
        Daemon daemon = new Daemon(dir, log, notifier);
        String envSocket = System.getenv("PORTCULLIS_SOCKET");
        Path socket = socketOverride != null ? socketOverride
                : envSocket != null && !envSocket.isBlank() && early.socket().equals(PortcullisSettings.defaults().socket())
                ? Path.of(envSocket) : early.socket();
        if (Files.exists(socket) && ControlServer.answers(socket)) { // before the firewall or the ledger is touched
            log.error("portcullis.server", "another Portcullis answers on the control socket " + socket
                    + "; not starting a second one");
            log.flush();
            if (stateLock != null) {
                stateLock.close();
            }
            return 1;
        }
        ControlServer control = new ControlServer(socket, early.socketGroup(), new ControlCommands(daemon));
        MetricsServer metrics = null;
        try {
            daemon.start();
            control.start();
            if (early.metricsPort() > 0) {
                metrics = MetricsServer.start(early.metricsHost() + ":" + early.metricsPort(), () -> DaemonMetrics.render(daemon, control));
                log.info("portcullis.server", "metrics on http://" + early.metricsHost() + ":" + metrics.port() + "/metrics");
            }
        } catch (ConfigSnapshot.InvalidConfigException e) {
            log.error("portcullis.config", e.getMessage());
            daemon.close();
            control.close();
            return 1;
        } catch (Exception e) {
            log.error("portcullis.server", "cannot start: " + e.getMessage());
            daemon.close();
            control.close();
            return 1;
        }
        MetricsServer m = metrics;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            control.close();
            if (m != null) {
                m.close();
            }
            daemon.close();
        }, "shutdown"));
        try {
            daemon.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        control.close();
        if (metrics != null) {
            metrics.close();
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // best effort
        }
        if (stateLock != null) {
            stateLock.close();
        }
        return 0;
    }
}
