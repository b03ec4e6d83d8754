package ips.engine.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ips.api.Ban;
import ips.api.Enforcer;
import ips.api.IpPrefix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

class BanLedgerTest {
    private static final long DAY = 86_400_000L;
    @TempDir
    Path dir;

    private static IpPrefix p(String s) {
        return IpPrefix.tryParse(s);
    }

    @Test
    void replaysBansUnbansAndHistoryAfterReopen() throws Exception {
        Path f = dir.resolve("ledger");
        try (BanLedger l = BanLedger.open(f, DAY)) {
            l.append(new Ban("sshd", p("192.0.2.1"), 5000), 1000);
            l.append(new Ban("sshd", p("2001:db8::/64"), Ban.PERMANENT), 1000);
            l.append(new Ban("nginx", p("192.0.2.1"), 9000), 2000);
            assertTrue(l.appendUnban("nginx", p("192.0.2.1"), 2500));
            assertTrue(l.sync());
        }
        try (BanLedger l = BanLedger.open(f, DAY)) {
            assertNull(l.openReport().problem());
            assertEquals(4, l.openReport().records());
            assertEquals(Set.of(new Ban("sshd", p("192.0.2.1"), 5000), new Ban("sshd", p("2001:db8::/64"), Ban.PERMANENT)),
                    new HashSet<>(l.activeBans(1500)));
            assertEquals(1, l.banCount("nginx", p("192.0.2.1"), false));
            assertEquals(2, l.banCount("sshd", p("192.0.2.1"), true));
            assertEquals(2000, l.find("nginx", p("192.0.2.1")).lastBanTime());
        }
    }

