package ips.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ips.config.JailDefinition.Blocking;
import org.junit.jupiter.api.Test;

/** A jail's {@code blocktype} read by meaning, in the words of Debian's stock action files. */
class BlockingTest {
    @Test
    void dropsRejectsAndLettingInInEachActionsVocabulary() {
        assertEquals(Blocking.FIREWALL_DEFAULT, Blocking.of(null));
        assertEquals(Blocking.FIREWALL_DEFAULT, Blocking.of("  "));
        assertEquals(Blocking.DROP, Blocking.of("DROP")); // iptables, symbiosis-blacklist-allports
        assertEquals(Blocking.DROP, Blocking.of("deny")); // ufw
        assertEquals(Blocking.REJECT, Blocking.of("REJECT --reject-with icmp-port-unreachable")); // iptables
        assertEquals(Blocking.REJECT, Blocking.of("REJECT --reject-with icmp6-port-unreachable"));
        assertEquals(Blocking.REJECT, Blocking.of("reject")); // nftables, firewalld
        assertEquals(Blocking.REJECT, Blocking.of("reject with icmp type host-prohibited"));
        assertEquals(Blocking.REJECT, Blocking.of("unreach port")); // ipfw
        assertEquals(Blocking.REJECT, Blocking.of("unreachable")); // route
        assertEquals(Blocking.REJECT, Blocking.of("\"return-icmp(port-unr)\"")); // ipfilter
        assertEquals(Blocking.LETS_IN, Blocking.of("RETURN")); // jail.conf's pass2allow-ftp
        assertEquals(Blocking.LETS_IN, Blocking.of("accept"));
        assertEquals(Blocking.UNKNOWN, Blocking.of("counter redirect to 2222")); // nftables.conf's example
        assertEquals(Blocking.UNKNOWN, Blocking.of("LOG"));
    }
}
