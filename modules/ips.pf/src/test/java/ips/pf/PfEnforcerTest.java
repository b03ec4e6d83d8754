package ips.pf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.Ban;
import ips.api.EnforcerException;
import ips.api.EnforcerSettings;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import ips.api.JailRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The enforcer's behaviour against the fake /dev/pf. */
class PfEnforcerTest {
    private static final long T0 = 1_700_000_000_000L;
    private final FakePfKernel kernel = new FakePfKernel();
    private final AtomicLong now = new AtomicLong(T0);
    private final PfEnforcer pf = new PfEnforcer(kernel, EnforcerSettings.defaults(), now::get, PfIoctls.DEFAULT_REQUEST_MAXCOUNT);

    private static IpPrefix p(String s) {
        return IpPrefix.tryParse(s);
    }

    private static Ban ban(String jail, String target, long expiresAt) {
        return new Ban(jail, p(target), expiresAt);
    }

    @Test
    void scaffoldCreatesOnePersistentTablePerJail() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("nginx")));
        assertEquals(Set.of("portcullis-sshd", "portcullis-nginx"), kernel.tables.keySet());
        assertTrue((kernel.tables.get("portcullis-sshd").flags & PfrTableLayout.PFR_TFLAG_PERSIST) != 0);
    }

    @Test
    void scaffoldWarnsWhenNoRuleReferencesAJailsTable() throws EnforcerException {
        kernel.referencedByRule.add("portcullis-sshd");
        pf.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("nginx")));
        assertEquals(1, pf.warnings().size());
        assertTrue(pf.warnings().getFirst().contains("<portcullis-nginx>"), pf.warnings().toString());
        assertTrue(pf.warnings().getFirst().contains("block drop in quick from <portcullis-nginx>"));
    }

    @Test
    void removeAllDeletesTheTablesOfTheNamedJailsOnly() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("nginx")));
        kernel.define("operators-own");
        assertEquals(2, pf.removeAll(List.of("sshd", "nginx", "sshd")));
        assertFalse(kernel.tables.containsKey("portcullis-sshd"));
        assertFalse(kernel.tables.containsKey("portcullis-nginx"));
        assertTrue(kernel.tables.containsKey("operators-own"), "a table of the operator's stays");
        assertEquals(0, pf.removeAll(List.of()));
    }

    @Test
    void anAdoptedBlocktypeShapesTheNextScaffoldsSuggestedRuleAndAnotherPrefixIsARestart() throws EnforcerException {
        assertFalse(pf.adopt(new EnforcerSettings("other", EnforcerSettings.BlockType.REJECT, false)));
        assertTrue(pf.adopt(new EnforcerSettings("portcullis", EnforcerSettings.BlockType.REJECT, true)));
        pf.scaffold(List.of(JailRule.allPorts("nginx")));
        assertTrue(pf.warnings().getFirst().contains("block return in quick from <portcullis-nginx>"), pf.warnings().toString());
    }

    @Test
    void scaffoldAgainKeepsExistingBans() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        pf.ban(List.of(ban("sshd", "192.0.2.7", T0 + 60_000)));
        pf.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("nginx")));
        assertEquals(Set.of(p("192.0.2.7")), kernel.contents("portcullis-sshd"));
    }

    @Test
    void scaffoldWithoutAJailDeletesItsTableAndTheJailComesBackEmpty() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("nginx")));
        pf.ban(List.of(ban("sshd", "192.0.2.7", T0 + 60_000), ban("nginx", "192.0.2.8", T0 + 60_000),
                ban("nginx", "2001:db8::/64", Ban.PERMANENT)));
        kernel.calls.clear();
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        assertEquals(List.of("DIOCRADDTABLES", "DIOCRDELTABLES"), kernel.calls.subList(0, 2), "created, then deleted");
        assertEquals(Set.of("portcullis-sshd"), kernel.tables.keySet());
        assertEquals(Set.of(p("192.0.2.7")), kernel.contents("portcullis-sshd"), "the remaining jail keeps its bans");
        assertEquals(List.of(ban("sshd", "192.0.2.7", T0 + 60_000)), pf.list(), "the dropped jail is not listed");

        pf.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("nginx")));
        assertEquals(Set.of(), kernel.contents("portcullis-nginx"));
        assertEquals(List.of(ban("sshd", "192.0.2.7", T0 + 60_000)), pf.list());
    }

    @Test
    void aDroppedJailsTableThatARuleStillUsesStaysInactiveAndEmpty() throws EnforcerException {
        kernel.referencedByRule.add("portcullis-nginx");
        pf.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("nginx")));
        pf.ban(List.of(ban("nginx", "192.0.2.8", T0 + 60_000)));
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        FakePfKernel.Table left = kernel.tables.get("portcullis-nginx");
        assertEquals(0, left.flags & PfrTableLayout.PFR_TFLAG_ACTIVE);
        assertEquals(Set.of(), kernel.contents("portcullis-nginx"));
        pf.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("nginx")));
        assertTrue((left.flags & PfrTableLayout.PFR_TFLAG_ACTIVE) != 0, "listed again: active again");
        pf.ban(List.of(ban("nginx", "192.0.2.9", T0 + 60_000)));
        assertEquals(Set.of(p("192.0.2.9")), kernel.contents("portcullis-nginx"));
    }

    @Test
    void scaffoldLeavesTablesItNeverUsedAlone() throws EnforcerException {
        kernel.define("portcullis-allowlist").entries.put(p("192.0.2.1"), false); // the operator's, or an earlier process's
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        pf.scaffold(List.of(JailRule.allPorts("nginx")));
        assertEquals(Set.of("portcullis-allowlist", "portcullis-nginx"), kernel.tables.keySet());
        assertEquals(Set.of(p("192.0.2.1")), kernel.contents("portcullis-allowlist"));
    }

    @Test
    void leftoversOfJailsNoLongerEnabledAreLiftedAndOtherTablesStay() throws EnforcerException {
        // an earlier process banned into nginx and sshd; nginx is not enabled any more
        kernel.define("portcullis-nginx").entries.put(p("192.0.2.8"), false);
        kernel.define("portcullis-sshd").entries.put(p("192.0.2.7"), false);
        kernel.define("portcullis-allowlist").entries.put(p("192.0.2.1"), false);
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        assertEquals(Set.of("portcullis-nginx", "portcullis-sshd", "portcullis-allowlist"), kernel.tables.keySet(),
                "a scaffold alone leaves tables of unknown origin");

        assertEquals(1, pf.liftLeftovers(List.of("nginx", "sshd", "gone-long-ago")));
        assertEquals(Set.of("portcullis-sshd", "portcullis-allowlist"), kernel.tables.keySet());
        assertEquals(Set.of(p("192.0.2.7")), kernel.contents("portcullis-sshd"), "a running jail is not touched");
        assertEquals(0, pf.liftLeftovers(List.of("nginx")), "nothing left the second time");
    }

    @Test
    void aLeftoverTableThatARuleStillUsesStaysInactiveAndEmpty() throws EnforcerException {
        kernel.referencedByRule.add("portcullis-nginx");
        kernel.define("portcullis-nginx").entries.put(p("192.0.2.8"), false);
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        pf.liftLeftovers(List.of("nginx"));
        assertEquals(0, kernel.tables.get("portcullis-nginx").flags & PfrTableLayout.PFR_TFLAG_ACTIVE);
        assertEquals(Set.of(), kernel.contents("portcullis-nginx"), "its bans block nothing any more");
    }

    @Test
    void scaffoldRefusesTwoJailsThatMapToOneTable() {
        String a = "x".repeat(40) + "1";
        String b = a; // same jail twice is fine
        assertThrows(IllegalArgumentException.class, () -> PfrTableLayout.nameBytes("x".repeat(40)));
        assertEquals(TableNames.forJail("portcullis", a), TableNames.forJail("portcullis", b));
    }

    @Test
    void banPutsTargetsIntoTheirJailsTableAndListReportsTheirExpiry() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("nginx")));
        pf.ban(List.of(ban("sshd", "192.0.2.7", T0 + 600_000), ban("nginx", "2001:db8::1", T0 + 60_000),
                ban("sshd", "198.51.100.0/24", Ban.PERMANENT)));
        assertEquals(Set.of(p("192.0.2.7"), p("198.51.100.0/24")), kernel.contents("portcullis-sshd"));
        assertEquals(Set.of(p("2001:db8::1")), kernel.contents("portcullis-nginx"));
        assertEquals(Set.of(ban("sshd", "192.0.2.7", T0 + 600_000), ban("sshd", "198.51.100.0/24", Ban.PERMANENT),
                ban("nginx", "2001:db8::1", T0 + 60_000)), new HashSet<>(pf.list()));
    }

    @Test
    void banSkipsBansWhoseExpiryHasPassed() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        pf.ban(List.of(ban("sshd", "192.0.2.7", T0), ban("sshd", "192.0.2.8", T0 - 1)));
        assertEquals(Set.of(), kernel.contents("portcullis-sshd"));
        assertEquals(List.of(), kernel.killed);
    }

    @Test
    void reBanRefreshesTheExpiryWithoutKillingStatesAgain() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        pf.ban(List.of(ban("sshd", "192.0.2.7", T0 + 1_000)));
        pf.ban(List.of(ban("sshd", "192.0.2.7", T0 + 9_000)));
        assertEquals(List.of(ban("sshd", "192.0.2.7", T0 + 9_000)), pf.list());
        assertEquals(List.of(p("192.0.2.7")), kernel.killed);
    }

    @Test
    void banKillsTheStatesOfEachNewlyBannedSource() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        pf.ban(List.of(ban("sshd", "192.0.2.7", T0 + 1_000), ban("sshd", "2001:db8::/64", T0 + 1_000)));
        assertEquals(List.of(p("192.0.2.7"), p("2001:db8::/64")), kernel.killed);
        assertEquals(StateKiller.Mode.STRUCT, pf.stateKillMode());
    }

    @Test
    void bulkBanBeyondTheStateKillLimitSkipsKilling() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        List<Ban> many = new ArrayList<>();
        for (int i = 0; i <= PfEnforcer.STATE_KILL_LIMIT; i++) {
            many.add(new Ban("sshd", IpPrefix.of(IpAddress.ofIpv4(0x0A000000 + i)), T0 + 1_000));
        }
        pf.ban(many);
        assertEquals(PfEnforcer.STATE_KILL_LIMIT + 1, kernel.contents("portcullis-sshd").size());
        assertEquals(List.of(), kernel.killed);
    }

    @Test
    void banRecreatesATableThatWasRemovedFromOutside() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        kernel.tables.clear(); // pfctl -t portcullis-sshd -T kill
        pf.ban(List.of(ban("sshd", "192.0.2.7", T0 + 1_000)));
        assertEquals(Set.of(p("192.0.2.7")), kernel.contents("portcullis-sshd"));
    }

    @Test
    void banIntoAnUnscaffoldedJailCreatesItsTable() throws EnforcerException {
        pf.ban(List.of(ban("recidive", "192.0.2.9", Ban.PERMANENT)));
        assertEquals(Set.of(p("192.0.2.9")), kernel.contents("portcullis-recidive"));
        assertEquals(List.of(ban("recidive", "192.0.2.9", Ban.PERMANENT)), pf.list());
    }

    @Test
    void aKernelRefusalNamesTheOperationAndErrno() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        kernel.failNext(PfIoctls.DIOCRADDADDRS, Errno.EACCES);
        EnforcerException e = assertThrows(EnforcerException.class, () -> pf.ban(List.of(ban("sshd", "192.0.2.7", T0 + 1))));
        assertEquals(Errno.EACCES, e.errno());
        assertTrue(e.getMessage().startsWith("add 1 addresses to table <portcullis-sshd> (DIOCRADDADDRS): EACCES"), e.getMessage());
    }

    @Test
    void unbanRemovesOnlyTheGivenTargetsOfThatJail() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("recidive")));
        pf.ban(List.of(ban("sshd", "192.0.2.7", T0 + 1_000), ban("sshd", "192.0.2.8", T0 + 1_000),
                ban("recidive", "192.0.2.7", T0 + 9_000)));
        pf.unban("sshd", List.of(p("192.0.2.7"), p("203.0.113.1")));
        assertEquals(Set.of(p("192.0.2.8")), kernel.contents("portcullis-sshd"));
        assertEquals(Set.of(p("192.0.2.7")), kernel.contents("portcullis-recidive"));
    }

    @Test
    void unbanOfAJailWhoseTableIsGoneIsNotAnError() throws EnforcerException {
        pf.unban("ghost", List.of(p("192.0.2.7")));
        pf.flush("ghost");
    }

    @Test
    void expiryLiftsBansWhoseTimeIsOverAtTheNextCall() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        pf.ban(List.of(ban("sshd", "192.0.2.7", T0 + 1_000), ban("sshd", "192.0.2.8", T0 + 5_000)));
        now.set(T0 + 1_000);
        assertEquals(List.of(ban("sshd", "192.0.2.8", T0 + 5_000)), pf.list());
        assertEquals(Set.of(p("192.0.2.8")), kernel.contents("portcullis-sshd"));
        assertEquals(1, pf.expire(T0 + 5_000));
        assertEquals(Set.of(), kernel.contents("portcullis-sshd"));
    }

    @Test
    void listReportsEntriesOfUnknownExpiryAsPermanent() throws EnforcerException {
        kernel.define("portcullis-sshd").entries.put(p("192.0.2.50"), false); // left from before a restart
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        assertEquals(List.of(ban("sshd", "192.0.2.50", Ban.PERMANENT)), pf.list());
        pf.ban(List.of(ban("sshd", "192.0.2.50", T0 + 7_000))); // the ledger restores it
        assertEquals(List.of(ban("sshd", "192.0.2.50", T0 + 7_000)), pf.list());
        assertEquals(List.of(), kernel.killed, "an address already in the table is not new");
    }

    @Test
    void flushEmptiesOneJailsTableOnly() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd"), JailRule.allPorts("nginx")));
        pf.ban(List.of(ban("sshd", "192.0.2.7", T0 + 1_000), ban("nginx", "192.0.2.8", T0 + 1_000)));
        pf.flush("sshd");
        assertEquals(Set.of(), kernel.contents("portcullis-sshd"));
        assertEquals(List.of(ban("nginx", "192.0.2.8", T0 + 1_000)), pf.list());
    }

    @Test
    void reconcileMakesTheTableHoldExactlyTheLedgersBans() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        kernel.tables.get("portcullis-sshd").entries.put(p("203.0.113.66"), false); // stray entry
        PfTables.SetResult r = pf.reconcile("sshd", List.of(ban("sshd", "192.0.2.7", T0 + 1_000),
                ban("sshd", "192.0.2.8", T0 - 1)));
        assertEquals(new PfTables.SetResult(1, 1, 0), r);
        assertEquals(Set.of(p("192.0.2.7")), kernel.contents("portcullis-sshd"));
        assertEquals(List.of(ban("sshd", "192.0.2.7", T0 + 1_000)), pf.list());
    }

    @Test
    void restoresAHundredThousandBansInTwoRequestsPerJail() throws EnforcerException {
        pf.scaffold(List.of(JailRule.allPorts("sshd")));
        List<Ban> bans = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            bans.add(new Ban("sshd", IpPrefix.of(IpAddress.ofIpv4(0x0A000000 + i)), T0 + 3_600_000));
        }
        kernel.calls.clear();
        pf.ban(bans);
        assertEquals(List.of("DIOCRADDADDRS", "DIOCRADDADDRS"), kernel.calls);
        assertEquals(100_000, kernel.contents("portcullis-sshd").size());
        EnforcerException e = assertThrows(EnforcerException.class, pf::list);
        assertTrue(e.getMessage().contains("net.pf.request_maxcount 65535"), e.getMessage());
    }

    @Test
    void listsLargeTablesOnceRequestMaxcountIsRaised() throws EnforcerException {
        kernel.requestMaxCount = 200_000; // sysctl net.pf.request_maxcount=200000
        PfEnforcer raised = new PfEnforcer(kernel, EnforcerSettings.defaults(), now::get, 200_000);
        List<Ban> bans = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            bans.add(new Ban("sshd", IpPrefix.of(IpAddress.ofIpv4(0x0A000000 + i)), T0 + 3_600_000));
        }
        raised.ban(bans);
        assertEquals(100_000, raised.list().size());
    }

    @Test
    void closeClosesTheDevice() {
        pf.close();
        assertTrue(kernel.closed);
    }
}
