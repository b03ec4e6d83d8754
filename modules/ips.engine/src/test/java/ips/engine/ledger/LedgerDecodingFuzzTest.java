package ips.engine.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import ips.api.Ban;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A ledger file is whatever the disk gives back after a crash: decoding any bytes never throws, and
 * a good prefix of records survives any tail appended to it.
 */
class LedgerDecodingFuzzTest {

    @FuzzTest
    void decodingArbitraryBytesNeverThrowsAndTheGoodPrefixDecodesCleanly(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        List<String> seen = new ArrayList<>();
        LedgerDecoder.Result r = LedgerDecoder.decode(ByteBuffer.wrap(bytes),
                (type, jail, target, time, expiry, count) -> seen.add(type + jail + target + time + expiry + count));
        assertTrue(r.goodLength() <= bytes.length);
        assertEquals(seen.size(), r.records());
        List<String> again = new ArrayList<>();
        LedgerDecoder.Result prefix = LedgerDecoder.decode(ByteBuffer.wrap(bytes, 0, (int) r.goodLength()),
                (type, jail, target, time, expiry, count) -> again.add(type + jail + target + time + expiry + count));
        assertTrue(prefix.clean() || r.goodLength() == 0, String.valueOf(prefix.stopReason()));
        if (r.goodLength() > 0) {
            assertEquals(seen, again);
        }
    }

    @FuzzTest
    void aGoodPrefixSurvivesAnyTail(FuzzedDataProvider data) throws Exception {
        Path dir = Files.createTempDirectory("ledger-fuzz");
        Path f = dir.resolve("ledger");
        try {
            Set<Ban> written = new HashSet<>();
            int n = data.consumeInt(0, 20);
            try (BanLedger l = BanLedger.open(f, 86_400_000L)) {
                for (int i = 0; i < n; i++) {
                    IpAddress a = data.consumeBoolean() ? IpAddress.ofIpv4(data.consumeInt())
                            : IpAddress.ofIpv6(data.consumeLong(), data.consumeLong());
                    IpPrefix p = IpPrefix.covering(a, data.consumeInt(0, 128));
                    String jail = data.consumeString(12);
                    if (jail.isEmpty()) {
                        jail = "j";
                    }
                    Ban b = new Ban(jail, p, Ban.PERMANENT);
                    l.append(b, i);
                    written.add(b);
                }
            }
            Files.write(f, data.consumeRemainingAsBytes(), java.nio.file.StandardOpenOption.APPEND);
            try (BanLedger l = BanLedger.open(f, 86_400_000L)) {
                assertTrue(new HashSet<>(l.activeBans(0)).containsAll(written));
            }
            try (BanLedger l = BanLedger.open(f, 86_400_000L)) {
                assertEquals(null, l.openReport().problem(), "the tail was truncated at the first open");
            }
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
