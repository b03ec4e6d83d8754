package ips.app.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.Ban;
import ips.api.Enforcer;
import ips.api.IpPrefix;
import ips.api.JailRule;
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
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long batch of lines commits its bans while it is still being read, not only at its end. */
class SourceReaderCommitTest {

    /** Bans the firewall got, each call with the number of lines the source had delivered then. */
    private static final class RecordingFirewall implements Enforcer {
        final List<int[]> calls = new CopyOnWriteArrayList<>();
        volatile int delivered;

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void scaffold(List<JailRule> jails) {}

        @Override
        public void ban(Collection<Ban> bans) {
            calls.add(new int[] {bans.size(), delivered});
        }

        @Override
        public void unban(String jail, Collection<IpPrefix> targets) {}

        @Override
        public List<Ban> list() {
            return List.of();
        }

        @Override
        public void flush(String jail) {}

        @Override
        public void close() {}
    }

    /**
     * One poll delivers 3 failures of one attacker, pauses (the matcher is busy, say), then 3
     * failures of each of the other attackers (or, with one attacker, 3 lines that are no
     * failures); later polls deliver nothing.
     */
    private static final class SlowBatch implements LogSource {
        final RecordingFirewall fw;
        final CountDownLatch done = new CountDownLatch(1);
        final String date = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC)
                .format(Instant.now());
        final int attackers;
        boolean sent;

        SlowBatch(RecordingFirewall fw, int attackers) {
            this.fw = fw;
            this.attackers = attackers;
        }

        @Override
        public String description() {
            return "test batch";
        }

        @Override
        public int poll(LineSink sink, long timeoutMillis) throws InterruptedException {
            if (sent) {
                done.countDown();
                Thread.sleep(20);
                return 0;
            }
            sent = true;
            int n = 0;
            for (int a = 1; a <= attackers; a++) {
                for (int k = 0; k < 3; k++) {
                    sink.accept(LogLine.ofFile("test", date + " host sshd[" + a + "]: Failed password for root from 198.18." + a / 250 + "." + (a % 250 + 1) + " port 22"));
                    fw.delivered = ++n;
                }
                if (a == 1) {
                    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(SourceReader.COMMIT_AFTER_NANOS) * 2 + 20);
                }
            }
            for (int k = 0; attackers == 1 && k < 3; k++) {
                sink.accept(LogLine.ofFile("test", date + " host sshd[99]: Accepted publickey for alice from 198.51.100.7 port 22"));
                fw.delivered = ++n;
            }
            return n;
        }

        @Override
        public void checkpoint() {}

        @Override
        public void close() {}
    }

    @Test
    void aBanWaitsNoLongerThanTheCommitIntervalForItsBatchToEnd() throws Exception {
        List<int[]> calls = commitsOfSlowBatch(10);
        assertTrue(calls.size() >= 2, "a commit in the batch and one at its end: " + calls.size());
        assertEquals(1, calls.get(0)[0], "the first attacker's ban went out alone");
        assertEquals(3, calls.get(0)[1], "... once the batch went on after the pause, not at its end");
        assertEquals(10, calls.stream().mapToInt(c -> c[0]).sum(), "every attacker banned once");
    }

    /** A flood's bans go out in commits of at most {@link SourceReader#COMMIT_AFTER_BANS}, however fast it is matched. */
    @Test
    void aFloodIsCommittedInSlicesOfBans() throws Exception {
        List<int[]> calls = commitsOfSlowBatch(400);
        assertEquals(400, calls.stream().mapToInt(c -> c[0]).sum(), "every attacker banned once");
        for (int[] c : calls) {
            assertTrue(c[0] <= SourceReader.COMMIT_AFTER_BANS, "a commit of " + c[0] + " bans");
        }
        assertTrue(calls.size() >= 1 + 399 / SourceReader.COMMIT_AFTER_BANS, "commits: " + calls.size());
    }

    /**
     * The one ban goes out in the middle of the batch, without an fsync of its own; the batch ends
     * with no ban pending, and its end still forces the ledger.
     */
    @Test
    void theBatchEndForcesTheLedgerTheCommitsInsideItWrote(@TempDir Path dir) throws Exception {
        RecordingFirewall fw = new RecordingFirewall();
        Path ledger = dir.resolve("ledger");
        try (JailEngine engine = new JailEngine(EngineSettings.of(1000),
                List.of(JailPolicy.of("sshd", 3, 600_000, 3_600_000)), BanLedger.open(ledger, 86_400_000), fw)) {
            readSlowBatch(fw, engine, 1);
            assertEquals(1, fw.calls.size());
            assertEquals(3, fw.calls.get(0)[1], "committed in the middle of the batch");
            assertTrue(!engine.unsynced(), "nothing left unforced once the batch ended");
            assertTrue(engine.lastCommitDurable());
        }
        try (JailEngine again = new JailEngine(EngineSettings.of(1000),
                List.of(JailPolicy.of("sshd", 3, 600_000, 3_600_000)), BanLedger.open(ledger, 86_400_000), new RecordingFirewall())) {
            assertEquals(1, again.restore().restored().size());
        }
    }

    /** The firewall's calls while a reader on an in-memory engine reads a {@link SlowBatch} of {@code attackers}. */
    private static List<int[]> commitsOfSlowBatch(int attackers) throws Exception {
        RecordingFirewall fw = new RecordingFirewall();
        JailEngine engine = new JailEngine(EngineSettings.of(1000), List.of(JailPolicy.of("sshd", 3, 600_000, 3_600_000)),
                BanLedger.inMemory(86_400_000), fw);
        readSlowBatch(fw, engine, attackers);
        return new ArrayList<>(fw.calls);
    }

    private static void readSlowBatch(RecordingFirewall fw, JailEngine engine, int attackers) throws Exception {
        long now = System.currentTimeMillis();
        CompiledFilter filter = CompiledFilter.compile("t", null,
                List.of("sshd\\[\\d+\\]: Failed password for \\S+ from <HOST>"), List.of(), 1, "no");
        EventLog log = new EventLog(OutputStream.nullOutputStream());
        Daemon daemon = new Daemon(Path.of("unused"), log, ServiceNotifier.none());
        SlowBatch source = new SlowBatch(fw, attackers);
        SourceReader reader = new SourceReader("sshd", source,
                filter.newSourceMatcher(ZoneOffset.UTC.getRules(), () -> now), 600_000, () -> now, log, daemon, engine);
        reader.start();
        try {
            assertTrue(source.done.await(10, TimeUnit.SECONDS), "the batch was read");
        } finally {
            reader.stop();
        }
    }
}
