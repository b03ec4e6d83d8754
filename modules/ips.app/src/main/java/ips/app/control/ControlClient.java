package ips.app.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Sends one request to the daemon's control socket and returns its reply. */
public final class ControlClient {
    private ControlClient() {}

    /** Thrown when no daemon answers at the socket. */
    public static final class NotRunningException extends IOException {
        private static final long serialVersionUID = 1L;

        NotRunningException(String message) {
            super(message);
        }
    }

    public static ControlReply send(Path socket, List<String> args) throws IOException {
        if (!Files.exists(socket)) {
            throw new NotRunningException("portcullis is not running (no control socket at " + socket + ")");
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (java.net.ConnectException e) {
                throw new NotRunningException("portcullis is not running (nobody listens at " + socket + ")");
            } catch (java.net.SocketException e) {
                throw new IOException("cannot connect to " + socket + ": " + e.getMessage()
                        + (e.getMessage() != null && e.getMessage().contains("ermission") ? " (run as root or a member of the control group)" : ""), e);
            }
            ByteBuffer req = ByteBuffer.wrap(ControlProtocol.encodeRequest(args));
            while (req.hasRemaining()) {
                ch.write(req);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
                if (out.size() > ControlProtocol.MAX_REPLY_BYTES) {
                    throw new IOException("reply larger than " + ControlProtocol.MAX_REPLY_BYTES + " bytes");
                }
            }
            String text = out.toString(StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String head = nl < 0 ? text : text.substring(0, nl);
            String body = nl < 0 ? "" : text.substring(nl + 1);
            if (!head.equals("OK") && !head.equals("ERR")) {
                throw new IOException("unexpected reply from " + socket + ": " + head);
            }
            return new ControlReply(head.equals("OK"), body);
        }
    }
}
