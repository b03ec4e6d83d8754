package ips.app.control;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The control socket's wire format. A request is one frame: the arguments, UTF-8, separated by
 * NUL and ended by a newline (so an argument may hold any character but NUL and newline). The
 * reply is {@code OK} or {@code ERR}, a newline, then the body; the server closes after it.
 */
public final class ControlProtocol {
    /** Longest request accepted, in bytes. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** Longest reply a client reads, in bytes. */
    public static final int MAX_REPLY_BYTES = 64 * 1024 * 1024;
    /** Time a client has to send its request. */
    public static final long REQUEST_TIMEOUT_MILLIS = 5_000;

    private ControlProtocol() {}

    /** Encodes a request frame. */
    public static byte[] encodeRequest(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.indexOf('\0') >= 0 || a.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("argument " + (i + 1) + " contains NUL or a newline");
            }
            if (i > 0) {
                out.write(0);
            }
            out.writeBytes(a.getBytes(StandardCharsets.UTF_8));
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** Decodes a request frame without its newline; a frame with no bytes is an empty list. */
    public static List<String> decodeRequest(byte[] frame, int length) {
        List<String> args = new ArrayList<>();
        if (length == 0) {
            return args;
        }
        int start = 0;
        for (int i = 0; i <= length; i++) {
            if (i == length || frame[i] == 0) {
                args.add(new String(frame, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return args;
    }
}
