package ips.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

    @TempDir
    Path dir;

    @Test
    void writeReplacesTheTextWholeCreatesTheDirectoryAndLeavesNoTemporaryFile() throws Exception {
        Path path = dir.resolve("state/sub/jail.state");
        StateFile f = new StateFile(path);
        f.write("first\n");
        f.write("second, longer than the first\n");
        f.write("third\n");
        assertEquals("third\n", Files.readString(path));
        try (var files = Files.list(path.getParent())) {
            assertEquals(List.of(path), files.toList());
        }
        assertFalse(f.lastWriteFailed());
    }

    @Test
    void writeLaterLandsOnTheWriterThread() throws Exception {
        Path path = dir.resolve("later.state");
        new StateFile(path).writeLater("queued\n");
        awaitText(path, "queued\n");
    }

    @Test
    void writeLaterKeepsOnlyTheNewestPendingText() throws Exception {
        StateFile blocker = new StateFile(dir.resolve("blocker.state"));
        Path path = dir.resolve("coalesced.state");
        StateFile f = new StateFile(path);
        ReentrantLock held = blocker.ioLock();
        held.lock();
        try {
            blocker.writeLater("blocks the writer\n");
            await(held::hasQueuedThreads); // the writer thread now waits for us
            for (int i = 0; i < 1000; i++) {
                f.writeLater("text " + i + "\n");
            }
            assertFalse(Files.exists(path));
        } finally {
            held.unlock();
        }
        awaitText(path, "text 999\n");
    }

    @Test
    void aQueuedTextTakenByTheWriterNeverOverwritesALaterWrite() throws Exception {
        Path path = dir.resolve("ordered.state");
        StateFile f = new StateFile(path);
        ReentrantLock io = f.ioLock();
        io.lock();
        try {
            f.writeLater("old\n");
            await(io::hasQueuedThreads); // the writer took "old" and waits for the file's lock
            f.write("new\n"); // the same lock, held by this thread: writes at once
        } finally {
            io.unlock();
        }
        quiesce();
        assertEquals("new\n", Files.readString(path));
    }

    @Test
    void aQueuedTextIsDroppedWhenWriteComesFirst() throws Exception {
        Path path = dir.resolve("raced.state");
        StateFile f = new StateFile(path);
        for (int i = 0; i < 300; i++) {
            f.writeLater("old " + i + "\n");
            f.write("new " + i + "\n");
        }
        quiesce();
        assertEquals("new 299\n", Files.readString(path));
    }

    @Test
    void aFailedBackgroundWriteIsLoggedAndTheWriterGoesOn() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Path unwritable = notADirectory.resolve("jail.state");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger("ips.api.StateFile");
        logger.addHandler(handler);
        try {
            StateFile bad = new StateFile(unwritable);
            bad.writeLater("lost\n");
            await(bad::lastWriteFailed);
            await(() -> !records.isEmpty());
            LogRecord r = records.getFirst();
            assertEquals(java.util.logging.Level.WARNING, r.getLevel());
            String message = java.text.MessageFormat.format(r.getMessage(), r.getParameters());
            assertTrue(message.contains(unwritable.toString()), message);
            assertTrue(message.contains("Exception"), message);

            Path good = dir.resolve("good.state");
            new StateFile(good).writeLater("still written\n");
            awaitText(good, "still written\n");

            Files.delete(notADirectory); // the next write retries, and now it can
            bad.writeLater("retried\n");
            awaitText(unwritable, "retried\n");
            assertFalse(bad.lastWriteFailed());
        } finally {
            logger.removeHandler(handler);
        }
    }

    /** Waits until the writer has handled everything queued before this call (one thread, FIFO). */
    private void quiesce() throws Exception {
        Path marker = Files.createTempFile(dir, "marker", ".state");
        new StateFile(marker).writeLater("done\n");
        awaitText(marker, "done\n");
    }

    private static void awaitText(Path path, String text) throws Exception {
        await(() -> {
            try {
                return Files.exists(path) && Files.readString(path).equals(text);
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
