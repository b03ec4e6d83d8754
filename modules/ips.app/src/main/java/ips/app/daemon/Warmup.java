package ips.app.daemon;

import ips.api.LogLine;
import ips.filter.CompiledFilter;
import ips.filter.FilterMatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Warms the just-in-time compiler on each jail's filter right after start, on a low-priority
 * thread, so that the first attack after a start is matched by compiled code rather than by the
 * interpreter (a cold matcher needs ~100 µs a line; a warm one ~1 µs). The lines are fail2ban's
 * own sample log for the filter when the host has it (Debian's fail2ban package ships them), run
 * through a separate matcher whose results are thrown away: nothing is counted or banned.
 */
final class Warmup {
    static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/fail2ban/tests/files/logs");
    private static final int PASSES = 40;

    private Warmup() {}

    static void start(ConfigSnapshot s, ips.app.ops.EventLog log) {
        List<Runnable> work = new ArrayList<>();
        for (ConfigSnapshot.JailSetup setup : s.setups().values()) {
            String name = setup.definition().filterSpec();
            int bracket = name.indexOf('[');
            Path sample = SAMPLES.resolve(bracket < 0 ? name : name.substring(0, bracket));
            if (!name.isEmpty() && !name.contains("/") && Files.isRegularFile(sample)) {
                work.add(() -> run(setup.filter(), sample));
            }
        }
        if (work.isEmpty()) {
            return;
        }
        Thread.ofPlatform().name("warm-up").daemon().start(() -> {
            long t0 = System.nanoTime();
            work.forEach(Runnable::run);
            log.debug("portcullis.server", String.format("warm-up of %d filter(s) took %.0f ms", work.size(),
                    (System.nanoTime() - t0) / 1e6));
        });
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
        FilterMatcher m = filter.newSourceMatcher(ZoneId.systemDefault().getRules(), () -> now);
        int[] sink = new int[1];
        for (int pass = 0; pass < PASSES; pass++) {
            for (String line : lines) {
                m.process(LogLine.ofFile("warm-up", line), (n, f) -> sink[0]++);
            }
        }
    }
}
