package ips.engine;

import ips.api.Enforcer;
import ips.api.Failure;
import ips.api.IpAddress;
import ips.engine.ledger.BanLedger;
import java.util.List;

/**
 * Child JVM of {@link OnFailureAllocationTest} (run with {@code -XX:-UseTLAB -XX:+UseSerialGC}, so
 * every allocation moves eden's top): prints the bytes allocated by a million non-banning
 * failures, first while the tracker has room, then while it evicts at its ceiling, then with an
 * ignore list and F-ID keys.
 */
public final class AllocationProbeChild {
    private AllocationProbeChild() {}

    public static void main(String[] args) {
        Enforcer none = Enforcer.discarding();
        JailPolicy sshd = JailPolicy.of("sshd", Integer.MAX_VALUE, 600_000, 600_000)
                .withIgnore(IgnoreList.of(List.of("192.0.2.0/24", "2001:db8::/32", "198.51.100.7"), false, n -> List.of()));
        JailEngine e = new JailEngine(EngineSettings.of(50_000).withClock(() -> 0L), List.of(sshd),
                BanLedger.inMemory(86_400_000L), none);
        int n = 200_000;
        Failure[] fs = new Failure[n];
        for (int i = 0; i < n; i++) {
            IpAddress a = IpAddress.ofIpv4(0x0A00_0000 + i);
            fs[i] = i % 10 == 0 ? new Failure("sshd", "user" + (i % 1000), a, i)
                    : i % 10 == 1 ? new Failure("sshd", "192.0.2.9", IpAddress.ofIpv4(0xC000_0209), i)
                    : new Failure("sshd", a.toString(), a, i);
        }
        for (int round = 0; round < 3; round++) {
            Runtime rt = Runtime.getRuntime();
            long before = rt.freeMemory();
            for (int k = 0; k < 5; k++) {
                for (Failure f : fs) {
                    e.onFailure(f);
                }
            }
            long after = rt.freeMemory();
            System.out.println("ALLOCATED " + (before - after) + " " + e.evictions());
        }
    }
}
