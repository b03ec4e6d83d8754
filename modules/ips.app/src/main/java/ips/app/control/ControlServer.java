package ips.app.control;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The Unix control socket ({@code /run/portcullis/portcullis.sock}): mode 0660, every peer's
 * credentials checked with {@code SO_PEERCRED} (root, the daemon's own user, or members of the
 * configured group), bounded requests, a deadline for each, many clients at once.
 */
public final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("portcullis.control");
    private static final int MAX_CLIENTS = 64;

    private final Path socketPath;
    private final String group;
    private final ControlHandler handler;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final AtomicLong refused = new AtomicLong();
    private final ScheduledExecutorService deadlines;
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    private ServerSocketChannel server;
    private Thread acceptor;
    private final long requestTimeoutMillis;
    private final String ownUser = System.getProperty("user.name", "");

    /**
     * @param group a group whose members may use the socket besides root, or {@code null}
     */
    public ControlServer(Path socketPath, String group, ControlHandler handler) {
        this(socketPath, group, handler, ControlProtocol.REQUEST_TIMEOUT_MILLIS);
    }

    /** As above, with the time a client has to send its request. */
    public ControlServer(Path socketPath, String group, ControlHandler handler, long requestTimeoutMillis) {
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.socketPath = socketPath;
        this.group = group == null || group.isBlank() ? null : group.strip();
        this.handler = handler;
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "control-deadlines");
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds the socket (replacing a stale file) and starts accepting. */
    public void start() throws IOException {
        Path dir = socketPath.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
            setGroup(dir);
        }
        if (Files.exists(socketPath) && answers(socketPath)) {
            throw new IOException("another Portcullis answers on the control socket " + socketPath + "; not starting a second one");
        }
        Files.deleteIfExists(socketPath); // stale: left by a daemon that did not stop cleanly
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath), 64);
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-rw----"));
        setGroup(socketPath);
        acceptor = Thread.ofPlatform().name("control-accept").daemon().start(this::acceptLoop);
    }

    /** True when something accepts connections on {@code socket} (another daemon runs there). */
    public static boolean answers(Path socket) {
        try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return c.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void setGroup(Path p) {
        if (group == null) {
            return;
        }
        try {
            GroupPrincipal g = p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(p, PosixFileAttributeView.class).setGroup(g);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "control socket: cannot give " + p + " to group " + group + ": " + e.getMessage());
        }
    }

    public Path path() {
        return socketPath;
    }

    /** Connections refused: bad credentials, too many clients, oversized or late requests. */
    public long refusedCount() {
        return refused.get();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "control socket: accept failed: " + e.getMessage());
                continue;
            }
            if (!slots.tryAcquire()) {
                refused.incrementAndGet();
                reply(ch, ControlReply.error("too many clients; try again"));
                closeQuietly(ch);
                continue;
            }
            clients.execute(() -> {
                try {
                    serve(ch);
                } finally {
                    slots.release();
                    closeQuietly(ch);
                }
            });
        }
    }

    private void serve(SocketChannel ch) {
        // Read the request first (bounded in size and time) so that even a refusal is read by the
        // client as a reply, not as a connection reset.
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(ch),
                requestTimeoutMillis, TimeUnit.MILLISECONDS);
        List<String> args;
        try {
            args = readRequest(ch);
        } catch (IOException e) {
            refused.incrementAndGet();
            if (ch.isOpen()) {
                reply(ch, ControlReply.error(e.getMessage()));
            }
            return;
        } finally {
            deadline.cancel(false);
        }
        try {
            UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!allowed(peer)) {
                refused.incrementAndGet();
                String who = peer.user().getName();
                LOG.log(Level.WARNING, "control socket: refused user " + who + " (group " + peer.group().getName() + ")");
                reply(ch, ControlReply.error("permission denied: user " + who + " is not root"
                        + (group == null ? "" : " nor in group " + group)));
                return;
            }
        } catch (IOException | UnsupportedOperationException e) {
            refused.incrementAndGet();
            reply(ch, ControlReply.error("cannot read peer credentials: " + e.getMessage()));
            return;
        }
        ControlReply r;
        try {
            r = handler.handle(args);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "control request " + args + " failed", e);
            r = ControlReply.error("internal error: " + e);
        }
        reply(ch, r);
    }

    private boolean allowed(UnixDomainPrincipal peer) {
        String user = peer.user().getName();
        if (user.equals("root") || user.equals("0") || user.equals(ownUser)) {
            return true;
        }
        if (group == null) {
            return false;
        }
        if (peer.group().getName().equals(group)) {
            return true;
        }
        return SupplementaryGroups.isMember(user, group);
    }

    private static List<String> readRequest(SocketChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(ControlProtocol.MAX_REQUEST_BYTES);
        while (true) {
            int n = ch.read(buf);
            byte[] a = buf.array();
            for (int i = buf.position() - Math.max(n, 0); i < buf.position(); i++) {
                if (a[i] == '\n') {
                    return ControlProtocol.decodeRequest(a, i);
                }
            }
            if (n < 0) {
                throw new IOException("request ended without a newline");
            }
            if (!buf.hasRemaining()) {
                throw new IOException("request larger than " + ControlProtocol.MAX_REQUEST_BYTES + " bytes");
            }
        }
    }

    private static void reply(SocketChannel ch, ControlReply r) {
        byte[] body = ((r.ok() ? "OK\n" : "ERR\n") + r.body()).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(body);
        try {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            // the client went away; nothing to tell it
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing a socket we are done with
        }
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            // shutting down
        }
        clients.shutdownNow();
        deadlines.shutdownNow();
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "control socket: cannot remove " + socketPath + ": " + e.getMessage());
        }
        if (acceptor != null) {
            try {
                acceptor.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
