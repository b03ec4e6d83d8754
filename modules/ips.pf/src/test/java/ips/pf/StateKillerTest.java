package ips.pf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ips.api.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing the state-kill request by probing, as FreeBSD 13, 14 and 15 differ. */
class StateKillerTest {
    private final FakePfKernel kernel = new FakePfKernel();
    private final StateKiller killer = new StateKiller(kernel);

    private static IpPrefix p(String s) {
        return IpPrefix.tryParse(s);
    }

    @Test
    void usesTheStructRequestWhereItExists() {
        kernel.statesOf.put(p("192.0.2.7"), 3);
        assertEquals(3, killer.kill(p("192.0.2.7")));
        assertEquals(StateKiller.Mode.STRUCT, killer.mode());
        assertEquals(List.of("DIOCKILLSTATES"), kernel.calls);
    }

    @Test
    void fallsBackToTheNvlistRequestOnFreeBsd15AndStaysThere() {
        kernel.killSupport = FakePfKernel.KillSupport.NVLIST_ONLY;
        kernel.statesOf.put(p("2001:db8::/64"), 5);
        assertEquals(5, killer.kill(p("2001:db8::/64")));
        assertEquals(0, killer.kill(p("192.0.2.7")));
        assertEquals(StateKiller.Mode.NVLIST, killer.mode());
        assertEquals(List.of("DIOCKILLSTATES", "DIOCKILLSTATESNV", "DIOCKILLSTATESNV"), kernel.calls);
        assertEquals(List.of(p("2001:db8::/64"), p("192.0.2.7")), kernel.killed);
    }

    @Test
    void nvlistRequestHasEveryKeyPfNvRequires() throws PfKillSchema.Refused {
        Nvlist req = StateKiller.request(p("198.51.100.0/24"));
        assertEquals(p("198.51.100.0/24"), PfKillSchema.check(req));
        assertEquals(2, req.number("af", -1));
        assertEquals(28, StateKiller.request(p("2001:db8::1")).number("af", -1));
    }

    @Test
    void givesUpQuietlyWhenNeitherRequestExists() {
        kernel.killSupport = FakePfKernel.KillSupport.NONE;
        assertEquals(-1, killer.kill(p("192.0.2.7")));
        assertEquals(StateKiller.Mode.UNSUPPORTED, killer.mode());
        assertEquals(-1, killer.kill(p("192.0.2.8")));
        assertEquals(2, kernel.calls.size(), "no request once both are known to be missing");
        assertEquals(Errno.ENODEV, killer.lastErrno());
    }

    @Test
    void aRealErrorOnTheKnownRequestDoesNotSwitchRequests() {
        assertEquals(0, killer.kill(p("192.0.2.7")));
        kernel.failNext(PfIoctls.DIOCKILLSTATES, Errno.EINVAL);
        assertEquals(-1, killer.kill(p("192.0.2.8")));
        assertEquals(StateKiller.Mode.STRUCT, killer.mode());
    }
}
