package ips.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ips.api.Ban;
import ips.api.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixBookTest {
    private final PrefixBook book = new PrefixBook();
    private final PrefixBook.Plan plan = new PrefixBook.Plan();

    private static IpPrefix p(String s) {
        return IpPrefix.tryParse(s);
    }

    @Test
    void aNewPrefixIsAddedAsItIs() {
        book.planBan(p("10.0.0.0/24"), 100, 0, plan);
        assertEquals(p("10.0.0.0/24"), plan.add);
        assertEquals(100, plan.addExpiresAt);
        assertEquals(List.of(), plan.removals);
    }

    @Test
    void aPrefixInsideALongerBanIsSkipped() {
        book.planBan(p("10.0.0.0/16"), 200, 0, plan);
        book.planBan(p("10.0.5.0/24"), 100, 0, plan);
        assertNull(plan.add);
        assertEquals(List.of(), plan.removals);
    }

    @Test
    void aPrefixInsideAShorterBanRefreshesTheWiderOne() {
        book.planBan(p("10.0.0.0/16"), 100, 0, plan);
        book.planBan(p("10.0.5.0/24"), 300, 0, plan);
        assertEquals(List.of(p("10.0.0.0/16")), plan.removals);
        assertEquals(p("10.0.0.0/16"), plan.add);
        assertEquals(300, plan.addExpiresAt);
    }

    @Test
    void aReBanOfTheSamePrefixRefreshesIt() {
        book.planBan(p("10.0.0.0/24"), 100, 0, plan);
        book.planBan(p("10.0.0.0/24"), 500, 0, plan);
        assertEquals(List.of(p("10.0.0.0/24")), plan.removals);
        assertEquals(500, plan.addExpiresAt);
    }

    @Test
    void aWiderPrefixAbsorbsTheOnesInsideAndKeepsTheLatestExpiry() {
        book.planBan(p("10.0.1.0/24"), 100, 0, plan);
        book.planBan(p("10.0.2.0/24"), Ban.PERMANENT, 0, plan);
        book.planBan(p("10.1.0.0/24"), 100, 0, plan);
        book.planBan(p("10.0.0.0/16"), 50, 0, plan);
        assertEquals(List.of(p("10.0.1.0/24"), p("10.0.2.0/24")), plan.removals);
        assertEquals(p("10.0.0.0/16"), plan.add);
        assertEquals(Ban.PERMANENT, plan.addExpiresAt);
        assertEquals(2, book.size());
    }

    @Test
    void expiredEntriesNeitherCoverNorExtend() {
        book.planBan(p("10.0.0.0/16"), 100, 0, plan);
        book.planBan(p("10.0.5.0/24"), 300, 150, plan);
        assertEquals(p("10.0.5.0/24"), plan.add);
        assertEquals(300, plan.addExpiresAt);
        book.planBan(p("10.0.9.0/24"), 100, 0, plan);
        book.planBan(p("10.0.8.0/22"), 400, 200, plan);
        assertEquals(400, plan.addExpiresAt);
    }

    @Test
    void unbanLiftsTheEqualEntryAndEveryEntryInside() {
        book.planBan(p("10.0.1.0/24"), 100, 0, plan);
        book.planBan(p("10.0.2.0/24"), 100, 0, plan);
        book.planBan(p("10.2.0.0/16"), 100, 0, plan);
        book.planUnban(p("10.0.0.0/16"), plan);
        assertEquals(List.of(p("10.0.1.0/24"), p("10.0.2.0/24")), plan.removals);
        book.planUnban(p("10.2.3.0/24"), plan);
        assertEquals(List.of(), plan.removals, "a narrower unban inside a wider ban leaves the wider ban");
        assertEquals(1, book.size());
    }

    @Test
    void ipv6PrefixesFollowTheSameRules() {
        book.planBan(p("2001:db8:1::/48"), 100, 0, plan);
        book.planBan(p("2001:db8::/32"), 100, 0, plan);
        assertEquals(List.of(p("2001:db8:1::/48")), plan.removals);
        book.planBan(p("2001:db8:ffff::/48"), 50, 0, plan);
        assertNull(plan.add);
    }
}
