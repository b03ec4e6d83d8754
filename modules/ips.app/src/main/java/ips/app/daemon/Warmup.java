package ips.app.daemon;

import ips.api.Enforcer;
import ips.api.Failure;
import ips.api.IpAddress;
import ips.api.LogLine;
import ips.app.ops.EventLog;
import ips.app.ops.EventLoggerFinder;
import ips.engine.EngineSettings;
import ips.engine.JailEngine;
import ips.engine.JailPolicy;
import ips.engine.ledger.BanLedger;
import ips.filter.CompiledFilter;
import ips.filter.FilterMatcher;
import ips.filter.date.TimeZones;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Warms the just-in-time compiler on each jail's filter right after start, on a low-priority
 * thread, so that the first attack after a start is matched by compiled code rather than by the
 * interpreter (a cold matcher needs ~100 µs a line; a warm one ~1 µs). The lines are fail2ban's
 * own sample log for the filter when the host has it (Debian's fail2ban package ships them), run
 * through a separate matcher whose results are thrown away: nothing is counted or banned. Then
 * the path a failure takes after matching, on a scratch engine ({@link #engine}). Before both, the
 * firewall's own preparation ({@link Enforcer#warmUp}).
 */
final class Warmup {
    static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/fail2ban/tests/files/logs");
    private static final int PASSES = 40;
    /** Addresses the engine warm-up decides bans for: a burst of attackers' worth of work. */
    static final int ENGINE_ADDRESSES = 4000;
    /** Failures per address in the engine warm-up (the jail's own maxretry may be anything). */
    private static final int WARM_UP_MAXRETRY = 3;
    /** Addresses of one scratch engine of the engine warm-up (see {@link #engine}). */
    private static final int ROUND = 100;
    /** 198.18.0.0/15: set aside for benchmarking (RFC 2544), never anyone's address. */
    private static final int BENCHMARK_NET = 0xC6120000;

    private Warmup() {}

    static void start(ConfigSnapshot s, Enforcer firewall, EventLog log) {
        List<Runnable> work = new ArrayList<>();
        for (ConfigSnapshot.JailSetup setup : s.setups().values()) {
            String name = setup.definition().filterSpec();
            int bracket = name.indexOf('[');
            Path sample = SAMPLES.resolve(bracket < 0 ? name : name.substring(0, bracket));
            if (!name.isEmpty() && !name.contains("/") && Files.isRegularFile(sample)) {
                work.add(() -> run(setup.filter(), sample));
            }
        }
        List<JailPolicy> policies = s.policies();
        if (policies.isEmpty()) {
            return;
        }
        Thread.ofPlatform().name("warm-up").daemon().start(() -> {
            firewall.warmUp(); // first: the firewall's one-time work is due ~2 s after start otherwise
            long t0 = System.nanoTime();
            work.forEach(Runnable::run);
            long t1 = System.nanoTime();
            try {
                engine(policies.getFirst().name());
            } catch (RuntimeException e) {
                log.debug("portcullis.server", "engine warm-up stopped: " + e); // compiled code later, nothing else
            }
            log.debug("portcullis.server", String.format("warm-up of %d filter(s) took %.0f ms, of the engine %.0f ms",
                    work.size(), (t1 - t0) / 1e6, (System.nanoTime() - t1) / 1e6));
        });
    }

    /**
     * The path of a failure after matching, which a burst of attackers takes thousands of times
     * at once: the engine counting failures and deciding bans for {@link #ENGINE_ADDRESSES}
     * addresses, their "Found" lines, and the commits of those bans with their "Ban" lines. On a
     * scratch engine (maxretry 3 whatever the jail's, no ignore list, its own in-memory ledger, a
     * firewall that discards) and a log that writes nowhere: the daemon's engine, ledger, firewall,
     * log and counters are not touched.
     *
     * @param jail the name the scratch lines carry
     * @return the bans decided (one per address)
     */
    static int engine(String jail) {
        JailPolicy p = JailPolicy.of(jail, WARM_UP_MAXRETRY, 600_000, 3_600_000);
        EventLog nowhere = new EventLog(OutputStream.nullOutputStream());
        System.Logger actions = EventLoggerFinder.loggerTo(nowhere, "fail2ban.actions");
        long now = System.currentTimeMillis();
        int decided = 0;
        for (int from = 0; from < ENGINE_ADDRESSES; from += ROUND) {
            // a scratch engine per round, committed and dropped: what it holds dies young instead
            // of being promoted, so the warm-up leaves no old-generation pages touched (idle RSS)
            JailEngine e = new JailEngine(EngineSettings.of(2 * ROUND), List.of(p), BanLedger.inMemory(p.findTimeMillis()),
                    Enforcer.discarding(), actions);
            for (int i = from; i < from + ROUND; i++) {
                IpAddress a = IpAddress.ofIpv4(BENCHMARK_NET + i);
                String id = a.toString();
                for (int k = 0; k < p.maxRetry(); k++) {
                    nowhere.found(p.name(), id, now);
                    if (e.onFailure(new Failure(p.name(), id, a, now)) != null) {
                        decided++;
                    }
                }
            }
            e.commit();
            nowhere.flush();
        }
        return decided;
    }

    private static void run(CompiledFilter filter, Path sample) {
        List<String> lines;
        try {
            lines = Files.readAllLines(sample, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        } catch (IOException | RuntimeException e) {
            return;
        }
        long now = System.currentTimeMillis();
        FilterMatcher m = filter.newSourceMatcher(TimeZones.system(), () -> now);
        int[] sink = new int[1];
        for (int pass = 0; pass < PASSES; pass++) {
            for (String line : lines) {
                m.process(LogLine.ofFile("warm-up", line), (n, f) -> {
                    if (f.toFailure("warm-up", now) != null) {
                        sink[0]++;
                    }
                });
            }
        }
    }
}
