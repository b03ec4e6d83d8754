package ips.nftables.bench;

import ips.api.Ban;
import ips.api.EnforcerException;
import ips.api.EnforcerSettings;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import ips.api.JailRule;
import ips.nftables.NftablesEnforcer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures the nftables enforcer in the current network namespace (run it in a scratch one: it
 * creates table {@code inet portcullis-bench} and deletes its bans, never the table of the daemon).
 *
 * <pre>
 *   NftablesBenchmark [--single N] [--batched N] [--restore N]
 * </pre>
 *
 * Prints single-ban latency (one ACKed batch per ban) p50/p99, batched bans per second, and the
 * time to restore N bans (scaffold plus batched ban) into a fresh table.
 */
public final class NftablesBenchmark {
    private NftablesBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the benchmark; returns the process exit status (0 ok, 1 failure, 2 usage). */
    public static int run(String[] args, PrintStream out) {
        int single = 5_000;
        int batched = 100_000;
        int restore = 100_000;
        String table = "portcullis-bench";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                out.println("usage: bench-nftables [--single N] [--batched N] [--restore N] [--table NAME]");
                return 2;
            }
            switch (a) {
                case "--single" -> single = Integer.parseInt(args[++i]);
                case "--batched" -> batched = Integer.parseInt(args[++i]);
                case "--restore" -> restore = Integer.parseInt(args[++i]);
                case "--table" -> table = args[++i];
                default -> {
                    out.println("usage: bench-nftables [--single N] [--batched N] [--restore N] [--table NAME]");
                    return 2;
                }
            }
        }
        EnforcerSettings settings = new EnforcerSettings(table, EnforcerSettings.BlockType.DROP, false);
        List<JailRule> jails = List.of(JailRule.allPorts("bench"));
        try (NftablesEnforcer enforcer = NftablesEnforcer.open(settings)) {
            enforcer.scaffold(jails);
            enforcer.flush("bench");
            long expires = System.currentTimeMillis() + 3_600_000;

            // 1. single bans, one ACKed batch each (warm up first)
            List<Ban> one = new ArrayList<>(1);
            one.add(null);
            for (int i = 0; i < Math.min(1000, single); i++) {
                one.set(0, new Ban("bench", address(0x0A00_0000 + i), expires));
                enforcer.ban(one);
            }
            enforcer.flush("bench");
            Ban[] singles = new Ban[single];
            for (int i = 0; i < single; i++) {
                singles[i] = new Ban("bench", address(0x0A10_0000 + i), expires);
            }
            long[] nanos = new long[single];
            for (int i = 0; i < single; i++) {
                one.set(0, singles[i]);
                long t0 = System.nanoTime();
                enforcer.ban(one);
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            out.printf("single ban (one ACKed batch each, n=%d): p50 %.1f us, p99 %.1f us%n", single,
                    nanos[single / 2] / 1e3, nanos[(int) (single * 0.99)] / 1e3);
            enforcer.flush("bench");

            // 2. batched bans (after a warm-up batch of the same code path)
            enforcer.ban(bans(Math.min(batched, 20_000), 0x0D00_0000, expires));
            enforcer.flush("bench");
            List<Ban> many = bans(batched, 0x0B00_0000, expires);
            long t0 = System.nanoTime();
            enforcer.ban(many);
            long dt = System.nanoTime() - t0;
            out.printf("batched bans (n=%d in one call): %.0f bans/s (%.1f ms)%n", batched, batched / (dt / 1e9), dt / 1e6);
            enforcer.flush("bench");

            // 3. restore: a fresh jail's sets, scaffold + ban of N
            List<JailRule> restoreJails = List.of(JailRule.allPorts("bench"), JailRule.allPorts("restore"));
            List<Ban> restoreBans = bans(restore, 0x0C00_0000, expires, "restore");
            t0 = System.nanoTime();
            enforcer.scaffold(restoreJails);
            enforcer.ban(restoreBans);
            dt = System.nanoTime() - t0;
            out.printf("restore %d bans (scaffold + batched ban): %.1f ms%n", restore, dt / 1e6);
            int listed = enforcer.list().size();
            out.printf("listed back: %d bans%n", listed);
            enforcer.flush("restore");
            enforcer.flush("bench");
            return listed == restore ? 0 : 1;
        } catch (EnforcerException e) {
            out.println("bench-nftables: " + e.getMessage());
            return 1;
        }
    }

    private static IpPrefix address(int bits) {
        return IpPrefix.of(IpAddress.ofIpv4(bits));
    }

    private static List<Ban> bans(int n, int base, long expires) {
        return bans(n, base, expires, "bench");
    }

    private static List<Ban> bans(int n, int base, long expires, String jail) {
        List<Ban> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Ban(jail, address(base + i), expires));
        }
        return out;
    }
}
