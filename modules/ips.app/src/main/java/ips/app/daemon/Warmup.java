package ips.app.daemon;

import ips.api.Enforcer;
import ips.api.Failure;
import ips.api.IpAddress;
import ips.api.LogLine;
import ips.app.ops.EventLog;
import ips.app.ops.EventLoggerFinder;
import ips.config.JailDefinition;
import ips.engine.EngineSettings;
import ips.engine.JailEngine;
import ips.engine.JailPolicy;
import ips.engine.ledger.BanLedger;
import ips.filter.FilterMatcher;
import ips.filter.date.TimeZones;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Warms the just-in-time compiler on each jail's filter right after start, on a low-priority
 * thread, so that the first attack after a start is matched by compiled code rather than by the
 * interpreter (a cold matcher needs ~100 µs a line; a warm one ~1 µs). The lines are fail2ban's
 * own sample log for the filter when the host has it (Debian's fail2ban package ships them), run
 * through a separate matcher and reader into scratch engines: nothing is counted or banned. Then
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

    /**
     * Starts the warm-up thread. {@code clock} and {@code daemon} are the daemon's own: the warm-up
     * runs the classes the live path runs (the same clock behind the matcher, the same reader code
     * feeding the engine), so the compiled code it leaves is what the live path needs. Compiled
     * code specialised to a warm-up's own classes or branches is thrown away at the first live
     * attack ("uncommon trap"), which then runs in the interpreter while the compiler starts over:
     * the first burst after a start paid for that.
     */
    static void start(ConfigSnapshot s, Enforcer firewall, EventLog log, LongSupplier clock, Daemon daemon) {
        List<Runnable> work = new ArrayList<>();
        for (ConfigSnapshot.JailSetup setup : s.setups().values()) {
            String name = setup.definition().filterSpec();
            int bracket = name.indexOf('[');
            Path sample = SAMPLES.resolve(bracket < 0 ? name : name.substring(0, bracket));
            if (!name.isEmpty() && !name.contains("/") && Files.isRegularFile(sample)) {
                work.add(() -> run(setup, sample, clock, daemon));
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
                engine(policies.getFirst());
            } catch (RuntimeException e) {
                log.debug("portcullis.server", "engine warm-up stopped: " + e); // compiled code later, nothing else
            }
            log.debug("portcullis.server", String.format("warm-up of %d filter(s) took %.0f ms, of the engine %.0f ms",
                    work.size(), (t1 - t0) / 1e6, (System.nanoTime() - t1) / 1e6));
        });
    }

    /** A scratch engine for {@code jail}: maxretry 3, the jail's own ignore list, an in-memory ledger, a discarding firewall. */
    private static JailEngine scratch(JailPolicy jail, int capacity, System.Logger actions) {
        JailPolicy p = JailPolicy.of(jail.name(), WARM_UP_MAXRETRY, 600_000, 3_600_000).withIgnore(jail.ignore());
        return new JailEngine(EngineSettings.of(capacity), List.of(p), BanLedger.inMemory(p.findTimeMillis()),
                Enforcer.discarding(), actions);
    }

    /**
     * The path of a failure after matching, which a burst of attackers takes thousands of times
     * at once: the engine counting failures and deciding bans for {@link #ENGINE_ADDRESSES}
     * addresses, their "Found" lines, and the commits of those bans with their "Ban" lines. On
     * scratch engines ({@link #scratch}: the jail's ignore list, so its lookups take the live
     * branches) and a log that writes nowhere: the daemon's engine, ledger, firewall, log and
     * counters are not touched.
     *
     * @param jail the jail whose name the scratch lines carry and whose ignore list is consulted
     * @return the bans decided (one per address)
     */
    static int engine(JailPolicy jail) {
        EventLog nowhere = new EventLog(OutputStream.nullOutputStream());
        System.Logger actions = EventLoggerFinder.loggerTo(nowhere, "fail2ban.actions");
        long now = System.currentTimeMillis();
        int decided = 0;
        for (int from = 0; from < ENGINE_ADDRESSES; from += ROUND) {
            // a scratch engine per round, committed and dropped: what it holds dies young instead
            // of being promoted, so the warm-up leaves no old-generation pages touched (idle RSS)
            JailEngine e = scratch(jail, 2 * ROUND, actions);
            for (int i = from; i < from + ROUND; i++) {
                IpAddress a = IpAddress.ofIpv4(BENCHMARK_NET + i);
                String id = a.toString();
                for (int k = 0; k < WARM_UP_MAXRETRY; k++) {
                    nowhere.found(jail.name(), id, now);
                    if (e.onFailure(new Failure(jail.name(), id, a, now)) != null) {
                        decided++;
                    }
                }
            }
            e.commit();
            nowhere.flush();
        }
        return decided;
    }

    /** A sample line's leading date: syslog's {@code Mon dd HH:MM:SS}, or ISO 8601. */
    private static final java.util.regex.Pattern LEADING_DATE = java.util.regex.Pattern.compile(
            "^(?:[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d|\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d"
                    + "(?:[.,]\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?)\\s+");

    /**
     * A sample line as a journal jail's source delivers an entry: the text without its date (the
     * journal's "host ident[pid]: message") and the entry's time, so the warm-up takes the live
     * path's branches (no date detection) for a journal jail too.
     */
    static LogLine asJournalLine(String line, long nowMillis) {
        java.util.regex.Matcher d = LEADING_DATE.matcher(line);
        return new LogLine("journal", d.lookingAt() ? line.substring(d.end()) : line, nowMillis, java.util.Map.of());
    }

    /**
     * The jail's filter on fail2ban's sample log for it, {@link #PASSES} times, through the reader
     * code the live path runs ({@link SourceReader#onLine}) with the daemon's clock, in the live
     * state (lines dated now, as a tailed line is), into a scratch engine per pass. For a journal
     * jail the lines come as journal entries ({@link #asJournalLine}).
     *
     * @return the failures the scratch readers counted
     */
    static long run(ConfigSnapshot.JailSetup setup, Path sample, LongSupplier clock, Daemon daemon) {
        List<String> lines;
        try {
            lines = Files.readAllLines(sample, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        long failures = 0;
        JailDefinition j = setup.definition();
        long findTime = j.findTime() * 1000;
        boolean journal = j.usesJournal();
        FilterMatcher m = setup.filter().newSourceMatcher(TimeZones.system(), clock);
        m.checkFindTime(true, findTime);
        EventLog nowhere = new EventLog(OutputStream.nullOutputStream());
        System.Logger actions = EventLoggerFinder.loggerTo(nowhere, "fail2ban.actions");
        for (int pass = 0; pass < PASSES; pass++) {
            JailEngine e = scratch(setup.policy(), 2 * ROUND, actions);
            SourceReader r = new SourceReader(j.name(), null, m, findTime, clock, nowhere, daemon, e);
            for (String line : lines) {
                r.onLine(journal ? asJournalLine(line, clock.getAsLong()) : LogLine.ofFile("warm-up", line));
            }
            e.commit();
            nowhere.flush();
            failures += r.failures.get();
        }
        return failures;
    }
}
