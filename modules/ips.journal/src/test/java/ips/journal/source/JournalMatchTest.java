package ips.journal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class JournalMatchTest {

    @Test
    void plusSeparatesGroupsThatAreOred() {
        assertEquals(List.of(List.of("_SYSTEMD_UNIT=sshd.service"), List.of("_COMM=sshd")),
                JournalMatch.parse(List.of("_SYSTEMD_UNIT=sshd.service + _COMM=sshd")));
    }

    @Test
    void termsOfOneGroupStayTogether() {
        assertEquals(List.of(List.of("_SYSTEMD_UNIT=postfix.service", "SYSLOG_IDENTIFIER=postfix/smtpd")),
                JournalMatch.parse(List.of("_SYSTEMD_UNIT=postfix.service SYSLOG_IDENTIFIER=postfix/smtpd")));
    }

    @Test
    void eachConfiguredLineIsAnotherOredGroup() {
        assertEquals(List.of(List.of("_COMM=a"), List.of("_COMM=b", "PRIORITY=3"), List.of("_COMM=c")),
                JournalMatch.parse(List.of("_COMM=a", "", "_COMM=b PRIORITY=3 + _COMM=c")));
    }

    @Test
    void termsAreSplitLikeShlexWithQuotes() {
        assertEquals(List.of(List.of("MESSAGE=two words", "_COMM=x")),
                JournalMatch.parse(List.of("'MESSAGE=two words' _COMM=x # a comment")));
        assertEquals(List.of(List.of("MESSAGE=a\"b")), JournalMatch.parse(List.of("\"MESSAGE=a\\\"b\"")));
    }

    @Test
    void strayPlusSignsMakeNoEmptyGroup() {
        assertEquals(List.of(List.of("_COMM=a")), JournalMatch.parse(List.of("+ _COMM=a +")));
        assertEquals(List.of(), JournalMatch.parse(List.of()));
    }

    @Test
    void termsThatLibsystemdWouldRejectAreRefusedWithTheirText() {
        assertThrows(IllegalArgumentException.class, () -> JournalMatch.parse(List.of("sshd")));
        assertThrows(IllegalArgumentException.class, () -> JournalMatch.parse(List.of("=x")));
        assertThrows(IllegalArgumentException.class, () -> JournalMatch.parse(List.of("_comm=sshd")));
        assertThrows(IllegalArgumentException.class, () -> JournalMatch.parse(List.of("1X=2")));
        assertThrows(IllegalArgumentException.class, () -> JournalMatch.parse(List.of("'_COMM=x")));
    }
}
