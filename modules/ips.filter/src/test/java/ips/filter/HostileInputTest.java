package ips.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.LogLine;
import ips.filter.tester.TestFilterCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attacker-controlled lines never stall or crash the engine. */
class HostileInputTest {

    @TempDir
    Path tmp;

    @Test
    void catastrophicBacktrackingIsCutOffByTheLineBudgetAndCounted() throws Exception {
        CompiledFilter cf = CompiledFilter.compile("evil", null, List.of("^(?:.*a){20}b <HOST>$", "^ok <HOST>$"), List.of(), 1, "warn");
        FilterMatcher m = cf.newMatcher(LineDater.NONE, () -> 0L, true);
        String attack = "a".repeat(40) + "!b 192.0.2.1";
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 10; i++) {
                m.process(attack, LogLine.UNKNOWN_TIME, (n, f) -> { });
            }
        });
        assertEquals(10, m.budgetExceeded());
        int[] hits = {0};
        m.process("ok 192.0.2.1", LogLine.UNKNOWN_TIME, (n, f) -> hits[0]++);
        assertEquals(1, hits[0], "the next line is matched normally");
    }

    @Test
    void aMegabyteLineIsProcessedQuickly() throws Exception {
        assumeTrue(Sshd.available(), "Debian package fail2ban is not installed");
        FilterMatcher m = Sshd.matcher("sshd", Map.of("mode", "aggressive"), true);
        String big = "Aug 14 11:59:59 host sshd[1]: Failed password for " + "x from 1.2.3.4 ".repeat(70_000) + "port 22";
        assertTrue(big.length() > 1_000_000);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> m.process(big, LogLine.UNKNOWN_TIME, (n, f) -> { }));
        String huge = "Aug 14 11:59:59 host sshd[1]: " + "\u00ff".repeat(1 << 20);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> m.process(huge, LogLine.UNKNOWN_TIME, (n, f) -> { }));
    }

    @Test
    void binaryGarbageNeverThrows() throws Exception {
        assumeTrue(Sshd.available(), "Debian package fail2ban is not installed");
        FilterMatcher m = Sshd.matcher("sshd", Map.of(), true);
        Random r = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 3_000; i++) {
                byte[] b = new byte[r.nextInt(300)];
                r.nextBytes(b);
                String s = new String(b, StandardCharsets.UTF_8);
                if (i % 3 == 0) {
                    s = "Aug 14 11:59:59 host sshd[1]: " + s;
                }
                m.process(s, LogLine.UNKNOWN_TIME, (n, f) -> { });
            }
        });
    }

    @Test
    void testFilterReadsInvalidUtf8AndBinaryFiles() throws Exception {
        assumeTrue(Sshd.available(), "Debian package fail2ban is not installed");
        Path log = tmp.resolve("bad.log");
        byte[] good = "Aug 14 11:59:59 host sshd[1]: Failed password for bob from 192.0.2.9 port 22 ssh2\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] bad = {'A', 'u', 'g', ' ', (byte) 0xff, (byte) 0xc3, 0x28, 0, '\r', '\n', (byte) 0xe2, (byte) 0x82, '\n'};
        byte[] all = new byte[good.length * 2 + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        System.arraycopy(good, 0, all, good.length + bad.length, good.length);
        Files.write(log, all);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = TestFilterCommand.run(new String[] {"--config-dir", "/etc/fail2ban", "--filter", "sshd", "--log", log.toString(),
            "--now", "1124013600", "--tz", "CET-01CEST-02,M3.5.0,M10.5.0", "--json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, rc);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, out::toString);
        assertTrue(lines[0].startsWith("{\"line\": 1, \"fid\": \"192.0.2.9\""), lines[0]);
        assertTrue(lines[1].startsWith("{\"line\": 4, \"fid\": \"192.0.2.9\""), lines[1]);
    }
}
