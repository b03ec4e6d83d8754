package ips.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ips.api.Ban;
import ips.api.IpPrefix;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BanDecisionTest {
    /** fail2ban 1.0.2's MyTime.seconds2str on the same values (half-way cases round to even, as Python's round). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0", "1|1s", "6|6s", "59|59s", "60|1m", "61|1m 1s", "3594|59m 54s", "3595|1h", "3600|1h", "3625|1h",
        "3635|1h", "3650|1h", "3965|1h 6m", "7199|2h", "86399|24h", "86400|1d", "86490|1d 2m", "86550|1d 2m",
        "90061|1d 1h 1m", "604799|7d", "604800|1w", "610200|1w 2h", "700000|1w 1d 2h", "31535999|52w 1d",
        "31536000|1y", "31579200|1y 1d", "40000000|1y 14w", "100000000|3y 8w 6d"})
    void secondsAreWrittenAsFail2banWritesThem(long seconds, String expected) {
        assertEquals(expected, BanDecision.seconds2str(seconds));
    }

    @Test
    void anIncreasedBanHasFail2bansObserverLine() {
        long start = 1_796_598_689_000L; // 2026-12-06 23:11:29 UTC
        Ban ban = new Ban("sshd", IpPrefix.tryParse("192.0.2.1"), start + 6_000);
        BanDecision second = new BanDecision(ban, 6_000, 2, 3, BanDecision.Reason.FAILURES);
        assertEquals("[sshd] Increase Ban 192.0.2.1 (2 # 6s -> 2026-12-06 23:11:35)",
                second.increaseLine(3_000, ZoneOffset.UTC));
        assertNull(new BanDecision(new Ban("sshd", IpPrefix.tryParse("192.0.2.1"), start + 3_000), 3_000, 1, 3,
                BanDecision.Reason.FAILURES).increaseLine(3_000, ZoneOffset.UTC), "not longer than bantime: no line");
        BanDecision forever = new BanDecision(new Ban("sshd", IpPrefix.tryParse("192.0.2.1"), Ban.PERMANENT), -1, 5, 3,
                BanDecision.Reason.FAILURES);
        assertEquals("[sshd] Increase Ban 192.0.2.1 (5 # permanent -> infinite)", forever.increaseLine(3_000, ZoneOffset.UTC));
    }
}
