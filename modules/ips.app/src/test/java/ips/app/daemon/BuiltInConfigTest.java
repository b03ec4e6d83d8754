package ips.app.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.JailRule;
import ips.api.LogLine;
import ips.api.Protocol;
import ips.filter.FilterMatcher;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration the daemon runs when neither /etc/portcullis nor /etc/fail2ban exists. */
class BuiltInConfigTest {
    @TempDir
    Path scratch;

    private List<String> failuresOf(String line) throws Exception {
        ConfigSnapshot s = ConfigSnapshot.load(ConfigSource.builtIn(scratch, true), true);
        long now = 1_700_000_000_000L;
        FilterMatcher m = s.setups().get("sshd").filter().newSourceMatcher(ZoneOffset.UTC.getRules(), () -> now);
        List<String> ids = new ArrayList<>();
        m.process(LogLine.ofFile("auth.log", line), (n, f) -> {
            if (f.isFailure()) {
                ids.add(f.fid());
            }
        });
        return ids;
    }

    @Test
    void readsTheSshdJailOnAuthLogWithSshPortBanned() throws Exception {
        ConfigSnapshot s = ConfigSnapshot.load(ConfigSource.builtIn(scratch, true), true);
        assertEquals(List.of("sshd"), List.copyOf(s.setups().keySet()));
        ConfigSnapshot.JailSetup sshd = s.setups().get("sshd");
        assertFalse(sshd.definition().usesJournal());
        assertEquals("/var/log/auth.log", sshd.definition().logPaths().get(0).glob());
        JailRule r = sshd.rule();
        assertEquals(Protocol.TCP, r.protocol());
        assertEquals(22, r.ports().get(0).first());
        assertEquals(5, sshd.definition().maxRetry());
        assertTrue(sshd.notMapped().isEmpty(), sshd.notMapped().toString());
    }

    @Test
    void usesTheJournalWhenThereIsNoAuthLog() throws Exception {
        ConfigSnapshot s = ConfigSnapshot.load(ConfigSource.builtIn(scratch, false), true);
        ConfigSnapshot.JailSetup sshd = s.setups().get("sshd");
        assertTrue(sshd.definition().usesJournal());
        assertFalse(sshd.definition().filter().journalmatch().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Nov 23 18:20:17 host sshd[123]: Failed password for root from 192.0.2.1 port 4242 ssh2|192.0.2.1",
        "Nov 23 18:20:17 host sshd[123]: Failed password for invalid user admin from 2001:db8::7 port 22 ssh2|2001:db8::7",
        "Nov 23 18:20:17 host sshd[9]: Invalid user oracle from 198.51.100.9 port 50000|198.51.100.9",
        "Nov 23 18:20:17 host sshd-session[9]: Connection closed by invalid user x 203.0.113.5 port 2 [preauth]|203.0.113.5",
        "Nov 23 18:20:17 host sshd[9]: Disconnected from authenticating user root 203.0.113.6 port 3 [preauth]|203.0.113.6",
        "host sshd[9]: error: maximum authentication attempts exceeded for root from 192.0.2.44 port 1 ssh2 [preauth]|192.0.2.44",
    })
    void builtInSshdFilterFindsTheAttacker(String line, String attacker) throws Exception {
        assertEquals(List.of(attacker), failuresOf(line));
    }

    @Test
    void addressInjectedThroughUserNameIsNeverBanned() throws Exception {
        assertEquals(List.of("192.0.2.50"), failuresOf(
                "Nov 23 18:20:17 host sshd[1]: Failed password for invalid user x from 10.9.9.9 port 1 ssh2 from 192.0.2.50 port 22 ssh2"));
        assertEquals(List.of(), failuresOf(
                "Nov 23 18:20:17 host sshd[1]: Accepted password for alice from 198.51.100.1 port 22 ssh2"));
        assertEquals(List.of(), failuresOf(
                "Nov 23 18:20:17 host cron[1]: Failed password for root from 192.0.2.1 port 4242 ssh2"));
    }
}
