package ips.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SetNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"sshd", "nginx-http-auth", "recidive", "postfix_sasl", "apache.auth", "_x"})
    void ordinaryJailNamesAreUsedVerbatim(String jail) {
        assertEquals(jail, SetNames.base(jail));
        assertEquals(jail + "-v4", SetNames.addressSet(SetNames.base(jail), false));
        assertEquals(jail + "-v6-net", SetNames.prefixSet(SetNames.base(jail), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"my jail", "2fa", "a;b", "ünïcode", "x\u0000y", "-lead", "semi;colon}"})
    void otherNamesAreMappedToSafeIdentifiers(String jail) {
        String base = SetNames.base(jail);
        assertTrue(base.matches("j_[A-Za-z0-9_.-]+_[0-9a-f]{8}"), base);
    }

    @Test
    void mappedNamesOfDifferentJailsDiffer() {
        assertNotEquals(SetNames.base("a b"), SetNames.base("a;b"));
        assertNotEquals(SetNames.base("x".repeat(65)), SetNames.base("x".repeat(66)));
    }

    @Test
    void longestJailNameStillFitsTheKernelNameLimit() {
        String base = SetNames.base("\u00e9".repeat(200));
        assertTrue(NetlinkStrings.z(SetNames.prefixSet(base, true)).length <= NfTables.NFT_NAME_MAXLEN);
        assertTrue(NetlinkStrings.z(SetNames.prefixSet(SetNames.base("a".repeat(64)), true)).length
                <= NfTables.NFT_NAME_MAXLEN);
    }

    @Test
    void onlyNamesOfOurFourKindsOfSetCountAsJailSets() {
        for (String jail : new String[] {"sshd", "my jail"}) {
            String base = SetNames.base(jail);
            for (boolean v6 : new boolean[] {false, true}) {
                assertTrue(SetNames.isJailSet(SetNames.addressSet(base, v6)));
                assertTrue(SetNames.isJailSet(SetNames.prefixSet(base, v6)));
            }
        }
        for (String other : new String[] {"operator", "__set0", "sshd-v4x", "allow-v46", "v4"}) {
            assertFalse(SetNames.isJailSet(other), other);
        }
    }
}
