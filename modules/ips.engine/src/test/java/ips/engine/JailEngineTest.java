package ips.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import ips.api.Ban;
import ips.api.Enforcer;
import ips.api.EnforcerException;
import ips.api.Failure;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import ips.engine.ledger.BanLedger;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

class JailEngineTest {
    private static final long MIN = 60_000;
    private static final long DAY = 86_400_000L;
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final Enforcer enforcer = mock(Enforcer.class);

    @TempDir
    Path dir;

    private JailEngine engine(List<JailPolicy> jails) {
        return engine(jails, BanLedger.inMemory(DAY), RecidivePolicy.OFF);
    }

    private JailEngine engine(List<JailPolicy> jails, BanLedger ledger, RecidivePolicy r) {
        return new JailEngine(EngineSettings.of(10_000).withClock(now::get).withRecidive(r).withRandom(() -> 0),
                jails, ledger, enforcer);
    }

    private Failure fail(String jail, String addr) {
        IpAddress a = IpAddress.tryParse(addr);
        return new Failure(jail, addr, a, now.get());
    }

    private static IpPrefix p(String s) {
        return IpPrefix.tryParse(s);
    }

    @SuppressWarnings("unchecked")
    private List<Collection<Ban>> banCalls(int n) throws EnforcerException {
        ArgumentCaptor<Collection<Ban>> c = ArgumentCaptor.forClass(Collection.class);
        verify(enforcer, times(n)).ban(c.capture());
        return c.getAllValues();
    }

