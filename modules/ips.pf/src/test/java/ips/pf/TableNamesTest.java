package ips.pf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TableNamesTest {

    @Test
    void namesAShortJailTablePrefixDashJail() {
        assertEquals("portcullis-sshd", TableNames.forJail("portcullis", "sshd"));
        assertEquals("portcullis-nginx-http-auth", TableNames.forJail("portcullis", "nginx-http-auth"));
    }

    @Test
    void keepsEveryMappedNameWithin31BytesAndDistinctForDistinctLongJails() {
        String a = TableNames.forJail("portcullis", "postfix-sasl-and-dovecot-imap");
        String b = TableNames.forJail("portcullis", "postfix-sasl-and-dovecot-pop3");
        assertTrue(a.length() <= 31, a);
        assertTrue(b.length() <= 31, b);
        assertNotEquals(a, b);
        assertTrue(a.startsWith("portcullis-postfix-sas-"), a);
        assertEquals(a, TableNames.forJail("portcullis", "postfix-sasl-and-dovecot-imap"), "stable across calls");
    }

    @Test
    void replacesCharactersPfctlCannotTakeAndHashesTheOriginal() {
        String t = TableNames.forJail("portcullis", "my jail>x");
        assertTrue(t.matches("[A-Za-z0-9_.-]{1,31}"), t);
        assertNotEquals(TableNames.forJail("portcullis", "my_jail_x"), t);
    }
}
