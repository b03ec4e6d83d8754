package ips.app.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per state directory: a lock ({@code fcntl}, through {@link FileChannel#tryLock}) on
 * {@code portcullis.lock} there, held while the daemon runs and released by the kernel when the
 * process ends, however it ends. A second {@code portcullis run} on the same state (a manual start
 * beside the service) would otherwise write the same ledger and manage the same table, and take
 * the first one's control socket away when it stops.
 */
public final class StateLock implements AutoCloseable {
    static final String NAME = "portcullis.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process holds the lock. */
    public static final class HeldException extends Exception {
        HeldException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock in {@code stateDir}, writing this process's id into the file.
     *
     * @throws HeldException another daemon runs on this state directory (the message names it)
     * @throws IOException the lock file cannot be made (a read-only state directory): the caller
     *     decides whether to go on without it
     */
    public static StateLock acquire(Path stateDir, long pid) throws HeldException, IOException {
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve(NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this very process (a test)
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            String holder = holder(ch);
            ch.close();
            throw new HeldException("another Portcullis runs on state directory " + stateDir
                    + (holder.isEmpty() ? "" : " (process " + holder + ")") + "; not starting a second one");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new StateLock(ch, l);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            int n = ch.read(b, 0);
            return n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the kernel releases it when the process ends
        }
    }
}
