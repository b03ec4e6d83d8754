package ips.app;

import ips.app.control.ControlClient;
import ips.app.control.ControlReply;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * fail2ban-client's verbs ({@code status}, {@code ban}, {@code unban}, {@code banned},
 * {@code reload}, {@code get}, {@code stop}, {@code ping}): sent to the running daemon over its
 * control socket. {@code --json} asks for JSON; {@code --socket PATH} picks another daemon.
 */
final class ClientCommand {
    static final Path DEFAULT_SOCKET = Path.of("/run/portcullis/portcullis.sock");
    /** Exit status when no daemon answers (fail2ban-client uses 255; we keep it distinct from errors). */
    static final int NOT_RUNNING = 3;

    private ClientCommand() {}

    static int run(String verb, String[] args, PrintStream out, PrintStream err) {
        Path socket = defaultSocket();
        List<String> request = new ArrayList<>();
        request.add(verb);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--socket")) {
                if (i + 1 >= args.length) {
                    err.println("portcullis " + verb + ": --socket needs a path");
                    return 2;
                }
                socket = Path.of(args[++i]);
            } else if (args[i].startsWith("--socket=")) {
                socket = Path.of(args[i].substring("--socket=".length()));
            } else {
                request.add(args[i]);
            }
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

    static Path defaultSocket() {
        String env = System.getenv("PORTCULLIS_SOCKET");
        return env == null || env.isBlank() ? DEFAULT_SOCKET : Path.of(env);
    }
}