    @Test
    void bansAfterMaxretryFailuresWithinFindtime() throws Exception {
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 3, 10 * MIN, 10 * MIN)));
        assertNull(e.onFailure(fail("sshd", "192.0.2.1")));
        assertNull(e.onFailure(fail("sshd", "192.0.2.1")));
        BanDecision d = e.onFailure(fail("sshd", "192.0.2.1"));
        assertNotNull(d);
        assertEquals(new Ban("sshd", p("192.0.2.1"), now.get() + 10 * MIN), d.ban());
        assertEquals("[sshd] Ban 192.0.2.1", d.logLine());
        assertEquals(List.of(d), e.commit());
        assertTrue(e.lastCommitDurable());
        assertEquals(List.of(List.of(d.ban())), banCalls(1));
        JailStatus s = e.status("sshd");
        assertEquals(0, s.currentlyFailed());
        assertEquals(3, s.totalFailed());
        assertEquals(1, s.currentlyBanned());
        assertEquals(1, s.totalBanned());
        assertTrue(s.format().contains("|- Currently failed:\t0"), s.format());
        assertTrue(s.format().contains("`- Banned IP list:\t192.0.2.1"), s.format());
    }

    @Test
    void failuresOlderThanFindtimeDoNotCount() {
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 2, 10 * MIN, 10 * MIN)));
        e.onFailure(fail("sshd", "192.0.2.1"));
        now.addAndGet(11 * MIN);
        assertNull(e.onFailure(fail("sshd", "192.0.2.1")));
        assertNotNull(e.onFailure(fail("sshd", "192.0.2.1")));
    }

    @Test
    void aBanClearsTheAddressesFailuresAndABannedAddressIsNotBannedTwice() {
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 1, 10 * MIN, 10 * MIN)));
        assertNotNull(e.onFailure(fail("sshd", "192.0.2.1")));
        assertNull(e.onFailure(fail("sshd", "192.0.2.1")));
        assertEquals(0, e.status("sshd").currentlyFailed());
    }

    @Test
    void ignoredAddressesAreNeverCounted() {
        JailPolicy p = JailPolicy.of("sshd", 1, 10 * MIN, 10 * MIN)
                .withIgnore(IgnoreList.of(List.of("192.0.2.0/24"), true, n -> List.of()));
        JailEngine e = engine(List.of(p));
        assertNull(e.onFailure(fail("sshd", "192.0.2.1")));
        assertNull(e.onFailure(fail("sshd", "127.0.0.1")));
        assertEquals(2, e.ignored());
        assertEquals(0, e.failures());
    }

    @Test
    void countsPerFailureIdAndBansTheLastAddressSeenForIt() {
        JailEngine e = engine(List.of(JailPolicy.of("dovecot", 2, 10 * MIN, 10 * MIN)));
        assertNull(e.onFailure(new Failure("dovecot", "user:alice", IpAddress.tryParse("192.0.2.1"), now.get())));
        BanDecision d = e.onFailure(new Failure("dovecot", "user:alice", IpAddress.tryParse("192.0.2.2"), now.get()));
        assertNotNull(d);
        assertEquals(p("192.0.2.2"), d.ban().target());
        assertNull(e.onFailure(new Failure("dovecot", "user:bob", null, now.get())));
        assertNull(e.onFailure(new Failure("dovecot", "user:bob", null, now.get())));
        assertEquals(1, e.unbannableIds());
    }

    @Test
    void ipv6MaskCountsAndBansTheWholeSlash64() {
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 2, 10 * MIN, 10 * MIN).withMasks(32, 64)));
        assertNull(e.onFailure(fail("sshd", "2001:db8:1:2::1")));
        BanDecision d = e.onFailure(fail("sshd", "2001:db8:1:2:ffff::9"));
        assertNotNull(d);
        assertEquals(p("2001:db8:1:2::/64"), d.ban().target());
    }

    @Test
    void bansThePrefixWhenEnoughOfItsAddressesAreBanned() {
        JailPolicy p = JailPolicy.of("sshd", 1, 10 * MIN, 10 * MIN).withAggregation(new JailPolicy.Aggregation(3, 24, 64));
        JailEngine e = engine(List.of(p));
        assertEquals(BanDecision.Reason.FAILURES, e.onFailure(fail("sshd", "198.51.100.1")).reason());
        assertEquals(BanDecision.Reason.FAILURES, e.onFailure(fail("sshd", "198.51.100.2")).reason());
        BanDecision d = e.onFailure(fail("sshd", "198.51.100.3"));
        assertEquals(BanDecision.Reason.AGGREGATE, d.reason());
        assertEquals(p("198.51.100.0/24"), d.ban().target());
        assertNull(e.onFailure(fail("sshd", "198.51.100.4")), "covered by the prefix ban");
    }

    @Test
    void attemptsCountAsFail2bansAddAttemptDoes() {
        // set JAIL attempt ADDR [FAILURE...]: one failure, or one per FAILURE, at once; counted once in
        // the jail's total; not checked against ignoreip (filter.py addAttempt does not check it)
        IgnoreList ignore = IgnoreList.of(List.of("192.0.2.0/24"), false, name -> List.of());
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 3, 10 * MIN, 10 * MIN).withIgnore(ignore)));
        assertNull(e.attempt("sshd", ips.api.IpAddress.tryParse("192.0.2.1"), 0));
        assertNull(e.attempt("sshd", ips.api.IpAddress.tryParse("192.0.2.1"), 1));
        BanDecision d = e.attempt("sshd", ips.api.IpAddress.tryParse("192.0.2.1"), 1);
        assertEquals(p("192.0.2.1"), d.ban().target());
        BanDecision three = e.attempt("sshd", ips.api.IpAddress.tryParse("198.51.100.7"), 3);
        assertEquals(p("198.51.100.7"), three.ban().target(), "three failures at once reach maxretry");
        assertEquals(4, e.status("sshd").totalFailed());
        assertEquals(java.util.List.of(p("192.0.2.1"), p("198.51.100.7")), e.status("sshd").bannedList(),
                "in the order they were banned");
    }

    @Test
    void withBantimeIncrementAnAddressBannedBeforeCountsDoubleAsFail2bansObserverCountsIt() {
        // observer.py failureFound: banned once, each failure counts (1 << 1) / 2 + 1 = 2: two are maxretry 3
        BanIncrement inc = new BanIncrement(true, 1, null, null, -1, 0, false);
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 3, 10 * MIN, MIN).withIncrement(inc)));
        assertNull(e.onFailure(fail("sshd", "192.0.2.1")));
        assertNull(e.onFailure(fail("sshd", "192.0.2.1")));
        assertEquals(1, e.onFailure(fail("sshd", "192.0.2.1")).banCount());
        now.addAndGet(2 * MIN);
        e.tick(now.get());
        assertNull(e.onFailure(fail("sshd", "192.0.2.1")), "one failure counts two: below 3");
        BanDecision second = e.onFailure(fail("sshd", "192.0.2.1"));
        assertEquals(2, second.banCount(), "the second failure bans");
        assertEquals(2 * MIN, second.banTimeMillis());
        // 5 failures, and one extra count for the first of the returning two, as fail2ban's total has it
        assertEquals(6, e.status("sshd").totalFailed());
        // another address is counted as usual
        assertNull(e.onFailure(fail("sshd", "192.0.2.2")));
        assertNull(e.onFailure(fail("sshd", "192.0.2.2")));
    }

    @Test
    void incrementsBantimeWithTheLedgersHistory() {
        BanIncrement inc = new BanIncrement(true, 1, null, null, -1, 0, false);
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 1, 10 * MIN, 10 * MIN).withIncrement(inc)));
        assertEquals(10 * MIN, e.onFailure(fail("sshd", "192.0.2.1")).banTimeMillis());
        now.addAndGet(11 * MIN);
        e.tick(now.get());
        BanDecision second = e.onFailure(fail("sshd", "192.0.2.1"));
        assertEquals(20 * MIN, second.banTimeMillis());
        assertEquals(2, second.banCount());
        now.addAndGet(21 * MIN);
        e.tick(now.get());
        assertEquals(40 * MIN, e.onFailure(fail("sshd", "192.0.2.1")).banTimeMillis());
    }

    @Test
    void overalljailsCountsBansInEveryJail() {
        BanIncrement inc = new BanIncrement(true, 1, null, null, -1, 0, true);
        JailEngine e = engine(List.of(JailPolicy.of("a", 1, MIN, MIN).withIncrement(inc),
                JailPolicy.of("b", 1, MIN, MIN).withIncrement(inc)));
        e.onFailure(fail("a", "192.0.2.1"));
        assertEquals(2 * MIN, e.onFailure(fail("b", "192.0.2.1")).banTimeMillis());
    }

    @Test
    void repeatOffendersAcrossJailsGetTheRecidiveBan() throws Exception {
        RecidivePolicy r = new RecidivePolicy(true, "recidive-native", 3, DAY, 7 * DAY);
        JailEngine e = engine(List.of(JailPolicy.of("a", 1, MIN, MIN), JailPolicy.of("b", 1, MIN, MIN)),
                BanLedger.inMemory(DAY), r);
        e.onFailure(fail("a", "192.0.2.9"));
        e.onFailure(fail("b", "192.0.2.9"));
        now.addAndGet(2 * MIN);
        e.tick(now.get());
        e.onFailure(fail("a", "192.0.2.9"));
        List<BanDecision> done = e.commit();
        assertTrue(done.stream().anyMatch(d -> d.reason() == BanDecision.Reason.RECIDIVE
                && d.ban().jail().equals("recidive-native") && d.ban().expiresAtMillis() == now.get() + 7 * DAY), done.toString());
        assertEquals(1, e.status("recidive-native").currentlyBanned());
    }

    @Test
    void aConfiguredJailNamedLikeTheNativeRecidiveIsRefused() {
        RecidivePolicy r = RecidivePolicy.standard("recidive");
        assertThrows(IllegalArgumentException.class,
                () -> engine(List.of(JailPolicy.of("recidive", 5, DAY, 7 * DAY)), BanLedger.inMemory(DAY), r));
    }

    @Test
    void groupCommitSendsAllPendingBansInOneCall() throws Exception {
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 1, MIN, MIN)));
        for (int i = 0; i < 100; i++) {
            e.onFailure(fail("sshd", "192.0.2." + i));
        }
        assertEquals(100, e.commit().size());
        assertEquals(100, banCalls(1).get(0).size());
    }

    @Test
    void aRefusedBatchIsKeptAndRetried() throws Exception {
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 1, MIN, MIN)));
        doThrow(new EnforcerException("ban", -1, "kernel said no")).doNothing().when(enforcer).ban(anyCollection());
        e.onFailure(fail("sshd", "192.0.2.1"));
        assertEquals(List.of(), e.commit());
        assertEquals(1, e.enforcerErrors());
        assertEquals(1, e.pendingCount());
        assertEquals(1, e.commit().size());
        assertEquals(0, e.pendingCount());
    }

    @Test
    void expiredBansAreLiftedByTickWhenTheFirewallHasNoTimeouts() throws Exception {
        JailEngine e = new JailEngine(EngineSettings.of(100).withClock(now::get).withKernelExpires(false),
                List.of(JailPolicy.of("sshd", 1, MIN, MIN)), BanLedger.inMemory(DAY), enforcer);
        e.onFailure(fail("sshd", "192.0.2.1"));
        e.commit();
        now.addAndGet(MIN + 1);
        e.tick(now.get());
        verify(enforcer).unban("sshd", List.of(p("192.0.2.1")));
        assertEquals(0, e.status("sshd").currentlyBanned());
        assertEquals(1, e.unbans());
    }

    @Test
    void manualBanAndUnbanGoThroughLedgerAndFirewall() throws Exception {
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 5, MIN, MIN)));
        BanDecision d = e.ban("sshd", p("203.0.113.0/24"));
        assertEquals(BanDecision.Reason.MANUAL, d.reason());
        banCalls(1);
        assertTrue(e.unban("sshd", p("203.0.113.0/24")));
        verify(enforcer).unban("sshd", List.of(p("203.0.113.0/24")));
        assertEquals(0, e.status("sshd").currentlyBanned());
        assertEquals(0, e.unbanEverywhere(p("203.0.113.0/24")));
    }

    @Test
    void bansSurviveARestartAndComeBackInOneRestoreCall() throws Exception {
        Path f = dir.resolve("ledger");
        try (JailEngine e = engine(List.of(JailPolicy.of("sshd", 1, MIN, 10 * MIN)), BanLedger.open(f, DAY), RecidivePolicy.OFF)) {
            for (int i = 0; i < 50; i++) {
                e.onFailure(fail("sshd", "192.0.2." + i));
            }
            e.commit();
        }
        Enforcer fresh = mock(Enforcer.class);
        JailEngine again = new JailEngine(EngineSettings.of(100).withClock(now::get),
                List.of(JailPolicy.of("sshd", 1, MIN, 10 * MIN)), BanLedger.open(f, DAY), fresh);
        BanLedger.RestoreReport r = again.restore();
        assertEquals(50, r.restored().size());
        verify(fresh, times(1)).ban(anyCollection());
        assertEquals(50, again.status("sshd").currentlyBanned());
        assertNull(again.onFailure(fail("sshd", "192.0.2.7")), "still banned after the restart");
        again.close();
    }

    @Test
    void bansOfAJailThatIsNotRunningStayInTheLedgerOnlyAndComeBackWithItsRestore() throws Exception {
        BanLedger ledger = BanLedger.inMemory(DAY);
        List<JailPolicy> both = List.of(JailPolicy.of("sshd", 1, MIN, 10 * MIN), JailPolicy.of("web", 1, MIN, 10 * MIN));
        JailEngine before = new JailEngine(EngineSettings.of(100).withClock(now::get).withKernelExpires(false), both, ledger,
                enforcer);
        before.onFailure(fail("sshd", "192.0.2.1"));
        before.onFailure(fail("web", "192.0.2.2"));
        before.onFailure(fail("web", "192.0.2.3"));
        before.commit();
        long bannedAt = now.get();

        // "web" is dropped: an engine without it neither restores nor times its bans
        Enforcer firewall = mock(Enforcer.class);
        JailEngine without = new JailEngine(EngineSettings.of(100).withClock(now::get).withKernelExpires(false),
                List.of(JailPolicy.of("sshd", 1, MIN, 10 * MIN)), ledger, firewall);
        BanLedger.RestoreReport r = without.restore();
        assertEquals(List.of(new Ban("sshd", p("192.0.2.1"), bannedAt + 10 * MIN)), r.restored());
        assertEquals(2, r.otherJails());
        assertEquals(java.util.Set.of("web"), r.otherJailNames(), "the jails to lift leftovers of");
        now.addAndGet(4 * MIN);
        assertEquals(0, without.unbanEverywhere(p("192.0.2.2")), "only running jails are unbanned");
        assertThrows(IllegalArgumentException.class, () -> without.status("web"));

        // "web" comes back: its unexpired bans, with their own expiry, in one call of their own
        Enforcer again = mock(Enforcer.class);
        JailEngine with = new JailEngine(EngineSettings.of(100).withClock(now::get).withKernelExpires(false), both, ledger,
                again);
        BanLedger.RestoreReport back = with.restore(List.of("web"));
        assertEquals(java.util.Set.of(new Ban("web", p("192.0.2.2"), bannedAt + 10 * MIN),
                new Ban("web", p("192.0.2.3"), bannedAt + 10 * MIN)), new java.util.HashSet<>(back.restored()));
        assertEquals(1, back.otherJails(), "sshd's ban is already in the firewall");
        assertEquals(2, with.status("web").currentlyBanned());

        // their time runs out: only an engine that runs "web" logs and lifts them
        now.addAndGet(6 * MIN);
        without.tick(now.get());
        verify(firewall).unban("sshd", List.of(p("192.0.2.1")));
        verify(firewall, never()).unban(org.mockito.ArgumentMatchers.eq("web"), anyCollection());
        assertEquals(1, without.unbans(), "no Unban for the bans of a jail that is not running");
        with.tick(now.get());
        verify(again).unban(org.mockito.ArgumentMatchers.eq("web"), anyCollection());
        assertEquals(0, with.status("web").currentlyBanned());
    }

    @Test
    void aCommitWithoutSyncReachesTheFirewallAndTheNextSyncedCommitForcesIt() throws Exception {
        Path f = dir.resolve("ledger");
        try (JailEngine e = engine(List.of(JailPolicy.of("sshd", 1, MIN, 10 * MIN)), BanLedger.open(f, DAY), RecidivePolicy.OFF)) {
            assertTrue(!e.unsynced());
            e.onFailure(fail("sshd", "192.0.2.1"));
            assertEquals(1, e.commit(false).size());
            banCalls(1);
            assertTrue(e.unsynced(), "written, not forced");
            assertTrue(!e.lastCommitDurable());
            assertTrue(java.nio.file.Files.size(f) > 0, "the record is in the file before its fsync");
            assertEquals(List.of(), e.commit(true)); // nothing pending: only the fsync
            assertTrue(!e.unsynced());
            assertTrue(e.lastCommitDurable());
            e.onFailure(fail("sshd", "192.0.2.2"));
            assertEquals(1, e.commit().size());
            assertTrue(!e.unsynced());
            assertTrue(e.lastCommitDurable());
        }
        try (JailEngine again = engine(List.of(JailPolicy.of("sshd", 1, MIN, 10 * MIN)), BanLedger.open(f, DAY), RecidivePolicy.OFF)) {
            assertEquals(2, again.restore().restored().size());
        }
    }

    @Test
    void aFailingDiskDoesNotStopBansReachingTheFirewall() throws Exception {
        Path f = dir.resolve("ledger");
        BanLedger ledger = BanLedger.open(f, DAY);
        java.lang.reflect.Field ch = BanLedger.class.getDeclaredField("channel");
        ch.setAccessible(true);
        ((java.nio.channels.FileChannel) ch.get(ledger)).close();
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 1, MIN, MIN)), ledger, RecidivePolicy.OFF);
        e.onFailure(fail("sshd", "192.0.2.1"));
        assertEquals(1, e.commit().size());
        assertTrue(e.ledgerErrors() > 0);
        assertTrue(!e.lastCommitDurable());
        banCalls(1);
    }

    @Test
    void keepsTrackingUnderTheCeilingAndReportsEvictions() {
        JailEngine e = new JailEngine(EngineSettings.of(1000).withClock(now::get),
                List.of(JailPolicy.of("sshd", 3, 10 * MIN, 10 * MIN)), BanLedger.inMemory(DAY), enforcer);
        for (int i = 0; i < 100_000; i++) {
            IpAddress a = IpAddress.ofIpv4(0x0A000000 + i);
            e.onFailure(new Failure("sshd", a.toString(), a, now.get()));
        }
        assertEquals(1000, e.trackedFailures());
        assertEquals(99_000, e.evictions());
    }

    @Test
    void anAttackerHidingInAFloodOfOneShotAddressesIsStillBanned() {
        JailEngine e = new JailEngine(EngineSettings.of(1000).withClock(now::get),
                List.of(JailPolicy.of("sshd", 5, 10 * MIN, 10 * MIN)), BanLedger.inMemory(DAY), enforcer);
        BanDecision ban = null;
        for (int i = 0; i < 100_000 && ban == null; i++) {
            IpAddress a = IpAddress.ofIpv4(0x0A000000 + i);
            e.onFailure(new Failure("sshd", a.toString(), a, now.get()));
            if (i % 500 == 499) {
                ban = e.onFailure(fail("sshd", "192.0.2.77"));
            }
        }
        assertNotNull(ban, "the flood evicted the attacker's count");
        assertEquals(p("192.0.2.77"), ban.ban().target());
        assertTrue(e.evictions() > 0);
    }

    @Test
    void unknownJailsAreIgnored() throws Exception {
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 1, MIN, MIN)));
        assertNull(e.onFailure(fail("nope", "192.0.2.1")));
        e.commit();
        verify(enforcer, never()).ban(anyCollection());
    }

    @Test
    void recidiveCountsBansFromTheLedgerAfterARestart() throws Exception {
        Path f = dir.resolve("ledger");
        RecidivePolicy r = new RecidivePolicy(true, "recidive-native", 3, DAY, 7 * DAY);
        List<JailPolicy> jails = List.of(JailPolicy.of("a", 1, MIN, MIN), JailPolicy.of("b", 1, MIN, MIN),
                JailPolicy.of("c", 1, MIN, MIN));
        try (JailEngine e = engine(jails, BanLedger.open(f, DAY), r)) {
            e.onFailure(fail("a", "192.0.2.9"));
            e.onFailure(fail("b", "192.0.2.9"));
            e.commit();
        }
        now.addAndGet(2 * MIN);
        try (JailEngine e = engine(jails, BanLedger.open(f, DAY), r)) {
            e.onFailure(fail("c", "192.0.2.9"));
            List<BanDecision> done = e.commit();
            assertTrue(done.stream().anyMatch(d -> d.reason() == BanDecision.Reason.RECIDIVE), done.toString());
        }
    }

    @Test
    void aFloodOfFailuresDoesNotEvictRecidiveCounts() {
        RecidivePolicy r = new RecidivePolicy(true, "recidive-native", 2, DAY, 7 * DAY);
        JailEngine e = engine(List.of(JailPolicy.of("a", 1, MIN, MIN), JailPolicy.of("flood", 5, 10 * MIN, MIN)),
                BanLedger.inMemory(DAY), r);
        e.onFailure(fail("a", "192.0.2.9"));
        for (int i = 0; i < 50_000; i++) {
            IpAddress a = IpAddress.ofIpv4(0x0A000000 + i);
            e.onFailure(new Failure("flood", a.toString(), a, now.get()));
        }
        now.addAndGet(2 * MIN);
        e.tick(now.get());
        e.onFailure(fail("a", "192.0.2.9"));
        assertEquals(1, e.status("recidive-native").currentlyBanned());
    }

    @Test
    void failureIdsThatAreIpv6TextCountPerAddress() {
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 2, MIN, MIN)));
        e.onFailure(new Failure("sshd", "2001:DB8::1", IpAddress.tryParse("2001:db8::1"), now.get()));
        BanDecision d = e.onFailure(new Failure("sshd", "2001:db8:0::1", IpAddress.tryParse("2001:db8::1"), now.get()));
        assertNotNull(d);
        assertEquals(p("2001:db8::1"), d.ban().target());
    }

    @Test
    void permanentBansNeverExpire() {
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 1, MIN, -1)));
        BanDecision d = e.onFailure(fail("sshd", "192.0.2.1"));
        assertTrue(d.ban().isPermanent());
        now.addAndGet(365 * DAY);
        e.tick(now.get());
        assertEquals(1, e.status("sshd").currentlyBanned());
    }

    @Test
    void oldFailuresWhoseBanWouldBeOverDoNotBan() {
        JailEngine e = engine(List.of(JailPolicy.of("sshd", 1, MIN, MIN)));
        assertNull(e.onFailure(new Failure("sshd", "192.0.2.1", IpAddress.tryParse("192.0.2.1"), now.get() - 2 * MIN)));
    }

    /**
     * A firewall that notes when two threads are in it at once (an {@link Enforcer} is not
     * thread-safe) and keeps what it was asked to ban.
     */
    private static final class OneAtATimeFirewall implements Enforcer {
        final java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger overlaps = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.Set<IpPrefix> banned = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public String name() {
            return "one-at-a-time";
        }

        @Override
        public void scaffold(List<ips.api.JailRule> jails) {}

        @Override
        public void ban(Collection<Ban> bans) {
            if (inside.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            long until = System.nanoTime() + 20_000; // a netlink round trip: long enough to be caught in
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            bans.forEach(b -> banned.add(b.target()));
            inside.decrementAndGet();
        }

        @Override
        public void unban(String jail, Collection<IpPrefix> targets) {}

        @Override
        public List<Ban> list() {
            return List.of();
        }

        @Override
        public void flush(String jail) {}

        @Override
        public void close() {}
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void theEngineAReloadReplacesAndTheNewOneTakeTurnsOnTheirSharedLedgerAndFirewall() throws Exception {
        BanLedger ledger = BanLedger.inMemory(DAY);
        OneAtATimeFirewall fw = new OneAtATimeFirewall();
        EngineSettings settings = EngineSettings.of(100_000).withClock(now::get);
        List<JailPolicy> jails = List.of(JailPolicy.of("sshd", 3, 10 * MIN, 10 * MIN));
        JailEngine old = new JailEngine(settings, jails, ledger, fw);
        JailEngine fresh = new JailEngine(settings, jails, ledger, fw);
        int n = 1500;
        List<Throwable> thrown = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.function.Function<Runnable, Thread> start = r -> Thread.ofPlatform().start(() -> {
            try {
                r.run();
            } catch (Throwable t) {
                thrown.add(t);
            }
        });
        // a control command still in the old engine: operator bans, each committed at once
        Thread control = start.apply(() -> {
            for (int i = 0; i < n; i++) {
                old.ban("sshd", p("10.1." + (i >> 8) + "." + (i & 255)));
            }
        });
        // the new engine's reader: failures up to maxretry, then a commit
        Thread reader = start.apply(() -> {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 3; k++) {
                    fresh.onFailure(fail("sshd", "10.2." + (i >> 8) + "." + (i & 255)));
                }
                fresh.commit();
            }
        });
        // status and the tick of both, which walk the ledger
        Thread walker = start.apply(() -> {
            while (control.isAlive() || reader.isAlive()) {
                fresh.status("sshd");
                old.tick(now.get());
                fresh.tick(now.get());
            }
        });
        control.join();
        reader.join();
        walker.join();
        assertEquals(List.of(), thrown);
        assertEquals(0, fw.overlaps.get(), "never two threads in the firewall at once");
        assertEquals(2 * n, fw.banned.size());
        assertEquals(2 * n, ledger.activeBans(now.get()).size());
        assertEquals(2 * n, fresh.status("sshd").currentlyBanned());
    }

    @Test
    void anEngineThatReplacesAnotherOnTheSameLedgerCarriesOverItsFailuresTotalsAndCounters() throws Exception {
        BanLedger ledger = BanLedger.inMemory(DAY);
        JailEngine before = engine(List.of(JailPolicy.of("sshd", 3, 10 * MIN, 10 * MIN), JailPolicy.of("old", 2, 10 * MIN, MIN),
                JailPolicy.of("v6", 3, 10 * MIN, MIN)), ledger, RecidivePolicy.OFF);
        before.onFailure(fail("sshd", "192.0.2.1"));
        before.onFailure(fail("sshd", "192.0.2.1"));
        before.onFailure(fail("old", "192.0.2.2"));
        before.onFailure(fail("v6", "2001:db8::1"));
        before.onFailure(fail("v6", "2001:db8::1"));
        before.onFailure(fail("sshd", "192.0.2.9"));
        before.onFailure(fail("sshd", "192.0.2.9"));
        assertNotNull(before.onFailure(fail("sshd", "192.0.2.9")));
        before.commit();

        // the reload: "old" stopped, "v6" now counts per /64, "new" added, sshd in another place
        JailEngine after = engine(List.of(JailPolicy.of("new", 3, 10 * MIN, MIN), JailPolicy.of("sshd", 3, 10 * MIN, 10 * MIN),
                JailPolicy.of("v6", 3, 10 * MIN, MIN).withMasks(32, 64)), ledger, RecidivePolicy.OFF);
        after.carryOver(before);
        assertEquals(1, after.status("sshd").currentlyFailed());
        assertEquals(5, after.status("sshd").totalFailed());
        assertEquals(1, after.status("sshd").totalBanned());
        assertEquals(0, after.status("v6").currentlyFailed(), "counted per address before, per /64 now: not carried");
        assertEquals(0, after.status("new").currentlyFailed());
        assertEquals(8, after.failures());
        assertEquals(1, after.bans());
        BanDecision d = after.onFailure(fail("sshd", "192.0.2.1"));
        assertNotNull(d, "the third failure bans, two of them counted before the reload");
        assertEquals("[sshd] Ban 192.0.2.1", d.logLine());
        assertThrows(IllegalArgumentException.class, () -> after.carryOver(engine(List.of(JailPolicy.of("sshd", 3, MIN, MIN)))),
                "only an engine on the same ledger");
    }
}
