package ips.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The resolver's reasons as fail2ban's log gives them (Python's {@code str(socket.gaierror)}). No DNS query is sent. */
class HostLookupTest {
    @Test
    void theJdksMessageBecomesPythonsText() {
        // the JDK's UnknownHostException: "NAME: " + gai_strerror(code); Python: "[Errno code] " + the same text
        assertEquals("[Errno -2] Name or service not known", HostLookup.pythonReason("x.invalid", "x.invalid: Name or service not known"));
        assertEquals("[Errno -3] Temporary failure in name resolution",
                HostLookup.pythonReason("x.invalid", "x.invalid: Temporary failure in name resolution"));
        assertEquals("[Errno -5] No address associated with hostname",
                HostLookup.pythonReason("h", "h: No address associated with hostname"));
        assertEquals("[Errno -4] Non-recoverable failure in name resolution",
                HostLookup.pythonReason("h", "h: Non-recoverable failure in name resolution"));
        assertEquals("[Errno -9] Address family for hostname not supported",
                HostLookup.pythonReason("h", "h: Address family for hostname not supported"));
        // a name that holds ": " itself
        assertEquals("[Errno -2] Name or service not known", HostLookup.pythonReason("a: b", "a: b: Name or service not known"));
    }

    @Test
    void anUnknownMessageIsGivenAsItIsAndACachedFailureGivesNone() {
        assertEquals("something else", HostLookup.pythonReason("h", "h: something else"));
        assertEquals("no name in it", HostLookup.pythonReason("h", "no name in it"));
        // the JDK's cache of failed lookups answers with the name alone
        assertNull(HostLookup.pythonReason("h", "h"));
        assertNull(HostLookup.pythonReason("h", null));
    }

    @Test
    void anAddressResolvesToItselfWithoutALookupAndAnUnresolvedNameSaysWhy() throws AddressFormatException {
        assertEquals(java.util.List.of(IpAddress.parse("192.0.2.7")), HostLookup.orFail("192.0.2.7"));
        assertEquals(java.util.List.of(IpAddress.parse("192.0.2.7")), HostLookup.system("192.0.2.7"));
        HostLookup.Unresolved e = new HostLookup.Unresolved("x.invalid", "[Errno -2] Name or service not known");
        assertEquals("[Errno -2] Name or service not known", e.reason());
        assertEquals("x.invalid: [Errno -2] Name or service not known", e.getMessage());
        assertFalse(new HostLookup.Unresolved("x.invalid", null).getMessage().contains("null"));
    }
}
