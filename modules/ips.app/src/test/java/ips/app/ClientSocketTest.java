package ips.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which daemon a client command talks to: the socket the configuration tree's portcullis.conf
 * names (as fail2ban-client reads fail2ban.conf's), else {@code $PORTCULLIS_SOCKET}, else the default.
 */
class ClientSocketTest {
    @TempDir
    Path dir;

    @Test
    void theTreesOwnSocketWins() throws Exception {
        Files.writeString(dir.resolve("portcullis.conf"), "[portcullis]\nsocket = /run/elsewhere/p.sock\n");
        assertEquals(Path.of("/run/elsewhere/p.sock"), ClientCommand.socketOf(dir, "/run/env.sock"));
        Files.writeString(dir.resolve("portcullis.local"), "[portcullis]\nsocket = /run/local/p.sock\n");
        assertEquals(Path.of("/run/local/p.sock"), ClientCommand.socketOf(dir, null));
    }

    @Test
    void withoutOneTheEnvironmentThenTheDefault() throws Exception {
        Files.createDirectories(dir.resolve("plain"));
        assertEquals(Path.of("/run/env.sock"), ClientCommand.socketOf(dir.resolve("plain"), "/run/env.sock"));
        assertEquals(ClientCommand.DEFAULT_SOCKET, ClientCommand.socketOf(dir.resolve("plain"), " "));
        assertEquals(ClientCommand.DEFAULT_SOCKET, ClientCommand.socketOf(null, null));
        // settings that cannot be read leave the default (the daemon itself says what is wrong with them)
        Files.writeString(dir.resolve("portcullis.conf"), "no section here\n");
        assertEquals(ClientCommand.DEFAULT_SOCKET, ClientCommand.socketOf(dir, null));
    }

    @Test
    void aClientCommandOnATreeSaysWhichSocketNoDaemonAnswers() throws Exception {
        Path sock = dir.resolve("run/p.sock");
        Files.writeString(dir.resolve("portcullis.conf"), "[portcullis]\nsocket = " + sock + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"-q", "-c", dir.toString(), "status", "sshd"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(ClientCommand.NOT_RUNNING, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(sock.toString()), err.toString(StandardCharsets.UTF_8));

        err.reset();
        status = Main.run(new String[] {"-c", dir.resolve("nothing").toString(), "ping"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("does not exist"), err.toString(StandardCharsets.UTF_8));
    }
}
