package ips.api;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small text file that is always replaced whole: the text goes to a temporary sibling, is
 * fsynced, and renamed over the file, so a crash leaves the old text or the new one, never a
 * mixture. Log sources keep their resume positions in one.
 *
 * <p>{@link #write} writes on the caller's thread. {@link #writeLater} hands the text to one
 * background thread shared by every state file of the process, so a log-reading thread does not
 * wait for an fsync (milliseconds on a busy disk) while an attack line is waiting behind it. Only
 * the newest text not yet written is kept per file. Every text gets a sequence number, and a text
 * is written only when it is newer than the last one written (checked under the file's IO lock):
 * a queued text that was overtaken by {@link #write} (say, the final save on close) is dropped,
 * never written over it.
 *
 * <p>Keep one {@code StateFile} per path: the ordering holds between the writes of one object.
 */
public final class StateFile {
    private static final System.Logger LOG = System.getLogger("ips.api.StateFile");

    private final Path file;
    private final Path tmp;
    /** Held while the file is written; orders the writer thread against {@link #write}. */
    private final ReentrantLock io = new ReentrantLock();
    /** Sequence number of the last text written; guarded by {@link #io}. */
    private long writtenSeq;

    // guarded by this
    private long lastSeq;
    private String pending;
    private long pendingSeq;

    /** Whether the last write, on either thread, failed. */
    private volatile boolean failed;

    public StateFile(Path file) {
        this.file = Objects.requireNonNull(file, "file");
        this.tmp = file.resolveSibling(file.getFileName() + ".tmp");
    }

    public Path path() {
        return file;
    }

    /**
     * Replaces the file's text now, on this thread (creating its directory); a text queued by
     * {@link #writeLater} before this call will not be written any more.
     */
    public void write(String text) throws IOException {
        long seq;
        synchronized (this) {
            seq = ++lastSeq;
            pending = null; // older than this text
        }
        writeIfNewer(text, seq);
    }

    /**
     * Queues {@code text} for the shared writer thread and returns at once. A text queued earlier
     * and not written yet is replaced. A failed write is logged (WARNING) and {@link #lastWriteFailed}
     * says so until a later write succeeds; nothing retries by itself.
     */
    public void writeLater(String text) {
        Objects.requireNonNull(text, "text");
        boolean queue;
        synchronized (this) {
            queue = pending == null;
            pending = text;
            pendingSeq = ++lastSeq;
        }
        if (queue) {
            Writer.QUEUE.add(this);
        }
    }

    /** Whether the last write attempted, by {@link #write} or by the writer thread, failed. */
    public boolean lastWriteFailed() {
        return failed;
    }

    /** On the writer thread: writes the pending text, if any is left. */
    private void writePending() {
        String text;
        long seq;
        synchronized (this) {
            text = pending;
            seq = pendingSeq;
            pending = null;
        }
        if (text == null) {
            return; // written by write(), or by an earlier turn of the queue
        }
        try {
            writeIfNewer(text, seq);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "{0}: state not saved: {1}", file, e);
        }
    }

    private void writeIfNewer(String text, long seq) throws IOException {
        io.lock();
        try {
            if (seq <= writtenSeq) {
                return;
            }
            try {
                replace(text);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
            failed = false;
            writtenSeq = seq;
        } finally {
            io.unlock();
        }
    }

    private void replace(String text) throws IOException {
        Path dir = file.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(text);
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** For tests: the lock the writer thread takes to write this file. */
    ReentrantLock ioLock() {
        return io;
    }

    /**
     * The one writer thread, started when the first text is queued (class initialisation is lazy
     * and runs once). A daemon: what it has not written at exit was a periodic save, and the
     * sources write their final position with {@link #write} on close.
     */
    private static final class Writer {
        static final BlockingQueue<StateFile> QUEUE = new LinkedBlockingQueue<>();

        static {
            Thread.ofPlatform().name("state-writer").daemon().start(Writer::run);
        }

        private static void run() {
            while (true) {
                StateFile next;
                try {
                    next = QUEUE.take();
                } catch (InterruptedException e) {
                    continue; // nobody owns this thread to stop it
                }
                next.writePending();
            }
        }
    }
}
