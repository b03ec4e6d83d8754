package ips.app.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
    @TempDir
    Path dir;

    private ControlServer server;
    private Path socket;

    @BeforeEach
    void start() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        socket = dir.resolve("run/portcullis.sock");
        server = new ControlServer(socket, null, args -> args.isEmpty() ? ControlReply.error("empty")
                : ControlReply.ok(String.join("|", args) + "\n"), 500);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersARequestWithEveryArgumentIntact() throws IOException {
        ControlReply r = ControlClient.send(socket, List.of("ban", "sshd", "192.0.2.1", "ünïcode arg with spaces"));
        assertTrue(r.ok());
        assertEquals("ban|sshd|192.0.2.1|ünïcode arg with spaces\n", r.body());
    }

    @Test
    void createsTheSocketWithMode0660() throws IOException {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    void servesManyClientsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<ControlReply>> replies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String n = Integer.toString(i);
                replies.add(pool.submit((Callable<ControlReply>) () -> ControlClient.send(socket, List.of("ping", n))));
            }
            for (int i = 0; i < replies.size(); i++) {
                assertEquals("ping|" + i + "\n", replies.get(i).get(10, TimeUnit.SECONDS).body());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesAnOversizedRequest() throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer big = ByteBuffer.allocate(ControlProtocol.MAX_REQUEST_BYTES + 10);
            while (big.hasRemaining() && ch.write(big) > 0) {
                // keep writing until the server stops reading
            }
            String reply = readAll(ch);
            assertTrue(reply.startsWith("ERR\nrequest larger than"), reply);
        } catch (IOException e) {
            // the server may also close on us mid-write; the point is that it did not accept it
            assertTrue(server.refusedCount() >= 1);
        }
        assertTrue(server.refusedCount() >= 1);
    }

    @Test
    void dropsAClientThatNeverFinishesItsRequest() throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("status".getBytes(StandardCharsets.UTF_8)));
            long t0 = System.nanoTime();
            String reply = readAll(ch);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(reply.startsWith("OK"), reply);
            assertTrue(ms < 5_000, "closed after " + ms + " ms");
        }
    }

    @Test
    void saysTheDaemonIsNotRunningWhenNoSocketExists() {
        ControlClient.NotRunningException e = assertThrows(ControlClient.NotRunningException.class,
                () -> ControlClient.send(dir.resolve("absent.sock"), List.of("ping")));
        assertTrue(e.getMessage().contains("not running"), e.getMessage());
    }

    @Test
    void refusesANonRootPeer() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a client as nobody");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "needs setpriv and python3");
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        String py = "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\n"
                + "s.sendall(b'ping\\n')\nprint(s.recv(4096).decode())";
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/usr/bin/python3", "-c", py, socket.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.startsWith("ERR\npermission denied: user nobody"), out);
        assertTrue(server.refusedCount() >= 1);
    }

    private static String readAll(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096);
        StringBuilder sb = new StringBuilder();
        while (ch.read(b) >= 0) {
            b.flip();
            sb.append(StandardCharsets.UTF_8.decode(b));
            b.clear();
        }
        return sb.toString();
    }
}