    @Test
    void truncatesATornTailToTheLastGoodRecordAndReportsIt() throws Exception {
        Path f = dir.resolve("ledger");
        try (BanLedger l = BanLedger.open(f, DAY)) {
            for (int i = 0; i < 10; i++) {
                l.append(new Ban("sshd", p("192.0.2." + i), 100_000), 1000);
            }
        }
        long size = Files.size(f);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(size - 7); // power loss in the middle of the last record
        }
        try (BanLedger l = BanLedger.open(f, DAY)) {
            assertEquals(9, l.openReport().records());
            assertNotNull(l.openReport().problem());
            assertTrue(l.openReport().problem().contains("torn"), l.openReport().problem());
            assertEquals(9, l.activeBans(0).size());
            l.append(new Ban("sshd", p("192.0.2.200"), 100_000), 1000);
        }
        try (BanLedger l = BanLedger.open(f, DAY)) {
            assertNull(l.openReport().problem());
            assertEquals(10, l.activeBans(0).size());
        }
    }

    @Test
    void stopsAtACorruptRecordAndKeepsTheGoodPrefix() throws Exception {
        Path f = dir.resolve("ledger");
        try (BanLedger l = BanLedger.open(f, DAY)) {
            for (int i = 0; i < 5; i++) {
                l.append(new Ban("sshd", p("192.0.2." + i), 100_000), 1000);
            }
        }
        byte[] b = Files.readAllBytes(f);
        int recordLength = (b.length - 8) / 5;
        b[8 + 2 * recordLength + 30] ^= 0x40; // flip a bit inside the third record
        Files.write(f, b);
        try (BanLedger l = BanLedger.open(f, DAY)) {
            assertEquals(2, l.openReport().records());
            assertTrue(l.openReport().problem().contains("checksum"), l.openReport().problem());
            assertEquals(8 + 2L * recordLength, Files.size(f));
        }
    }

    @Test
    void restoresEveryLiveBanInOneCallLiftsOursThatAreOverAndReportsForeignOnes() throws Exception {
        Path f = dir.resolve("ledger");
        try (BanLedger l = BanLedger.open(f, DAY)) {
            l.append(new Ban("sshd", p("192.0.2.1"), 50_000), 1000);
            l.append(new Ban("sshd", p("192.0.2.2"), 2_000), 1000);
            l.append(new Ban("sshd", p("192.0.2.3"), Ban.PERMANENT), 1000);
        }
        Enforcer e = mock(Enforcer.class);
        when(e.list()).thenReturn(List.of(new Ban("sshd", p("192.0.2.2"), 2_000), new Ban("sshd", p("198.51.100.1"), 9_000)));
        when(e.list(org.mockito.ArgumentMatchers.any())).thenCallRealMethod(); // the interface's filter of list()
        try (BanLedger l = BanLedger.open(f, DAY)) {
            BanLedger.RestoreReport r = l.restore(e, 10_000);
            @SuppressWarnings("unchecked")
            ArgumentCaptor<Collection<Ban>> c = ArgumentCaptor.forClass(Collection.class);
            verify(e, times(1)).ban(c.capture());
            assertEquals(Set.of(new Ban("sshd", p("192.0.2.1"), 50_000), new Ban("sshd", p("192.0.2.3"), Ban.PERMANENT)),
                    new HashSet<>(c.getValue()));
            assertEquals(2, c.getValue().size());
            assertEquals(1, r.expired());
            assertEquals(List.of(new Ban("sshd", p("198.51.100.1"), 9_000)), r.foreign());
            verify(e).unban("sshd", List.of(p("192.0.2.2")));
            assertNull(r.problem());
        }
    }

    @Test
    void restoreOfSomeJailsLeavesTheOthersBansInTheLedgerAndTheirKernelEntriesAlone() throws Exception {
        BanLedger l = BanLedger.inMemory(DAY);
        l.append(new Ban("sshd", p("192.0.2.1"), 50_000), 1000);
        l.append(new Ban("web", p("192.0.2.2"), 60_000), 1000);
        l.append(new Ban("web", p("192.0.2.3"), 2_000), 1000);
        l.append(new Ban("web", p("192.0.2.4"), 70_000), 1000);
        l.appendUnban("web", p("192.0.2.4"), 1500);
        Enforcer e = mock(Enforcer.class);
        when(e.list()).thenReturn(List.of(new Ban("web", p("192.0.2.4"), 70_000), new Ban("web", p("198.51.100.1"), 9_000)));
        when(e.list(org.mockito.ArgumentMatchers.any())).thenCallRealMethod(); // the interface's filter of list()

        BanLedger.RestoreReport r = l.restore(e, 10_000, "sshd"::equals);
        assertEquals(List.of(new Ban("sshd", p("192.0.2.1"), 50_000)), r.restored());
        assertEquals(1, r.otherJails());
        assertEquals(java.util.Set.of("web"), r.otherJailNames());
        assertEquals(1, r.expired(), "a ban whose time is over is over, whatever its jail");
        assertEquals(List.of(), r.foreign());
        assertEquals(List.of(), r.lifted());
        verify(e, never()).unban(org.mockito.ArgumentMatchers.anyString(), org.mockito.ArgumentMatchers.anyCollection());
        assertEquals(2, l.activeBans(10_000).size(), "web's live ban is still active in the ledger");

        BanLedger.RestoreReport web = l.restore(e, 10_000, "web"::equals);
        assertEquals(List.of(new Ban("web", p("192.0.2.2"), 60_000)), web.restored());
        assertEquals(List.of(new Ban("web", p("198.51.100.1"), 9_000)), web.foreign());
        verify(e).unban("web", List.of(p("192.0.2.4")));
    }

    @Test
    void compactsWhenDeadRecordsDominateAndKeepsHistory() throws Exception {
        Path f = dir.resolve("ledger");
        try (BanLedger l = BanLedger.open(f, 10 * DAY)) {
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < 30; i++) {
                    l.append(new Ban("sshd", p("192.0.2." + i), 1_000_000 + round), round);
                    l.appendUnban("sshd", p("192.0.2." + i), round);
                }
                l.write();
            }
            l.append(new Ban("sshd", p("192.0.2.100"), 5_000_000), 200);
            assertTrue(l.worthCompacting());
            long before = Files.size(f);
            assertTrue(l.compactIfWorthIt(300));
            assertTrue(Files.size(f) < before / 10, Files.size(f) + " vs " + before);
            assertFalse(l.worthCompacting());
            l.append(new Ban("sshd", p("192.0.2.101"), 5_000_000), 400);
        }
        try (BanLedger l = BanLedger.open(f, DAY)) {
            assertNull(l.openReport().problem());
            assertEquals(100, l.banCount("sshd", p("192.0.2.7"), false));
            assertEquals(2, l.activeBans(1000).size());
        }
    }

    @Test
    void aReadOnlyLedgerIsReplayedAndEveryWriteIsCountedAsAnError() throws Exception {
        Path f = dir.resolve("ledger");
        try (BanLedger l = BanLedger.open(f, DAY)) {
            l.append(new Ban("sshd", p("192.0.2.1"), 50_000), 1000);
        }
        // root ignores file permissions (CI runs as root), but not an immutable file (ext4, xfs, btrfs)
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            assumeTrue(chattr("+i", f), "root ignores file permissions and chattr +i does not work here");
        } else {
            f.toFile().setWritable(false);
        }
        try (BanLedger l = BanLedger.open(f, DAY)) {
            assertNotNull(l.openReport().problem());
            assertEquals(1, l.activeBans(0).size());
            l.append(new Ban("sshd", p("192.0.2.2"), 50_000), 1000);
            assertFalse(l.sync());
            assertTrue(l.errors() > 0);
        } finally {
            if (root) {
                chattr("-i", f);
            }
        }
    }

    /** Runs chattr on {@code f}; true when it succeeded. */
    private static boolean chattr(String flag, Path f) throws InterruptedException {
        try {
            return new ProcessBuilder("chattr", flag, f.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void writesAfterTheDiskFailsAreCountedAndTheLedgerRecovers() throws Exception {
        Path f = dir.resolve("ledger");
        BanLedger l = BanLedger.open(f, DAY);
        l.append(new Ban("sshd", p("192.0.2.1"), 50_000), 1000);
        assertTrue(l.sync());
        // simulate a dead disk: the channel is closed under the ledger
        closeChannel(l);
        l.append(new Ban("sshd", p("192.0.2.2"), 50_000), 1000);
        assertFalse(l.sync());
        assertTrue(l.errors() > 0);
        assertTrue(l.failing());
        l.close();
        try (BanLedger again = BanLedger.open(f, DAY)) {
            assertEquals(1, again.activeBans(0).size());
        }
    }

    @Test
    void aBatchLargerThanTheBufferIsWrittenAsItFillsAndAllOfItIsReplayed() throws Exception {
        Path f = dir.resolve("ledger");
        try (BanLedger l = BanLedger.open(f, DAY)) {
            int start = l.bufferCapacity();
            for (int i = 0; i < 5000; i++) { // ~300 KB of records
                l.append(new Ban("sshd", p("10.1." + (i / 250) + "." + (i % 250)), 50_000), 1000);
            }
            assertEquals(start, l.bufferCapacity(), "a working disk takes the records as the buffer fills");
            assertTrue(Files.size(f) > 200_000, "written before the batch's end");
            assertTrue(l.sync());
        }
        try (BanLedger again = BanLedger.open(f, DAY)) {
            assertEquals(5000, again.activeBans(0).size());
        }
    }

    @Test
    void whileTheDiskFailsTheBufferGrowsToItsCapAndOnlyThenDropsRecords() throws Exception {
        Path f = dir.resolve("ledger");
        BanLedger l = BanLedger.open(f, DAY);
        int start = l.bufferCapacity();
        assertTrue(start < BanLedger.MAX_BUFFER_BYTES);
        List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("ips.engine.ledger");
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(h);
        closeChannel(l);
        for (int i = 0; i < 3000; i++) { // ~180 KB: more than the first buffer holds
            l.append(new Ban("sshd", p("10.2." + (i / 250) + "." + (i % 250)), 50_000), 1000);
        }
        assertEquals(0, l.droppedRecords(), "held for the disk");
        assertTrue(l.bufferCapacity() > start);
        for (int i = 0; i < 17_000; i++) { // ~1.2 MB with the first 3000: past the cap
            l.append(new Ban("sshd", p("10.3." + (i / 250 % 250) + "." + (i % 250)), 50_000), 1000);
        }
        assertEquals(BanLedger.MAX_BUFFER_BYTES, l.bufferCapacity());
        assertTrue(l.droppedRecords() > 100, "dropped " + l.droppedRecords());
        assertTrue(l.errors() > 0);
        jul.removeHandler(h);
        // thousands of refused writes and dropped records: two lines, not a line each
        List<String> lines = logged.stream().map(r -> r.getMessage()).toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("cannot persist bans"), lines.get(0));
        assertTrue(lines.get(1).contains("dropping records (first: 10.3."), lines.get(1));
        l.close();
    }

    private static void closeChannel(BanLedger l) throws Exception {
        java.lang.reflect.Field ch = BanLedger.class.getDeclaredField("channel");
        ch.setAccessible(true);
        ((FileChannel) ch.get(l)).close();
    }

    @Test
    void anEmptyOrForeignFileStartsAFreshLedger() throws Exception {
        Path f = dir.resolve("ledger");
        Files.writeString(f, "this is not a ledger");
        try (BanLedger l = BanLedger.open(f, DAY)) {
            assertNotNull(l.openReport().problem());
            assertEquals(0, l.size());
            l.append(new Ban("sshd", p("192.0.2.1"), 50_000), 1000);
        }
        try (BanLedger l = BanLedger.open(f, DAY)) {
            assertNull(l.openReport().problem());
            assertEquals(1, l.size());
        }
        Enforcer unused = mock(Enforcer.class);
        verify(unused, never()).ban(anyCollection());
        verify(unused, never()).unban(eq("x"), any());
    }

    @Test
    void aMemoryOnlyLedgerKeepsEveryBanOfABatchLargerThanItsBuffer() {
        BanLedger l = BanLedger.inMemory(DAY);
        for (int i = 0; i < 5000; i++) { // ~300 KB of records, never written: the buffer holds 16 KB
            l.append(new Ban("a-jail-with-a-long-name-" + "x".repeat(200), p("10.0." + (i / 250) + "." + (i % 250)),
                    50_000), 1000);
        }
        assertTrue(l.write());
        assertEquals(5000, l.activeBans(10_000).size());
        assertEquals(0, l.droppedRecords());
    }
}
