package ips.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @Test
    void printsEveryOctetValueInEveryPositionAsDecimal() throws Exception {
        for (int o = 0; o < 256; o++) {
            int v = o * 0x01010101;
            String q = o + "." + o + "." + o + "." + o;
            assertEquals(q, IpAddress.ofIpv4(v).toString());
            StringBuilder sb = new StringBuilder();
            IpAddress.ofIpv4(v).appendTo(sb);
            assertEquals(q, sb.toString());
            assertEquals("10." + o + ".0." + (255 - o), IpAddress.ofIpv4(0x0A000000 | o << 16 | (255 - o)).toString());
            assertEquals(IpAddress.ofIpv4(v), IpAddress.parse(q));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1, 192.0.2.1",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "2001:db8::1, 2001:db8::1",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "::ffff:192.0.2.7, 192.0.2.7",
        "::FFFF:c000:0207, 192.0.2.7",
        "0:0:0:0:0:ffff:192.0.2.7, 192.0.2.7",
        "::192.0.2.7, ::c000:207",
        "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
        "fe80::1:2, fe80::1:2",
    })
    void parsesEveryTextualFormToItsCanonicalText(String text, String canonical) throws Exception {
        assertEquals(canonical, IpAddress.parse(text).toString());
        assertEquals(IpAddress.parse(canonical), IpAddress.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4", "1..2.3",
        "1.2.3.", "a.b.c.d", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "1:::2", "12345::", "g::1",
        "fe80::1%eth0", "[::1]", "::ffff:1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6:7:8::",
        "\u0661.2.3.4", "\uff11::", "1.2.3.4/24", ":", "::1:", "1:2:3:4:5:6:7:",
    })
    void rejectsMalformedTextWithATypedError(String text) {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> IpAddress.parse(text));
        assertTrue(e.getMessage().contains("invalid address"), e.getMessage());
        assertNull(IpAddress.tryParse(text));
    }

    @Test
    void rejectsZoneIdsByName() {
        AddressFormatException e = assertThrows(AddressFormatException.class, () -> IpAddress.parse("fe80::1%2"));
        assertTrue(e.getMessage().contains("zone"), e.getMessage());
    }

    @Test
    void parsesASubrangeOfLargerText() throws Exception {
        String line = "Failed password for root from 203.0.113.9 port 22";
        assertEquals("203.0.113.9", IpAddress.parse(line, 30, 41).toString());
    }

    @Test
    void roundTripsThroughBytes() throws Exception {
        IpAddress v6 = IpAddress.parse("2001:db8::abcd:1");
        assertEquals(v6, IpAddress.ofBytes(v6.toBytes()));
        IpAddress v4 = IpAddress.parse("10.1.2.3");
        assertArrayEquals(new byte[] {10, 1, 2, 3}, v4.toBytes());
        assertEquals(IpAddress.parse("10.1.2.3"),
                IpAddress.ofBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3}));
    }

    @Test
    void masksHostBits() throws Exception {
        assertEquals("10.1.0.0", IpAddress.parse("10.1.2.3").mask(16).toString());
        assertEquals("2001:db8:1:2::", IpAddress.parse("2001:db8:1:2:3:4:5:6").mask(64).toString());
        assertEquals("2001:db8:1:2:3::", IpAddress.parse("2001:db8:1:2:3:4:5:6").mask(80).toString());
        assertEquals("0.0.0.0", IpAddress.parse("10.1.2.3").mask(0).toString());
    }
}
