package ips.nftables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ips.api.IpAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class MessageBufferTest {

    private static byte[] bytes(MessageBuffer b) {
        return b.segment().asSlice(0, b.position()).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void encodesHeadersInHostOrderAndValuesInNetworkOrder() {
        try (Arena arena = Arena.ofConfined()) {
            MessageBuffer b = new MessageBuffer(arena, 4096, 7);
            int seq = b.beginNft(NfTables.NFT_MSG_NEWTABLE, NetlinkLayout.NLM_F_REQUEST, NetlinkLayout.NFPROTO_INET);
            b.putBytes(TableMessage.NFTA_TABLE_NAME, NetlinkStrings.z("ab"));
            b.putU32(9, 0x01020304);
            b.end();
            assertEquals(7, seq);
            ByteBuffer bb = ByteBuffer.wrap(bytes(b)).order(ByteOrder.nativeOrder());
            assertEquals(16 + 4 + 8 + 8, bb.getInt(0)); // nlmsg_len
            assertEquals((10 << 8), bb.getShort(4) & 0xFFFF); // NFNL_SUBSYS_NFTABLES << 8 | NEWTABLE
            assertEquals(1, bb.getShort(6)); // NLM_F_REQUEST
            assertEquals(7, bb.getInt(8));
            assertEquals(1, bb.get(16)); // NFPROTO_INET
            assertEquals(7, bb.getShort(20)); // nla_len of "ab\0": 4 + 3, padding excluded
            assertEquals(1, bb.getShort(22));
            assertArrayEquals(new byte[] {'a', 'b', 0, 0}, java.util.Arrays.copyOfRange(bytes(b), 24, 28));
            assertArrayEquals(new byte[] {1, 2, 3, 4}, java.util.Arrays.copyOfRange(bytes(b), 32, 36));
        }
    }

    @Test
    void batchDelimitersCarryTheNftablesSubsystemBigEndian() {
        try (Arena arena = Arena.ofConfined()) {
            MessageBuffer b = new MessageBuffer(arena, 4096, 1);
            b.beginBatch();
            byte[] m = bytes(b);
            assertEquals(20, m.length);
            assertEquals(0, m[18]);
            assertEquals(10, m[19]); // res_id = NFNL_SUBSYS_NFTABLES, big-endian
        }
    }

    @Test
    void nestedElementsCarryTheNestedFlagAndTheirLength() {
        try (Arena arena = Arena.ofConfined()) {
            MessageBuffer b = new MessageBuffer(arena, 4096, 1);
            b.beginNft(NfTables.NFT_MSG_NEWSETELEM, 0, 1);
            int start = b.position();
            SetElementMessage.element(b, IpAddress.tryParse("192.0.2.1"), 0, 1500);
            b.end();
            ByteBuffer bb = ByteBuffer.wrap(bytes(b)).order(ByteOrder.nativeOrder());
            assertEquals(4 + 12 + 12, bb.getShort(start)); // LIST_ELEM: key nest (4+8) + timeout (4+8)
            assertEquals(NfTables.NFTA_LIST_ELEM | NetlinkLayout.NLA_F_NESTED, bb.getShort(start + 2) & 0xFFFF);
            assertEquals(0xC0000201, ByteBuffer.wrap(bytes(b)).getInt(start + 12)); // key, network order
            assertEquals(1500L, ByteBuffer.wrap(bytes(b)).getLong(start + 20)); // timeout, big-endian ms
        }
    }

    @Test
    void refusesANestThatWouldOverflowItsSixteenBitLength() {
        try (Arena arena = Arena.ofConfined()) {
            MessageBuffer b = new MessageBuffer(arena, 1 << 20, 1);
            b.beginNft(NfTables.NFT_MSG_NEWSETELEM, 0, 1);
            int list = b.beginNest(SetElementMessage.NFTA_SET_ELEM_LIST_ELEMENTS);
            for (int i = 0; i < 3000; i++) {
                SetElementMessage.element(b, IpAddress.ofIpv4(i), 0, 1000);
            }
            assertThrows(IllegalStateException.class, () -> b.endNest(list));
        }
    }

    @Test
    void theWarmUpEncodesWholeBanBatchesIntoItsOwnBuffer() {
        long bytes = NftablesEnforcer.encodeScratchBatches();
        // each element: an IPv4 key and a timeout in nested attributes (28 bytes)
        long perBatch = bytes / NftablesEnforcer.WARM_UP_BATCHES;
        assertEquals(0, bytes % NftablesEnforcer.WARM_UP_BATCHES, "every batch the same");
        org.junit.jupiter.api.Assertions.assertTrue(perBatch > 20L * NftablesEnforcer.WARM_UP_ELEMENTS
                && perBatch < NftablesEnforcer.SMALL_BATCH, perBatch + " bytes a batch");
    }
}
