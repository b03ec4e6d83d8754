package ips.app.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * fail2ban's {@code logtarget} file, followed across log rotation: {@link #reopenIfMoved} opens the
 * path again when the file there is no longer the one being written (logrotate renamed it and
 * created a new one, or removed it). Without it, after the first weekly rotation of
 * {@code /var/log/fail2ban.log} the daemon's lines, its "Ban" lines included, would go on into the
 * renamed file, and a {@code recidive} jail reading the log would see no ban again.
 * Writes go to the file open now; callers serialise writes and reopening.
 */
final class LogFile extends OutputStream {
    private final Path path;
    private OutputStream out;
    private Object key;

    LogFile(Path path) throws IOException {
        this.path = Objects.requireNonNull(path, "path");
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        open();
    }

    private void open() throws IOException {
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        key = keyOf(path);
    }

    private static Object keyOf(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    Path path() {
        return path;
    }

    /**
     * Opens the path again if the file there is another one than the file being written, or is
     * gone. Returns true when it did. A path that cannot be opened leaves the old file in use
     * (and the next call tries again).
     */
    boolean reopenIfMoved() throws IOException {
        Object now;
        try {
            now = keyOf(path);
        } catch (NoSuchFileException e) {
            now = null;
        }
        if (now != null && now.equals(key)) {
            return false;
        }
        reopen();
        return true;
    }

    /** Opens the path again whatever it holds (fail2ban-client's {@code flushlogs}). */
    void reopen() throws IOException {
        OutputStream old = out;
        open();
        try {
            old.close();
        } catch (IOException e) {
            // the old file is let go either way
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
