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
        try {
            ControlReply reply = ControlClient.send(socket, request);
            if (reply.ok()) {
                out.print(reply.body());
                return 0;
            }
            err.print("portcullis " + verb + ": " + reply.body());
            if (!reply.body().endsWith("\n")) {
                err.println();
            }
            return 1;
        } catch (ControlClient.NotRunningException e) {
            err.println("portcullis " + verb + ": " + e.getMessage());
            return NOT_RUNNING;
        } catch (IOException | IllegalArgumentException e) {
            err.println("portcullis " + verb + ": " + e.getMessage());
            return 1;
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
