package ips.logfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.LogSourceSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A writer keeps appending numbered lines and rotates the file every few thousand lines while a
 * consumer polls: every number must arrive exactly once, in order.
 */
class RotationUnderWriterTest {
    private static final int LINES = 24_000;
    private static final int ROTATE_EVERY = 2_000;

    @TempDir
    Path dir;

    enum Mode {
        /** logrotate's default: rename, the daemon writes a little more to the old file, then reopens. */
        RENAME_AND_CREATE,
        /** logrotate's copytruncate: copy, then truncate the file the daemon keeps writing (O_APPEND). */
        COPYTRUNCATE,
        /**
         * The file is deleted and a new one created under the same name. A file created and deleted
         * between two wake-ups is gone with its lines (nothing holds it open), so the writer deletes
         * only once the consumer has seen a line of the current file, i.e. holds it open.
         */
        DELETE_AND_RECREATE,
        /**
         * Truncated in place with no copy: what was in the file is gone from disk, so the writer
         * truncates only once the consumer has caught up (nothing can read deleted bytes).
         */
        TRUNCATE_IN_PLACE
    }

    /** Every mode, {@code -Dlogfile.repeat=N} times (default once). */
    static Stream<Mode> modes() {
        int repeat = Integer.getInteger("logfile.repeat", 1);
        return IntStream.range(0, repeat).boxed().flatMap(i -> Arrays.stream(Mode.values()));
    }

    @ParameterizedTest
    @MethodSource("modes")
    void consumerSeesEveryNumberedLineExactlyOnceAndInOrderWhileTheFileRotates(Mode mode) throws Exception {
        Path log = dir.resolve("app.log");
        Files.createFile(log);
        List<Integer> seen = new ArrayList<>(LINES);
        AtomicInteger lastSeen = new AtomicInteger(-1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
        try (FileLogSource source = Sources.open(LogSourceSpec.Start.HEAD, null, log)) {
            Thread consumer = Thread.ofPlatform().name("consumer-" + mode).start(() -> {
                try {
                    while (!stop.get() && seen.size() < LINES) {
                        source.poll(line -> {
                            int n = Integer.parseInt(line.text(), 5, line.text().indexOf(' ', 5), 10);
                            seen.add(n);
                            lastSeen.set(n);
                        }, 50);
                    }
                } catch (Throwable e) {
                    consumerFailure.set(e);
                }
            });
            int rotations;
            try {
                rotations = new Writer(log, mode, lastSeen).writeAll();
                consumer.join(60_000);
            } finally {
                stop.set(true);
                consumer.join(5_000);
            }
            assertNull(consumerFailure.get());
            assertEquals(LINES, seen.size(), "lines seen: " + summary(seen));
            for (int i = 0; i < LINES; i++) {
                if (seen.get(i) != i) {
                    throw new AssertionError("position " + i + " holds line " + seen.get(i) + ": " + summary(seen));
                }
            }
            assertTrue(source.rotationsSeen() >= rotations, source.counters() + " for " + rotations + " rotations");
        }
    }

    private static String summary(List<Integer> seen) {
        StringBuilder b = new StringBuilder();
        int expected = 0;
        for (int n : seen) {
            if (n != expected) {
                b.append(" [expected ").append(expected).append(" got ").append(n).append(']');
                if (b.length() > 500) {
                    break;
                }
            }
            expected = n + 1;
        }
        return seen.size() + " lines;" + b;
    }

    /** Appends "line N payload\n" in one write each, rotating as the mode says. */
    private static final class Writer {
        private final Path log;
        private final Mode mode;
        private final AtomicInteger lastSeen;
        private FileChannel out;
        private int next;
        private int generation;

        Writer(Path log, Mode mode, AtomicInteger lastSeen) {
            this.log = log;
            this.mode = mode;
            this.lastSeen = lastSeen;
        }

        int writeAll() throws IOException, InterruptedException {
            out = openAppend();
            try {
                while (next < LINES) {
                    if (next > 0 && next % ROTATE_EVERY == 0) {
                        rotate();
                    }
                    write();
                    if (next % 64 == 0) {
                        LockSupport.parkNanos(100_000); // let the consumer interleave with the writer
                    }
                }
            } finally {
                out.close();
            }
            return generation;
        }

        private void write() throws IOException {
            String text = "line " + next + " sshd[42]: Failed password for root from 192.0.2." + (next % 250) + "\n";
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                out.write(b);
            }
            next++;
        }

        private void rotate() throws IOException, InterruptedException {
            // Rotations a few ms apart at least: generations that come and go between two wake-ups
            // are read oldest first by modification time, which the kernel keeps at tick precision.
            Thread.sleep(10);
            generation++;
            Path rotated = log.resolveSibling(log.getFileName() + "." + generation);
            switch (mode) {
                case RENAME_AND_CREATE -> {
                    Files.move(log, rotated, StandardCopyOption.ATOMIC_MOVE);
                    for (int i = 0; i < 5 && next < LINES; i++) {
                        write(); // the daemon has not reopened yet
                    }
                    out.close();
                    out = openAppend();
                }
                case COPYTRUNCATE -> {
                    Files.copy(log, rotated);
                    out.truncate(0);
                }
                case DELETE_AND_RECREATE -> {
                    awaitConsumer(next - ROTATE_EVERY);
                    out.close();
                    Files.delete(log);
                    out = openAppend();
                }
                case TRUNCATE_IN_PLACE -> {
                    awaitConsumer(next - 1);
                    out.truncate(0);
                }
            }
        }

        private void awaitConsumer(int line) throws InterruptedException {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (lastSeen.get() < line && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
        }

        private FileChannel openAppend() throws IOException {
            return FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
    }
}
