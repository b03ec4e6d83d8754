package ips.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The command line: client options may come before the verb, as fail2ban-client takes them. */
class MainTest {
    @Test
    void clientOptionsBeforeAClientVerbMoveAfterIt() {
        assertArrayEquals(new String[] {"banned", "--json"}, Main.clientOptionsAfterVerb(new String[] {"--json", "banned"}));
        assertArrayEquals(new String[] {"status", "--socket", "/run/x.sock", "--json", "sshd"},
                Main.clientOptionsAfterVerb(new String[] {"-s", "/run/x.sock", "--json", "status", "sshd"}));
        assertArrayEquals(new String[] {"ping", "--socket=/s"}, Main.clientOptionsAfterVerb(new String[] {"--socket=/s", "ping"}));
    }

    @Test
    void anythingElseIsLeftAlone() {
        String[][] same = {{"status", "--json"}, {"--json", "run"}, {"--json"}, {"-s", "x", "test-filter", "a", "b"},
            {"--version"}, {"-s"}};
        for (String[] a : same) {
            assertArrayEquals(a, Main.clientOptionsAfterVerb(a));
        }
    }
}
