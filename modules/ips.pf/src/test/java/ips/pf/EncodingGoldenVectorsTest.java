package ips.pf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ips.api.IpPrefix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Byte-exact encodings of the structures, written out by hand from pfvar.h. */
class EncodingGoldenVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] addr(String prefix) {
        MemorySegment s = MemorySegment.ofArray(new byte[20]);
        s.fill((byte) 0x5A); // stale bytes must be cleared
        PfrAddrLayout.encode(s, 0, IpPrefix.tryParse(prefix));
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void encodesAnIpv4HostAsFourNetworkOrderBytesAfInet2AndNet32() {
        assertEquals("c0000207" + "000000000000000000000000" + "02" + "20" + "00" + "00",
                HEX.formatHex(addr("192.0.2.7")));
    }

    @Test
    void encodesAnIpv4PrefixWithItsLengthAtOffset17() {
        assertEquals("c6336400" + "000000000000000000000000" + "02" + "18" + "00" + "00",
                HEX.formatHex(addr("198.51.100.0/24")));
    }

    @Test
    void encodesIpv6WithFreeBsdsAfInet6Of28() {
        assertEquals("20010db8000000000000000000000001" + "1c" + "80" + "00" + "00",
                HEX.formatHex(addr("2001:db8::1")));
        assertEquals("20010db8000000000000000000000000" + "1c" + "20" + "00" + "00",
                HEX.formatHex(addr("2001:db8::/32")));
    }

    @Test
    void decodesWhatItEncodesAndRejectsHostBitsAndUnknownFamilies() {
        for (String p : new String[] {"192.0.2.7", "10.0.0.0/8", "0.0.0.0/0", "2001:db8::1", "2001:db8::/32", "::/0"}) {
            MemorySegment s = MemorySegment.ofArray(addr(p));
            assertEquals(IpPrefix.tryParse(p), PfrAddrLayout.decode(s, 0));
        }
        MemorySegment bad = MemorySegment.ofArray(addr("10.0.0.0/8"));
        bad.set(ValueLayout.JAVA_BYTE, 3, (byte) 1);
        assertNull(PfrAddrLayout.decode(bad, 0));
        MemorySegment linuxAf = MemorySegment.ofArray(addr("2001:db8::1"));
        linuxAf.set(ValueLayout.JAVA_BYTE, 16, (byte) 10);
        assertNull(PfrAddrLayout.decode(linuxAf, 0));
    }

    @Test
    void encodesATableNameAfterTheAnchorWithZerosToTheEnd() {
        MemorySegment t = MemorySegment.ofArray(new byte[1064]);
        t.fill((byte) 0x77);
        PfrTableLayout.encode(t, "portcullis-sshd", PfrTableLayout.PFR_TFLAG_PERSIST);
        byte[] b = t.toArray(ValueLayout.JAVA_BYTE);
        byte[] expected = new byte[1064];
        byte[] name = "portcullis-sshd".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, expected, 1024, name.length);
        expected[1056] = 1; // pfrt_flags = PFR_TFLAG_PERSIST, little-endian u32 on amd64/arm64
        assertArrayEquals(expected, b);
    }

    @Test
    void refusesTableNamesLongerThan31Bytes() {
        MemorySegment t = MemorySegment.ofArray(new byte[1064]);
        PfrTableLayout.encode(t, "a".repeat(31), 0);
        assertThrows(IllegalArgumentException.class, () -> PfrTableLayout.encode(t, "a".repeat(32), 0));
        assertThrows(IllegalArgumentException.class, () -> PfrTableLayout.encode(t, "", 0));
    }

    @Test
    void fillsStateKillWithSourceAddressMaskAndFamilyOnly() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment psk = arena.allocate(PfiocStateKillLayout.LAYOUT);
            psk.fill((byte) 0x33);
            PfiocStateKillLayout.encode(psk, IpPrefix.tryParse("203.0.113.0/24"));
            byte[] expected = new byte[224];
            expected[16] = 2; // psk_af = AF_INET
            // psk_src at 24: addr.v.a.addr (16 bytes), addr.v.a.mask (16 bytes), p, type 0
            System.arraycopy(HEX.parseHex("cb007100"), 0, expected, 24, 4);
            System.arraycopy(HEX.parseHex("ffffff00"), 0, expected, 40, 4);
            assertArrayEquals(expected, psk.toArray(ValueLayout.JAVA_BYTE));

            PfiocStateKillLayout.encode(psk, IpPrefix.tryParse("2001:db8::/33"));
            expected = new byte[224];
            expected[16] = 28;
            System.arraycopy(HEX.parseHex("20010db8"), 0, expected, 24, 4);
            System.arraycopy(HEX.parseHex("ffffffff80"), 0, expected, 40, 5);
            assertArrayEquals(expected, psk.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void fillsPfiocTableCountsAndPointerWhereTheKernelReadsThem() throws Exception {
        RecordingDevice dev = new RecordingDevice();
        PfTables t = new PfTables(dev, 65535);
        t.delAddrs("portcullis-sshd", java.util.List.of(IpPrefix.tryParse("192.0.2.7")));
        MemorySegment io = MemorySegment.ofArray(dev.lastArgument);
        assertEquals("portcullis-sshd", PfrTableLayout.name(io.asSlice(0, 1064)));
        assertEquals(0, PfrTableLayout.flags(io.asSlice(0, 1064)));
        assertEquals(20, io.get(ValueLayout.JAVA_INT_UNALIGNED, 1072)); // pfrio_esize
        assertEquals(1, io.get(ValueLayout.JAVA_INT_UNALIGNED, 1076));  // pfrio_size
        assertEquals(0, io.get(ValueLayout.JAVA_INT_UNALIGNED, 1096));  // pfrio_flags
        assertEquals(dev.lastBufferAddress, io.get(ValueLayout.JAVA_LONG_UNALIGNED, 1064));
        assertEquals("c0000207000000000000000000000000" + "02200000", HEX.formatHex(dev.lastBuffer));
    }

    /** Keeps a copy of what the last ioctl received. */
    static final class RecordingDevice implements IoctlDevice {
        byte[] lastArgument;
        long lastBufferAddress;
        byte[] lastBuffer;

        @Override
        public int ioctl(long request, MemorySegment argument) {
            lastArgument = argument.toArray(ValueLayout.JAVA_BYTE);
            MemorySegment buf = argument.get(ValueLayout.ADDRESS, PfiocTableLayout.PFRIO_BUFFER);
            lastBufferAddress = buf.address();
            int n = argument.get(ValueLayout.JAVA_INT, PfiocTableLayout.PFRIO_SIZE);
            int esize = argument.get(ValueLayout.JAVA_INT, PfiocTableLayout.PFRIO_ESIZE);
            lastBuffer = buf.reinterpret((long) n * esize).toArray(ValueLayout.JAVA_BYTE);
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
