package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A jail that {@code portcullis reload} drops and brings back behaves as fail2ban's jail stop and
 * start: the real image in a throwaway network namespace with two jails, read back with nft.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReloadJailEndToEndTest {
    private static final String IN_A = "198.51.100.8";
    private static final String IN_B = "198.51.100.7";
    private static final long BANTIME_SECONDS = 3600;

    private static DaemonInNamespace daemon;
    private static Path logA;
    private static Path logB;
    private static Path local;
    /** Just before B's attack: B's ban runs out no later than this plus the bantime. */
    private static long beforeBanB;

    @BeforeAll
    static void setUp() throws IOException {
        DaemonInNamespace.assumeRunnable();
        daemon = new DaemonInNamespace("pcreload-srv", "pcreload");
        logA = daemon.createLog("a.log");
        logB = daemon.createLog("b.log");
        local = daemon.etc().resolve("jail.local");
        String bantime = Long.toString(BANTIME_SECONDS);
        Files.writeString(daemon.etc().resolve("jail.conf"), DaemonInNamespace.ALL_PORTS_DEFAULT
                + DaemonInNamespace.sshdJail("sshd", logA, 3, bantime) + DaemonInNamespace.sshdJail("sshd-b", logB, 3, bantime));
        daemon.writePortcullisConf("metrics = 127.0.0.1:9192\n");
        daemon.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static void attack(Path log, String address) throws IOException {
        DaemonInNamespace.append(log, DaemonInNamespace.failedPasswords(4242, address, 50000, 3));
    }

    /** The timeout nft shows for {@code address} in {@code set}, in seconds. */
    private static long timeoutOf(String set, String address) {
        String json = daemon.set(set);
        Matcher m = Pattern.compile("\"val\":\\s*\"" + Pattern.quote(address) + "\",\\s*\"timeout\":\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), "no timeout for " + address + " in " + json);
        return Long.parseLong(m.group(1));
    }

    private static void assertBOutOfTheFirewallAndOutOfTheCounts(String ruleset) throws IOException {
        assertFalse(ruleset.contains("sshd-b-"), "no set or rule of sshd-b is left: " + ruleset);
        assertTrue(daemon.set("sshd-v4").contains("\"" + IN_A + "\""), "the remaining jail keeps its ban");
        assertEquals("{\"sshd\":[\"" + IN_A + "\"]}\n", daemon.cli("banned", "--json").out());
        assertFalse(daemon.cli("status").out().contains("sshd-b"), daemon.cli("status").out());
        String m = daemon.metrics(9192).out();
        assertTrue(m.contains("portcullis_active_bans{jail=\"sshd\"} 1"), m);
        assertFalse(m.contains("jail=\"sshd-b\""), m);
    }

    private static void assertBRestoredWithWhatIsLeftOfItsTime() throws IOException {
        assertTrue(daemon.waitForSet("sshd-b-v4", IN_B, 5_000), "restored into sshd-b: " + daemon.set("sshd-b-v4"));
        long elapsed = (System.currentTimeMillis() - beforeBanB) / 1000;
        long timeout = timeoutOf("sshd-b-v4", IN_B);
        assertTrue(timeout <= BANTIME_SECONDS - elapsed, "timeout " + timeout + " s is no more than what is left: "
                + (BANTIME_SECONDS - elapsed) + " s");
        assertTrue(timeout >= BANTIME_SECONDS - elapsed - 60, "timeout " + timeout + " s");
        assertEquals("{\"sshd\":[\"" + IN_A + "\"],\"sshd-b\":[\"" + IN_B + "\"]}\n", daemon.cli("banned", "--json").out());
        assertTrue(daemon.output().contains("[sshd-b] Restore Ban " + IN_B));
    }

    @Test
    @Order(1)
    void reloadWithoutAJailTakesItsBansOutOfTheFirewallAndReloadWithItPutsThemBack() throws Exception {
        attack(logA, IN_A);
        beforeBanB = System.currentTimeMillis();
        attack(logB, IN_B);
        assertTrue(daemon.waitForSet("sshd-v4", IN_A, 5_000), daemon.set("sshd-v4") + "\n" + daemon.output());
        assertTrue(daemon.waitForSet("sshd-b-v4", IN_B, 5_000), daemon.set("sshd-b-v4") + "\n" + daemon.output());

        Files.writeString(local, "[sshd-b]\nenabled = false\n");
        Shell.Result r = daemon.cli("reload");
        assertTrue(r.ok(), r.out());
        assertBOutOfTheFirewallAndOutOfTheCounts(daemon.ruleset());
        assertTrue(daemon.output().contains("stopped [sshd-b]: their bans left the firewall, 1 ban(s) kept in the ledger"),
                daemon.output());
        assertFalse(daemon.output().contains("Unban " + IN_B), "stopping a jail is not an unban");

        DaemonInNamespace.sleep(2_000); // so that what is left of the ban is measurably less than the bantime
        Files.delete(local);
        r = daemon.cli("reload");
        assertTrue(r.ok(), r.out());
        assertBRestoredWithWhatIsLeftOfItsTime();
        assertTrue(daemon.output().contains("started [sshd-b]: 1 ban(s) restored from the ledger"),
                daemon.output());
    }

    @Test
    @Order(2)
    void aRestartWithoutTheJailRemovesWhatTheLastProcessLeftAndKeepsItsBansInTheLedger() throws Exception {
        daemon.stop();
        assertTrue(daemon.set("sshd-b-v4").contains("\"" + IN_B + "\""), "bans stay in the kernel while the daemon is down");
        Files.writeString(local, "[sshd-b]\nenabled = false\n");
        Files.delete(daemon.out()); // the new process's lines only
        daemon.start();
        assertBOutOfTheFirewallAndOutOfTheCounts(daemon.ruleset());
        assertFalse(daemon.output().contains("[sshd-b] Restore Ban"), "a jail not enabled is not restored");
        assertTrue(daemon.output().contains("1 ban(s) of jails not enabled kept in the ledger only"),
                daemon.output());

        Files.delete(local);
        Shell.Result r = daemon.cli("reload");
        assertTrue(r.ok(), r.out());
        assertBRestoredWithWhatIsLeftOfItsTime();
    }
}
