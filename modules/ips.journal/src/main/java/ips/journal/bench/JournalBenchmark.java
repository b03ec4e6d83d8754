package ips.journal.bench;

import ips.api.LogSourceSpec;
import ips.journal.sd.LibSystemd;
import ips.journal.sd.SdJournal;
import ips.journal.source.JournalSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures the journal source on real journal files ({@code bench/journal/run.sh} writes them).
 *
 * <pre>
 * read   --path FILE|DIR [--match 'F=v + F=v'] [--runs 3] [--warmup 1]
 *        reads every matching entry from the head (text, time and fields built, as the daemon gets
 *        them); prints entries/s per run (after uncounted warm-up runs) and the median
 * idle   --path P [--match …] --timeout-ms 10000: CPU used while poll(…, 1000) waits on an idle journal
 * raw    as read, but only libsystemd's part: next() and every field enumerated, no Java text
 * follow --path FILE|DIR [--match …] --count N [--timeout-ms 60000]
 *        opens at the tail, prints READY, then waits in poll() for N appended entries; latency per
 *        entry = receipt time − the entry's _SOURCE_REALTIME_TIMESTAMP (set by the writer when it
 *        wrote the entry); prints median, p99 and max ({@code --dump}: every latency, in order)
 * </pre>
 *
 * Exit status 0 on success, 1 when the run failed, 2 for bad arguments.
 */
public final class JournalBenchmark {

    private JournalBenchmark() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        if (args.length == 0) {
            return usage(out, "missing mode");
        }
        String mode = args[0];
        String path = null;
        String match = null;
        int runs = 3;
        int warmup = 1;
        int count = 0;
        long timeoutMillis = 60_000;
        boolean dump = false;
        try {
            for (int i = 1; i < args.length; i += 2) {
                if (args[i].equals("--dump")) {
                    dump = true;
                    i--;
                    continue;
                }
                if (i + 1 >= args.length) {
                    return usage(out, "missing value for " + args[i]);
                }
                switch (args[i]) {
                    case "--path" -> path = args[i + 1];
                    case "--match" -> match = args[i + 1];
                    case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                    case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                    case "--count" -> count = Integer.parseInt(args[i + 1]);
                    case "--timeout-ms" -> timeoutMillis = Long.parseLong(args[i + 1]);
                    default -> {
                        return usage(out, "unknown option " + args[i]);
                    }
                }
            }
        } catch (NumberFormatException e) {
            return usage(out, e.getMessage());
        }
        if (path == null) {
            return usage(out, "--path is required");
        }
        LibSystemd.Loaded loaded = LibSystemd.load(LibSystemd.DEFAULT_NAME);
        if (loaded.library() == null) {
            out.println("unavailable: " + loaded.unavailableReason());
            return 1;
        }
        List<String> matches = match == null || match.isBlank() ? List.of() : List.of(match);
        try {
            return switch (mode) {
                case "read" -> read(loaded.library(), path, matches, warmup, runs, out);
                case "raw" -> raw(loaded.library(), path, matches, warmup, runs, out);
                case "idle" -> idle(loaded.library(), path, matches, timeoutMillis, out);
                case "follow" -> count <= 0 ? usage(out, "--count N is required")
                        : follow(loaded.library(), path, matches, count, timeoutMillis, dump, out);
                default -> usage(out, "unknown mode " + mode);
            };
        } catch (IOException e) {
            out.println("failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("interrupted");
            return 1;
        }
    }

