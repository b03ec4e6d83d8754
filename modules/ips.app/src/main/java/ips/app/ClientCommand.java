package ips.app;

import ips.app.control.ControlClient;
import ips.app.control.ControlReply;
import ips.app.daemon.ConfigSource;
import ips.config.ConfigException;
import ips.config.PortcullisSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * fail2ban-client's verbs ({@code status}, {@code ban}, {@code unban}, {@code banned},
 * {@code reload}, {@code get}, {@code stop}, {@code ping}): sent to the running daemon over its
 * control socket. {@code --json} asks for JSON; {@code --socket PATH} picks another daemon, and
 * so does {@code --config DIR} (fail2ban-client's {@code -c}): the daemon of that tree, on the
 * socket its {@code portcullis.conf} names. Without either, the socket is the one the installed
 * tree names, as fail2ban-client reads fail2ban.conf's ({@link #socketOf}).
 */
final class ClientCommand {
    static final Path DEFAULT_SOCKET = PortcullisSettings.defaults().socket();
    /** Exit status when no daemon answers (fail2ban-client uses 255; we keep it distinct from errors). */
    static final int NOT_RUNNING = 3;
    /** fail2ban-client's exit status for any failure ({@code sys.exit(-1)}). */
    static final int FAIL2BAN_CLIENT_ERROR = 255;

    /**
     * Whether this process was invoked through a link named fail2ban-client (the launcher says so
     * with {@code -Dportcullis.client=fail2ban-client}): errors are then answered as fail2ban-client
     * answers them, the daemon's refusal on standard output and exit status 255.
     */
    static boolean asFail2banClient() {
        return "fail2ban-client".equals(System.getProperty("portcullis.client"));
    }

    private ClientCommand() {}

    static int run(String verb, String[] args, PrintStream out, PrintStream err) {
        Path socket = null;
        Path config = null;
        List<String> request = new ArrayList<>();
        request.add(verb);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--socket") || args[i].equals("--config")) {
                if (i + 1 >= args.length) {
                    err.println("portcullis " + verb + ": " + args[i] + " needs a path");
                    return 2;
                }
                if (args[i].equals("--socket")) {
                    socket = Path.of(args[++i]);
                } else {
                    config = Path.of(args[++i]);
                }
            } else if (args[i].startsWith("--socket=")) {
                socket = Path.of(args[i].substring("--socket=".length()));
            } else if (args[i].startsWith("--config=")) {
                config = Path.of(args[i].substring("--config=".length()));
            } else {
                request.add(args[i]);
            }
        }
        if (socket == null) {
            if (config != null && !Files.isDirectory(config)) {
                err.println("portcullis " + verb + ": configuration directory " + config + " does not exist");
                return 2;
            }
            socket = socketOf(config != null ? config : ConfigSource.installed(), System.getenv("PORTCULLIS_SOCKET"));
        }
        boolean f2b = asFail2banClient();
        try {
            ControlReply reply = ControlClient.send(socket, request);
            if (reply.ok()) {
                out.print(reply.body());
                return 0;
            }
            if (f2b && verb.equals("reload")) {
                // fail2ban-client reads the configuration itself and logs what is wrong with it
                ips.app.ops.EventLog log = ips.app.ops.EventLog.forTarget("STDERR");
                log.error("fail2ban", "Failed during configuration: " + reply.body().strip());
                log.flush();
                return FAIL2BAN_CLIENT_ERROR;
            }
            if (f2b) { // fail2ban-client prints the server's refusal on standard output
                out.print(reply.body());
                if (!reply.body().endsWith("\n")) {
                    out.println();
                }
                return FAIL2BAN_CLIENT_ERROR;
            }
            err.print("portcullis " + verb + ": " + reply.body());
            if (!reply.body().endsWith("\n")) {
                err.println();
            }
            return 1;
        } catch (ControlClient.NotRunningException e) {
            err.println("portcullis " + verb + ": " + e.getMessage());
            return f2b ? FAIL2BAN_CLIENT_ERROR : NOT_RUNNING;
        } catch (IOException | IllegalArgumentException e) {
            err.println("portcullis " + verb + ": " + e.getMessage());
            return f2b ? FAIL2BAN_CLIENT_ERROR : 1;
        }
    }

    /**
     * The socket the daemon reading {@code configDir} listens on, as {@code run} picks it: the
     * {@code socket} of the tree's {@code portcullis.conf} (or /etc/portcullis's beside
     * /etc/fail2ban), else {@code $PORTCULLIS_SOCKET}, else the default. A tree whose settings
     * cannot be read (a user outside the socket's group may not read them) gives the default.
     */
    static Path socketOf(Path configDir, String env) {
        Path configured = DEFAULT_SOCKET;
        if (configDir != null) {
            try {
                configured = PortcullisSettings.load(ConfigSource.settingsDir(configDir)).socket();
            } catch (ConfigException | RuntimeException e) {
                configured = DEFAULT_SOCKET;
            }
        }
        if (!configured.equals(DEFAULT_SOCKET)) {
            return configured;
        }
        return env == null || env.isBlank() ? DEFAULT_SOCKET : Path.of(env);
    }
}
