package ips.pf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ips.api.IpPrefix;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** libnv's packed format, byte for byte (vectors written out by hand from nvlist.c / bsd_nvpair.c). */
class NvlistTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void packsANumberAsHeaderPairHeaderNameAndLittleEndianValue() {
        byte[] b = new Nvlist().addNumber("killed", 3).pack(ByteOrder.LITTLE_ENDIAN);
        assertEquals("6c0000" + "0000000000000000" + "2200000000000000"
                + "03" + "0700" + "0800000000000000" + "0000000000000000" + "6b696c6c656400"
                + "0300000000000000", HEX.formatHex(b));
    }

    @Test
    void packsANestedListWithItsPackedSizeAsDatasizeAndClosesItWithNvlistUp() {
        byte[] b = new Nvlist().addNvlist("a", new Nvlist().addBool("b", true)).pack(ByteOrder.LITTLE_ENDIAN);
        assertEquals("6c0000" + "0000000000000000" + "5200000000000000"
                + "05" + "0200" + "2900000000000000" + "0000000000000000" + "6100"
                + "6c0000" + "0000000000000000" + "2a00000000000000"
                + "02" + "0200" + "0100000000000000" + "0000000000000000" + "6200" + "01"
                + "ff" + "0100" + "0000000000000000" + "0000000000000000" + "00", HEX.formatHex(b));
        assertEquals(101, b.length);
    }

    @Test
    void packsStringsWithTheirNulAndArraysWithTheirItemCount() {
        byte[] b = new Nvlist().addString("s", "").addNumberArray("p", 1, 2).pack(ByteOrder.LITTLE_ENDIAN);
        assertEquals("6c0000" + "0000000000000000" + (HEX.toHexDigits((byte) (b.length - 19)) + "00000000000000")
                + "04" + "0200" + "0100000000000000" + "0000000000000000" + "7300" + "00"
                + "09" + "0200" + "1000000000000000" + "0200000000000000" + "7000"
                + "0100000000000000" + "0200000000000000", HEX.formatHex(b));
    }

    @Test
    void marksBigEndianPacksWithTheFlagAndReadsThemBack() {
        Nvlist n = new Nvlist().addNumber("x", 0x0102030405060708L);
        byte[] be = n.pack(ByteOrder.BIG_ENDIAN);
        assertEquals((byte) 0x80, be[2]);
        assertEquals(n, Nvlist.unpack(be));
    }

    @Test
    void unpacksWhatItPacksIncludingTheKillRequest() {
        Nvlist kill = StateKiller.request(IpPrefix.tryParse("192.0.2.7"));
        assertEquals(kill, Nvlist.unpack(kill.pack()));
        assertEquals(kill.size(), kill.pack().length);
    }

    @Test
    void rejectsWhatLibnvRejects() {
        byte[] good = new Nvlist().addNvlist("a", new Nvlist().addBool("b", true)).pack(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = good.clone();
        magic[0] = 0x6d;
        assertThrows(IllegalArgumentException.class, () -> Nvlist.unpack(magic));
        byte[] size = good.clone();
        size[3]++; // top header size no longer equals the bytes left
        assertThrows(IllegalArgumentException.class, () -> Nvlist.unpack(size));
        byte[] bool = good.clone();
        bool[80] = 2; // a bool must be 0 or 1
        assertThrows(IllegalArgumentException.class, () -> Nvlist.unpack(bool));
        byte[] unclosed = java.util.Arrays.copyOf(good, good.length - 20);
        unclosed[11] -= 20;
        assertThrows(IllegalArgumentException.class, () -> Nvlist.unpack(unclosed));
        byte[] flags = new Nvlist().addNumber("x", 1).pack(ByteOrder.LITTLE_ENDIAN);
        flags[2] = 0x01; // NV_FLAG_IGNORE_CASE: nvlist_unpack(..., 0) answers EILSEQ
        assertThrows(IllegalArgumentException.class, () -> Nvlist.unpack(flags));
    }

    @Test
    void refusesDuplicateNamesAsLibnvDoesWithoutNoUnique() {
        assertThrows(IllegalArgumentException.class, () -> new Nvlist().addNumber("a", 1).addBool("a", true));
    }
}
