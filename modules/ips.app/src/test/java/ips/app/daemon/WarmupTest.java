package ips.app.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.Enforcer;
import ips.api.Failure;
import ips.api.IpAddress;
import ips.app.ops.EventLog;
import ips.app.ops.EventLoggerFinder;
import ips.engine.EngineSettings;
import ips.engine.JailEngine;
import ips.engine.JailPolicy;
import ips.engine.ledger.BanLedger;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JIT warm-up runs the failure path on scratch state: the daemon's log never sees it. */
class WarmupTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final EventLog daemonLog = new EventLog(out);

    @AfterEach
    void restore() {
        EventLoggerFinder.use(new EventLog(System.err), false);
    }

    private String logged() {
        daemonLog.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theEngineWarmUpDecidesABanPerAddressAndWritesNoLineToTheDaemonsLog() {
        EventLoggerFinder.use(daemonLog, true);
        JailPolicy sshd = JailPolicy.of("sshd", 5, 600_000, 3_600_000);

        // the control: an engine's commit writes its "Ban" lines to the daemon's log
        JailEngine real = new JailEngine(EngineSettings.of(100), List.of(sshd), BanLedger.inMemory(600_000),
                Enforcer.discarding());
        IpAddress a = IpAddress.tryParse("192.0.2.7");
        for (int k = 0; k < 5; k++) {
            real.onFailure(new Failure("sshd", a.toString(), a, System.currentTimeMillis()));
        }
        real.commit();
        assertTrue(logged().contains("[sshd] Ban 192.0.2.7"), logged());
        out.reset();

        assertEquals(Warmup.ENGINE_ADDRESSES, Warmup.engine(sshd), "each address reached maxretry once");
        assertEquals("", logged(), "no Found, Ban or error line from the warm-up");
    }

    @Test
    void theFilterWarmUpRunsTheLiveReaderCodeOnFail2bansSampleIntoScratchEnginesAndWritesNoLine(@TempDir Path dir)
            throws Exception {
        Path sample = Warmup.SAMPLES.resolve("sshd");
        assumeTrue(Files.isRegularFile(sample) && Files.isRegularFile(Path.of("/etc/fail2ban/filter.d/sshd.conf")),
                "needs fail2ban's sshd filter and sample log");
        Files.createSymbolicLink(dir.resolve("filter.d"), Path.of("/etc/fail2ban/filter.d"));
        Files.writeString(dir.resolve("jail.conf"), "[sshd]\nenabled = true\nfilter = sshd\nlogpath = " + dir.resolve("auth.log")
                + "\nport = ssh\nbanaction = nftables-allports\naction = %(banaction)s\nignoreip = 192.0.2.0/24\n");
        Files.writeString(dir.resolve("portcullis.conf"), "[portcullis]\nstatedir = " + dir.resolve("state") + "\n");
        ConfigSnapshot s = ConfigSnapshot.load(dir, false);
        EventLoggerFinder.use(daemonLog, true);
        Daemon daemon = new Daemon(dir, daemonLog, ips.api.ServiceNotifier.none());
        long failures = Warmup.run(s.setups().get("sshd"), sample, System::currentTimeMillis, daemon);
        assertTrue(failures > 100, "the sample's failures were counted by the scratch readers: " + failures);
        assertEquals("", logged(), "no Found, Ban or error line from the warm-up");

        // a journal jail gets the sample as journal entries: no date in the text, the entry's time
        Files.writeString(dir.resolve("jail.local"), "[sshd]\nbackend = systemd\n");
        ConfigSnapshot js = ConfigSnapshot.load(dir, false);
        long journalFailures = Warmup.run(js.setups().get("sshd"), sample, System::currentTimeMillis, daemon);
        assertTrue(journalFailures > failures / 2, "as journal entries the sample still matches: " + journalFailures
                + " against " + failures);
        assertEquals("", logged());
    }

    @Test
    void aSampleLineBecomesAJournalEntryWithoutItsDate() {
        assertEquals("host sshd[1]: Failed password for x from 192.0.2.1 port 22 ssh2",
                Warmup.asJournalLine("Dec  6 07:36:37 host sshd[1]: Failed password for x from 192.0.2.1 port 22 ssh2", 5).text());
        assertEquals("web1 sshd[2]: x", Warmup.asJournalLine("2026-12-06T07:36:37.123+01:00 web1 sshd[2]: x", 5).text());
        assertEquals(5, Warmup.asJournalLine("no date here", 5).timeMillis());
        assertEquals("no date here", Warmup.asJournalLine("no date here", 5).text());
    }
}
