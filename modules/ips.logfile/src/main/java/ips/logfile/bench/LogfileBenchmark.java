package ips.logfile.bench;

import ips.api.LineSink;
import ips.api.LogLine;
import ips.api.LogSourceSpec;
import ips.logfile.FileLogSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@code portcullis bench-logfile}: how fast {@link FileLogSource} sees a line and how many lines
 * per second it reads.
 *
 * <ul>
 *   <li><b>latency</b>: a writer appends {@code --appends} lines (one write each, {@code
 *       --spacing-us} apart) carrying {@link System#nanoTime()}; a consumer thread polls the source
 *       and records append → delivery. The first {@code --warmup} appends are not counted.
 *   <li><b>throughput</b>: a {@code --lines}-line file of sshd-like lines, read from its head
 *       {@code --rounds} times by a fresh source each time.
 * </ul>
 *
 * Options: {@code --dir DIR} (default: a new directory under java.io.tmpdir, deleted after),
 * {@code --only latency|throughput}.
 */
public final class LogfileBenchmark {
    private LogfileBenchmark() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        int appends = 10_000;
        int warmup = 1_000;
        long spacingMicros = 500;
        int lines = 1_000_000;
        int rounds = 3;
        String only = null;
        Path dir = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--appends" -> appends = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--spacing-us" -> spacingMicros = Long.parseLong(args[++i]);
                    case "--lines" -> lines = Integer.parseInt(args[++i]);
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    case "--only" -> only = args[++i];
                    case "--dir" -> dir = Path.of(args[++i]);
                    case "-h", "--help" -> {
                        out.println("usage: bench-logfile [--appends N] [--warmup N] [--spacing-us US] [--lines N]"
                                + " [--rounds N] [--only latency|throughput] [--dir DIR]");
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
        } catch (RuntimeException e) {
            out.println("bench-logfile: " + e.getMessage());
            return 2;
        }
        boolean ownDir = dir == null;
        try {
            if (ownDir) {
                dir = Files.createTempDirectory("portcullis-bench-logfile");
            } else {
                Files.createDirectories(dir);
            }
            if (only == null || only.equals("latency")) {
                latency(dir, appends, warmup, spacingMicros, out);
            }
            if (only == null || only.equals("throughput")) {
                throughput(dir, lines, rounds, out);
            }
            return 0;
        } catch (IOException | InterruptedException | RuntimeException e) {
            out.println("bench-logfile: failed: " + e);
            return 1;
        } finally {
            if (ownDir && dir != null) {
                deleteTree(dir);
            }
        }
    }

    private static final String PREFIX = "Nov 23 18:50:01 host sshd[4242]: Failed password for root from 203.0.113.7 port 2222 ssh2 t=";

    static void latency(Path dir, int appends, int warmup, long spacingMicros, PrintStream out)
            throws IOException, InterruptedException {
        Path file = dir.resolve("latency.log");
        Files.deleteIfExists(file);
        Files.createFile(file);
        int total = warmup + appends;
        long[] latencies = new long[total];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (FileLogSource source = new FileLogSource(new LogSourceSpec("bench", List.of(file.toString()), List.of(),
                LogSourceSpec.Start.HEAD, null))) {
            int[] seen = {0};
            LineSink sink = (LogLine line) -> {
                long now = System.nanoTime();
                String t = line.text();
                long sent = Long.parseLong(t, PREFIX.length(), t.length(), 10);
                if (seen[0] < total) {
                    latencies[seen[0]] = now - sent;
                }
                seen[0]++;
            };
            Thread consumer = Thread.ofPlatform().name("bench-logfile-consumer").start(() -> {
                try {
                    while (seen[0] < total) {
                        source.poll(sink, 1000);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            byte[] prefix = PREFIX.getBytes(StandardCharsets.US_ASCII);
            ByteBuffer line = ByteBuffer.allocate(prefix.length + 24);
            try (FileChannel w = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                long spacing = spacingMicros * 1000;
                long next = System.nanoTime();
                for (int i = 0; i < total && failure.get() == null; i++) {
                    next += spacing;
                    line.clear();
                    line.put(prefix);
                    long t = System.nanoTime();
                    line.put(Long.toString(t).getBytes(StandardCharsets.US_ASCII)).put((byte) '\n').flip();
                    w.write(line);
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        LockSupport.parkNanos(sleep);
                    }
                }
            }
            consumer.join(60_000);
            if (consumer.isAlive()) {
                consumer.interrupt();
                throw new IllegalStateException("consumer saw " + seen[0] + " of " + total + " lines in 60 s");
            }
            if (failure.get() != null) {
                throw new IllegalStateException("consumer failed", failure.get());
            }
        }
        long[] measured = Arrays.copyOfRange(latencies, warmup, total);
        Arrays.sort(measured);
        out.printf("latency  appends=%d spacing=%dus  p50=%.1fus p90=%.1fus p99=%.1fus p99.9=%.1fus max=%.1fus%n",
                appends, spacingMicros, micros(measured, 0.50), micros(measured, 0.90), micros(measured, 0.99),
                micros(measured, 0.999), measured[measured.length - 1] / 1000.0);
    }

    static void throughput(Path dir, int lines, int rounds, PrintStream out) throws IOException, InterruptedException {
        Path file = dir.resolve("throughput.log");
        long bytes = writeSshdLog(file, lines);
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long[] count = {0, 0};
            LineSink sink = line -> {
                count[0]++;
                count[1] += line.text().length();
            };
            long t0 = System.nanoTime();
            try (FileLogSource source = new FileLogSource(new LogSourceSpec("bench", List.of(file.toString()), List.of(),
                    LogSourceSpec.Start.HEAD, null))) {
                while (count[0] < lines) {
                    source.poll(sink, 1000);
                }
            }
            long elapsed = System.nanoTime() - t0;
            rates[r] = lines / (elapsed / 1e9);
            out.printf("throughput round %d: %d lines (%.1f MiB) in %.1f ms = %.0f lines/s, %.0f MiB/s%n", r + 1,
                    count[0], bytes / 1048576.0, elapsed / 1e6, rates[r], bytes / 1048576.0 / (elapsed / 1e9));
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        out.printf("throughput median of %d rounds: %.0f lines/s%n", rounds, sorted[rounds / 2]);
    }

    /** Lines like the sshd lines of fail2ban's sample auth.log, with changing addresses and ports. */
    static long writeSshdLog(Path file, int lines) throws IOException {
        try (FileChannel w = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            long written = 0;
            for (int i = 0; i < lines; i++) {
                String l = "Nov 23 18:" + two(i / 60 % 60) + ":" + two(i % 60) + " host sshd[" + (1000 + i % 30000)
                        + "]: Failed password for invalid user admin" + (i % 97) + " from 198.51." + (i >> 8 & 255) + "."
                        + (i & 255) + " port " + (1024 + i % 60000) + " ssh2\n";
                byte[] b = l.getBytes(StandardCharsets.US_ASCII);
                if (buf.remaining() < b.length) {
                    buf.flip();
                    written += writeFully(w, buf);
                    buf.clear();
                }
                buf.put(b);
            }
            buf.flip();
            written += writeFully(w, buf);
            return written;
        }
    }

    private static long writeFully(FileChannel w, ByteBuffer buf) throws IOException {
        long n = 0;
        while (buf.hasRemaining()) {
            n += w.write(buf);
        }
        return n;
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static double micros(long[] sorted, double q) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1000.0;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: left for the system to clean
        }
    }
}
