package ips.nftables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class AttributeCursorTest {

    @Test
    void walksFlatAndNestedAttributesInOrder() {
        try (Arena arena = Arena.ofConfined()) {
            MessageBuffer b = new MessageBuffer(arena, 4096, 1);
            b.putBytes(1, NetlinkStrings.z("name"));
            int nest = b.beginNest(2);
            b.putU32(3, 0x01020304);
            b.putU64(4, 0x0102030405060708L);
            b.endNest(nest);
            b.putBytes(5, new byte[] {9, 8, 7});

            AttributeCursor a = new AttributeCursor(b.segment(), 0, b.position());
            assertTrue(a.next());
            assertEquals(1, a.type());
            assertEquals("name", a.string());
            assertTrue(a.next());
            assertEquals(2, a.type(), "the nested flag is masked off");
            AttributeCursor inner = a.nested();
            assertTrue(inner.next());
            assertEquals(0x01020304, inner.int32());
            assertTrue(inner.next());
            assertEquals(0x0102030405060708L, inner.int64());
            assertFalse(inner.next());
            assertTrue(a.next());
            assertArrayEquals(new byte[] {9, 8, 7}, a.bytes(), "the padding is not part of the value");
            assertFalse(a.next());
        }
    }

    @Test
    void stopsAtAnAttributeThatIsTooShortOrRunsPastTheEnd() {
        try (Arena arena = Arena.ofConfined()) {
            MessageBuffer b = new MessageBuffer(arena, 4096, 1);
            b.putU32(1, 7);
            b.putU32(2, 8);
            int end = b.position();
            b.segment().set(ValueLayout.JAVA_SHORT_UNALIGNED, 8, (short) 64); // the second claims 64 bytes
            AttributeCursor a = new AttributeCursor(b.segment(), 0, end);
            assertTrue(a.next());
            assertEquals(7, a.int32());
            assertFalse(a.next());
            assertFalse(a.next(), "and stays stopped");

            b.segment().set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) 2); // shorter than its header
            assertFalse(new AttributeCursor(b.segment(), 0, end).next());
        }
    }
}
