package ips.engine.bench;

import ips.api.Enforcer;
import ips.api.Failure;
import ips.api.IpAddress;
import ips.engine.EngineSettings;
import ips.engine.JailEngine;
import ips.engine.JailPolicy;
import ips.engine.ledger.BanLedger;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code portcullis bench-engine}: failures per second through {@link JailEngine#onFailure}, and
 * resident memory while millions of distinct addresses fail once under a ceiling.
 *
 * <pre>
 * --runs N         repetitions; medians are reported (default 3)
 * --failures N     failures per throughput run (default 20,000,000)
 * --attackers N    distinct addresses in the throughput run (default 65,536)
 * --flood N        distinct addresses in the memory run (default 10,000,000)
 * --ceiling N      tracker ceiling in entries (default 1,000,000)
 * --skip-memory / --skip-throughput
 * </pre>
 */
public final class EngineBenchmark {
    private EngineBenchmark() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the benchmark; returns the process exit code (0, or 2 for bad arguments). */
    public static int run(String[] args, PrintStream out) {
        int runs = 3;
        long failures = 20_000_000;
        int attackers = 65_536;
        long flood = 10_000_000;
        int ceiling = 1_000_000;
        boolean memory = true;
        boolean throughput = true;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--failures" -> failures = Long.parseLong(args[++i]);
                    case "--attackers" -> attackers = Integer.parseInt(args[++i]);
                    case "--flood" -> flood = Long.parseLong(args[++i]);
                    case "--ceiling" -> ceiling = Integer.parseInt(args[++i]);
                    case "--skip-memory" -> memory = false;
                    case "--skip-throughput" -> throughput = false;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (runs < 1 || failures < 1 || attackers < 1 || flood < 1 || ceiling < 1) {
                throw new IllegalArgumentException("every number must be positive");
            }
        } catch (RuntimeException e) {
            out.println("bench-engine: " + e.getMessage());
            out.println("usage: bench-engine [--runs N] [--failures N] [--attackers N] [--flood N] [--ceiling N]"
                    + " [--skip-memory] [--skip-throughput]");
            return 2;
        }
        if (throughput) {
            double[] rates = new double[runs];
            double[] cpuRates = new double[runs];
            for (int r = 0; r < runs; r++) {
                double[] t = throughput(failures, attackers);
                rates[r] = t[0];
                cpuRates[r] = t[1];
                out.printf("throughput run %d: %.2f M failures/s wall, %.2f M per CPU-second of the thread%n", r + 1,
                        rates[r] / 1e6, cpuRates[r] / 1e6);
            }
            out.printf("throughput median: %.2f M failures/s wall, %.2f M per thread CPU-second (%d failures over %d addresses,"
                    + " no bans)%n", median(rates) / 1e6, median(cpuRates) / 1e6, failures, attackers);
        }
        if (memory) {
            long[][] rss = new long[runs][];
            long[][] live = new long[runs][];
            long[] ev = new long[runs];
            for (int r = 0; r < runs; r++) {
                long[] result = flood(flood, ceiling);
                rss[r] = Arrays.copyOf(result, 3);
                live[r] = Arrays.copyOfRange(result, 4, 7);
                ev[r] = result[3];
                out.printf("memory run %d: VmRSS %d / %d / %d MiB, live heap %d / %d / %d MiB at %d / %d / %d addresses,"
                        + " %d evictions, %d tracked%n", r + 1, result[0] >> 20, result[1] >> 20, result[2] >> 20,
                        result[4] >> 20, result[5] >> 20, result[6] >> 20, flood / 10, flood / 2, flood, result[3], result[7]);
            }
            double[] lm = new double[3];
            for (int i = 0; i < 3; i++) {
                double[] col = new double[runs];
                for (int r = 0; r < runs; r++) {
                    col[r] = live[r][i];
                }
                lm[i] = median(col);
            }
            double[] m = new double[3];
            for (int i = 0; i < 3; i++) {
                double[] col = new double[runs];
                for (int r = 0; r < runs; r++) {
                    col[r] = rss[r][i];
                }
                m[i] = median(col);
            }
            double[] evs = Arrays.stream(ev).asDoubleStream().toArray();
            out.printf("memory median: VmRSS %.0f / %.0f / %.0f MiB at %d / %d / %d distinct addresses, ceiling %d entries, %.0f evictions;"
                    + " live heap %.0f / %.0f / %.0f MiB%n", m[0] / 1048576, m[1] / 1048576, m[2] / 1048576, flood / 10, flood / 2,
                    flood, ceiling, median(evs), lm[0] / 1048576, lm[1] / 1048576, lm[2] / 1048576);
        }
        return 0;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * Failures per wall-clock second and per CPU-second of this thread (immune to a loaded machine),
     * with {@code attackers} addresses cycling and maxretry never reached.
     */
    static double[] throughput(long n, int attackers) {
        Failure[] fs = new Failure[attackers];
        for (int i = 0; i < attackers; i++) {
            IpAddress a = IpAddress.ofIpv4(0x0A00_0000 | i * 7919 % (1 << 24));
            fs[i] = new Failure("sshd", a.toString(), a, 0);
        }
        // a findtime long enough that nothing ages, and a maxretry never reached: pure counting
        JailPolicy p = JailPolicy.of("sshd", Integer.MAX_VALUE, Long.MAX_VALUE / 8, 600_000);
        try (JailEngine engine = new JailEngine(EngineSettings.of(attackers * 2).withClock(() -> 0L),
                List.of(p), BanLedger.inMemory(86_400_000L), Enforcer.discarding())) {
            long warm = Math.min(n, 5_000_000);
            for (long i = 0; i < warm; i++) {
                engine.onFailure(fs[(int) (i % attackers)]);
            }
            long t0 = System.nanoTime();
            long c0 = threadCpuNanos();
            int mask = Integer.bitCount(attackers) == 1 ? attackers - 1 : -1;
            for (long i = 0; i < n; i++) {
                engine.onFailure(fs[mask >= 0 ? (int) i & mask : (int) (i % attackers)]);
            }
            long t1 = System.nanoTime();
            long c1 = threadCpuNanos();
            double wall = n / ((t1 - t0) / 1e9);
            return new double[] {wall, c1 > c0 ? n / ((c1 - c0) / 1e9) : wall};
        }
    }

    /**
     * Returns VmRSS at 10 %, 50 % and 100 % of the flood, evictions, the live heap after a full GC at
     * the same three points, and the tracked keys at the end.
     */
    static long[] flood(long n, int ceiling) {
        JailPolicy p = JailPolicy.of("sshd", 5, 600_000, 600_000);
        long[] out = new long[8];
        try (JailEngine engine = new JailEngine(EngineSettings.of(ceiling).withClock(() -> 0L), List.of(p),
                BanLedger.inMemory(86_400_000L), Enforcer.discarding())) {
            StringBuilder sb = new StringBuilder(16);
            for (long i = 1; i <= n; i++) {
                int bits = (int) (0x0B00_0000L + i * 2_654_435_761L % 0xF000_0000L);
                IpAddress a = IpAddress.ofIpv4(bits);
                sb.setLength(0);
                a.appendTo(sb);
                engine.onFailure(new Failure("sshd", sb.toString(), a, 0));
                if (i == n / 10) {
                    out[0] = rss();
                    out[4] = liveHeap();
                } else if (i == n / 2) {
                    out[1] = rss();
                    out[5] = liveHeap();
                }
            }
            out[2] = rss();
            out[6] = liveHeap();
            out[3] = engine.evictions();
            out[7] = engine.trackedFailures();
        }
        return out;
    }

    /** Heap in use after a full collection: what the process really keeps. */
    static long liveHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** utime + stime of the calling thread from /proc/thread-self/stat (10 ms ticks), or 0. */
    static long threadCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after the command: state(3) ... utime(14) stime(15), so indexes 11 and 12 here
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** VmRSS of this process in bytes, from /proc/self/status (0 where there is none). */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
