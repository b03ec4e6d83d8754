package ips.app.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.Enforcer;
import ips.api.LineSink;
import ips.api.LogLine;
import ips.api.LogSource;
import ips.api.ServiceNotifier;
import ips.app.ops.EventLog;
import ips.engine.EngineSettings;
import ips.engine.JailEngine;
import ips.engine.JailPolicy;
import ips.engine.ledger.BanLedger;
import ips.filter.CompiledFilter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The daemon says fail2ban's warnings about a jail's dates in its log, word for word and at most
 * once a day each: old lines skipped while catching up at start, a line dated hours away from now
 * in operation (a log written in another time zone), a failure without a date (a datepattern that
 * does not fit), and, at most once a minute, a date that is no date.
 */
class SourceReaderWarningsTest {
    /** The reader's clock: now (the engine's bans expire by the real clock), in whole seconds. */
    private static final long NOW = System.currentTimeMillis() / 1000 * 1000;
    private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static String failure(long at, int host) {
        return SYSLOG.format(Instant.ofEpochMilli(at)) + " host sshd[1]: Failed password for root from 192.0.2." + host
                + " port 22";
    }

    /** Each poll gives one batch of lines; an empty batch ends the catching up (fail2ban's restore phase). */
    private static final class Batches implements LogSource {
        final Deque<List<String>> batches = new ArrayDeque<>();
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public String description() {
            return "test batches";
        }

        @Override
        public int poll(LineSink sink, long timeoutMillis) throws InterruptedException {
            List<String> b = batches.poll();
            if (b == null) {
                done.countDown();
                Thread.sleep(10);
                return 0;
            }
            b.forEach(l -> sink.accept(LogLine.ofFile("test", l)));
            return b.size();
        }

        @Override
        public void checkpoint() {}

        @Override
        public void close() {}
    }

    @Test
    void theReaderWarnsAsFail2banDoesOnceADayAndStillCountsTheFailures() throws Exception {
        long hour = 3_600_000;
        Batches source = new Batches();
        // catching up at start: the old head of the log is skipped quietly (fail2ban seeks past it);
        // an old line after a recent one is out of order: skipped, one warning for two
        source.batches.add(List.of(failure(NOW - 3 * hour, 1), failure(NOW - 60_000, 4), failure(NOW - 2 * hour, 1),
                failure(NOW - 2 * hour + 1000, 1)));
        source.batches.add(List.of()); // caught up: in operation from here on
        // five hours behind (a log in another zone): treated as now, one warning for both lines
        source.batches.add(List.of(failure(NOW - 5 * hour, 2), failure(NOW - 5 * hour + 1000, 2)));
        // no date at all, then a date that is none: the third failure of .2 still counts
        source.batches.add(List.of("host sshd[1]: Failed password for root from 192.0.2.2 port 22",
                "Feb 30 10:00:00 host sshd[1]: Failed password for root from 192.0.2.3 port 22",
                "Feb 31 10:00:00 host sshd[1]: Failed password for root from 192.0.2.3 port 22"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventLog log = new EventLog(out);
        BanLedger ledger = BanLedger.inMemory(86_400_000);
        CompiledFilter filter = CompiledFilter.compile("t", null,
                List.of("sshd\\[\\d+\\]: Failed password for \\S+ from <HOST>"), List.of(), 1, "no");
        try (JailEngine engine = new JailEngine(EngineSettings.of(1000), List.of(JailPolicy.of("sshd", 3, 600_000, 3_600_000)),
                ledger, Enforcer.discarding())) {
            Daemon daemon = new Daemon(Path.of("unused"), log, ServiceNotifier.none());
            SourceReader reader = new SourceReader("sshd", source, filter.newSourceMatcher(ZoneOffset.UTC.getRules(), () -> NOW),
                    600_000, () -> NOW, log, daemon, engine);
            reader.start();
            try {
                assertTrue(source.done.await(10, TimeUnit.SECONDS), "every batch was read");
            } finally {
                reader.stop();
            }
            log.flush();
            String text = out.toString(StandardCharsets.UTF_8);
            String lastDate = SYSLOG.format(Instant.ofEpochMilli(NOW - 5 * hour + 1000));
            List<String> warnings = text.lines().filter(l -> l.contains(" fail2ban.filter ") && !l.contains(": INFO "))
                    .map(l -> l.substring(24)).toList();
            int pidEnd = warnings.isEmpty() ? 0 : warnings.get(0).indexOf("]: ") + 3;
            List<String> said = warnings.stream().map(l -> l.substring(pidEnd)).toList();
            assertEquals(List.of(
                    "WARNING [sshd] Ignoring all log entries older than 600s; these are probably messages generated while"
                            + " fail2ban was not running.",
                    "WARNING [sshd] Please check a jail for a timing issue. Line with odd timestamp: " + failure(NOW - 2 * hour, 1),
                    "WARNING [sshd] Detected a log entry 5h before the current time in operation mode. This looks like a"
                            + " timezone problem. Treating such entries as if they just happened.",
                    "WARNING [sshd] Please check a jail for a timing issue. Line with odd timestamp: " + failure(NOW - 5 * hour, 2),
                    // fail2ban takes the last date seen under a minute ago, and says so with its text
                    "WARNING [sshd] Found a match but no valid date/time found for '" + lastDate + "'.",
                    "WARNING [sshd] Match without a timestamp: " + lastDate + "host sshd[1]: Failed password for root from"
                            + " 192.0.2.2 port 22",
                    "WARNING [sshd] Please try setting a custom date pattern (see man page jail.conf(5)).",
                    "ERROR   [sshd] findFailure failed to parse timeText: Feb 30 10:00:00"), said, text);
            assertTrue(warnings.get(0).startsWith("fail2ban.filter         ["), warnings.get(0));
            // the lines dated now, and the one without a date (the last date is under a minute old): .2 banned
            assertEquals(List.of("192.0.2.2"), ledger.activeBans(NOW).stream().map(b -> b.target().toString()).toList(), text);
        }
    }
}