    /**
     * utime + stime of this process from /proc/self/stat, in ms (10 ms ticks; includes JIT and GC
     * threads): a figure that a machine shared with other work disturbs less than wall time.
     */
    static long processCpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String stats(List<Long> latencies) {
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "%d entries, latency append->consumer median %.3f ms, p99 %.3f ms, max %.3f ms",
                sorted.length, sorted[sorted.length / 2] / 1e3,
                sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e3,
                sorted[sorted.length - 1] / 1e3);
    }

    private static int usage(PrintStream out, String problem) {
        out.println(problem);
        out.println("usage: idle --path P [--timeout-ms T] | read|raw --path P [--match M] [--runs N] [--warmup N] | follow --path P [--match M] --count N [--timeout-ms T]");
        return 2;
    }

    private static LogSourceSpec spec(String path, List<String> matches, LogSourceSpec.Start start) {
        return new LogSourceSpec("bench", List.of(path), matches, start, null);
    }

    private static int read(LibSystemd lib, String path, List<String> matches, int warmup, int runs, PrintStream out)
            throws IOException, InterruptedException {
        double[] rates = new double[runs];
        double[] cpuRates = new double[runs];
        for (int r = -warmup; r < runs; r++) {
            long[] sum = new long[2];
            long cpuStart = processCpuMillis();
            long start = System.nanoTime();
            try (JournalSource source = JournalSource.open(lib, spec(path, matches, LogSourceSpec.Start.HEAD))) {
                while (source.poll(line -> {
                    sum[0]++;
                    sum[1] += line.text().length() + line.timeMillis();
                }, 0) > 0) {
                    // one poll drains what is there; loop in case it stopped early
                }
            }
            long nanos = System.nanoTime() - start;
            long cpu = processCpuMillis() - cpuStart;
            double rate = sum[0] * 1e9 / nanos;
            double cpuRate = cpu <= 0 ? Double.NaN : sum[0] * 1e3 / cpu;
            if (r >= 0) {
                rates[r] = rate;
                cpuRates[r] = cpuRate;
            }
            out.printf(Locale.ROOT, "read %s %d: %d entries in %.3f s = %.0f entries/s; %.2f s CPU = %.0f entries per CPU-second (checksum %d)%n",
                    r < 0 ? "warm-up" : "run", r < 0 ? r + warmup + 1 : r + 1, sum[0], nanos / 1e9, rate, cpu / 1e3,
                    cpuRate, sum[1]);
        }
        Arrays.sort(rates);
        Arrays.sort(cpuRates);
        out.printf(Locale.ROOT, "read median: %.0f entries/s, %.0f entries per CPU-second, over %d runs (match: %s)%n",
                rates[runs / 2], cpuRates[runs / 2], runs, matches.isEmpty() ? "none" : matches.getFirst());
        return 0;
    }

    /** CPU used while a source waits for entries that do not come (fail2ban's journal backend burns it). */
    private static int idle(LibSystemd lib, String path, List<String> matches, long millis, PrintStream out)
            throws IOException, InterruptedException {
        try (JournalSource source = JournalSource.open(lib, spec(path, matches, LogSourceSpec.Start.TAIL))) {
            source.poll(line -> {}, 0);
            long cpuStart = processCpuMillis();
            long start = System.nanoTime();
            int polls = 0;
            while (System.nanoTime() - start < millis * 1_000_000L) {
                source.poll(line -> {}, 1000); // the daemon's poll period
                polls++;
            }
            long cpu = processCpuMillis() - cpuStart;
            out.printf(Locale.ROOT, "idle: %d ms CPU in %.1f s of waiting (%d polls of 1 s), whole JVM%n",
                    cpu, (System.nanoTime() - start) / 1e9, polls);
        }
        return 0;
    }

    /** libsystemd's own floor: next() and every field enumerated, no Java text or map built. */
    private static int raw(LibSystemd lib, String path, List<String> matches, int warmup, int runs, PrintStream out)
            throws IOException {
        double[] rates = new double[runs];
        for (int r = -warmup; r < runs; r++) {
            long entries = 0;
            long fields = 0;
            long start = System.nanoTime();
            Path p = Path.of(path);
            try (SdJournal j = Files.isDirectory(p) ? SdJournal.openDirectory(lib, p) : SdJournal.openFiles(lib, List.of(p))) {
                for (String group : matches) {
                    for (String term : group.split("\\s+")) {
                        if (term.equals("+")) {
                            j.addDisjunction();
                        } else if (!term.isEmpty()) {
                            j.addMatch(term);
                        }
                    }
                }
                j.seekHead();
                while (j.next()) {
                    entries++;
                    j.restartFields();
                    while (j.nextField() > 0) {
                        fields++;
                    }
                }
            }
            long nanos = System.nanoTime() - start;
            double rate = entries * 1e9 / nanos;
            if (r >= 0) {
                rates[r] = rate;
            }
            out.printf(Locale.ROOT, "raw %s %d: %d entries (%d fields) in %.3f s = %.0f entries/s%n",
                    r < 0 ? "warm-up" : "run", r < 0 ? r + warmup + 1 : r + 1, entries, fields, nanos / 1e9, rate);
        }
        Arrays.sort(rates);
        out.printf(Locale.ROOT, "raw median: %.0f entries/s over %d runs%n", rates[runs / 2], runs);
        return 0;
    }

    private static int follow(LibSystemd lib, String path, List<String> matches, int count, long timeoutMillis,
            boolean dump, PrintStream out) throws IOException, InterruptedException {
        List<Long> latencies = new ArrayList<>(count);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try (JournalSource source = JournalSource.open(lib, spec(path, matches, LogSourceSpec.Start.TAIL))) {
            out.println("READY");
            out.flush();
            while (latencies.size() < count && System.nanoTime() < deadline) {
                source.poll(line -> {
                    long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                    String written = line.fields().get("_SOURCE_REALTIME_TIMESTAMP");
                    if (written != null) {
                        latencies.add(now - Long.parseLong(written));
                    }
                }, 1000);
            }
        }
        if (latencies.isEmpty()) {
            out.println("follow: no entry arrived");
            return 1;
        }
        if (dump) {
            out.println("latencies (µs, arrival order): " + latencies);
        }
        out.println("follow: " + stats(latencies));
        int warm = Math.min(50, latencies.size() / 10);
        if (warm > 0) {
            out.println("follow, without the first " + warm + " (JIT and writer warm-up): "
                    + stats(latencies.subList(warm, latencies.size())));
        }
        return latencies.size() == count ? 0 : 1;
    }
}
