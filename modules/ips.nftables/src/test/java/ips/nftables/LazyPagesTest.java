package ips.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Netlink#lazyPages}: zero memory that is resident only where written, read back from the
 * kernel's own account of this process ({@code /proc/self/smaps}), and unmapped with its arena.
 */
class LazyPagesTest {
    private static final long MB = 1 << 20;

    /** The smaps lines of the mapping that starts at {@code address}, or an empty list. */
    private static List<String> mapping(long address) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        String start = Long.toHexString(address) + "-";
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                    end++;
                }
                return lines.subList(i, end);
            }
        }
        return List.of();
    }

    private static long rssKb(List<String> mapping) {
        for (String l : mapping) {
            if (l.startsWith("Rss:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no Rss line in " + mapping);
    }

    private static boolean syscallPath() {
        String arch = System.getProperty("os.arch", "");
        return Netlink.CallNumbers.of(arch) != null && !Boolean.getBoolean("portcullis.netlink.libc");
    }

    @Test
    void onlyTheWrittenPagesAreResidentAndTheMappingGoesWithItsArena() throws IOException {
        assumeTrue(syscallPath(), "the libc path allocates from the arena");
        long address;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = Netlink.lazyPages(arena, MB + 64 * 1024);
            address = s.address();
            assertEquals(MB + 64 * 1024, s.byteSize());
            assertEquals(0, address % 4096, "page-aligned");
            List<String> fresh = mapping(address);
            assertFalse(fresh.isEmpty(), "a mapping of its own at " + Long.toHexString(address));
            assertEquals(0, rssKb(fresh), "nothing resident before a write: " + fresh);

            s.set(ValueLayout.JAVA_LONG, 0, 0x0102030405060708L);
            s.set(ValueLayout.JAVA_BYTE, 5000, (byte) 9);
            long rss = rssKb(mapping(address));
            assertTrue(rss >= 8 && rss <= 64, "two written pages resident (kernel fault-around aside), got " + rss + " kB");

            assertEquals(0x0102030405060708L, s.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(9, s.get(ValueLayout.JAVA_BYTE, 5000));
            for (long at = 8; at < s.byteSize(); at += 4093) {
                if (at != 5000) {
                    assertEquals(0, s.get(ValueLayout.JAVA_BYTE, at), "zero at " + at);
                }
            }
        }
        assertTrue(mapping(address).isEmpty(), "unmapped when the arena closed");
    }

    @Test
    void aMessageBufferUsesThem() throws IOException {
        assumeTrue(syscallPath(), "the libc path allocates from the arena");
        try (Arena arena = Arena.ofConfined()) {
            MessageBuffer b = new MessageBuffer(arena, (int) MB, 1);
            int seq = b.beginNft(NfTables.NFT_MSG_NEWTABLE, NetlinkLayout.NLM_F_REQUEST, NetlinkLayout.NFPROTO_INET);
            b.putBytes(TableMessage.NFTA_TABLE_NAME, NetlinkStrings.z("t"));
            b.end();
            assertEquals(1, seq);
            assertTrue(rssKb(mapping(b.segment().address())) <= 64, "a small message leaves the megabyte unmapped");
        }
    }
}
