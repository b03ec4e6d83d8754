package ips.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "192.0.2.7, 192.0.2.7",
        "192.0.2.7/32, 192.0.2.7",
        "0.0.0.0/0, 0.0.0.0/0",
        "2001:db8::/32, 2001:db8::/32",
        "2001:db8:1:2::/64, 2001:db8:1:2::/64",
        "::ffff:10.0.0.0/104, 10.0.0.0/8",
        "::1/128, ::1",
    })
    void parsesCidrToCanonicalText(String text, String canonical) throws Exception {
        assertEquals(canonical, IpPrefix.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5/24", "10.0.0.0/33", "2001:db8::1/64", "::/129", "10.0.0.0/", "10.0.0.0/08",
        "10.0.0.0/8/8", "10.0.0.0/-1", "10.0.0.0/ 8", "::ffff:10.0.0.0/95", "/8"})
    void rejectsHostBitsAndBadLengths(String text) {
        assertThrows(AddressFormatException.class, () -> IpPrefix.parse(text));
    }

    @Test
    void containsAndOverlaps() throws Exception {
        IpPrefix net = IpPrefix.parse("10.0.0.0/24");
        assertTrue(net.contains(IpAddress.parse("10.0.0.5")));
        assertFalse(net.contains(IpAddress.parse("10.0.1.5")));
        assertTrue(net.overlaps(IpPrefix.parse("10.0.0.128/25")));
        assertTrue(IpPrefix.parse("10.0.0.128/25").overlaps(net));
        assertFalse(net.overlaps(IpPrefix.parse("10.0.1.0/24")));
        assertFalse(net.overlaps(IpPrefix.parse("::/0")));
        assertEquals("10.0.0.255", net.lastAddress().toString());
        assertEquals("2001:db8::ffff:ffff:ffff:ffff", IpPrefix.parse("2001:db8::/64").lastAddress().toString());
    }

    @Test
    void coversAnAddressWithItsNetwork() throws Exception {
        assertEquals("2001:db8:1:2::/64", IpPrefix.covering(IpAddress.parse("2001:db8:1:2:aa::1"), 64).toString());
        assertEquals("198.51.100.0/24", IpPrefix.covering(IpAddress.parse("198.51.100.77"), 24).toString());
    }
}
