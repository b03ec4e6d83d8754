package ips.pf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.Ban;
import ips.api.EnforcerException;
import ips.api.EnforcerSettings;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the ban path costs in user space (encoding, FFM-free fake ioctl, bookkeeping), without a
 * kernel: run with {@code -Dips.pf.bench=true}. The kernel's own cost is not measurable here.
 */
class BanPathUserSpaceBench {

    /** Accepts every request; marks every address added so the state kill runs too. */
    static final class NullKernel implements IoctlDevice {
        @Override
        public int ioctl(long request, MemorySegment arg) {
            if (request == PfIoctls.DIOCRADDADDRS) {
                int n = arg.get(ValueLayout.JAVA_INT, PfiocTableLayout.PFRIO_SIZE);
                MemorySegment buf = arg.get(ValueLayout.ADDRESS, PfiocTableLayout.PFRIO_BUFFER).reinterpret(n * PfrAddrLayout.SIZE);
                for (int i = 0; i < n; i++) {
                    buf.set(ValueLayout.JAVA_BYTE, i * PfrAddrLayout.SIZE + PfrAddrLayout.PFRA_FBACK, PfrAddrLayout.PFR_FB_ADDED);
                }
                arg.set(ValueLayout.JAVA_INT, PfiocTableLayout.PFRIO_NADD, n);
            }
            return 0;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void measuresOneBanPerCallAndBatchedBans() throws EnforcerException {
        assumeTrue(Boolean.getBoolean("ips.pf.bench"), "benchmark: run with -Dips.pf.bench=true");
        PfEnforcer pf = new PfEnforcer(new NullKernel(), EnforcerSettings.defaults(), () -> 0L, 65535);
        int rounds = 200_000;
        long[] single = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            Ban b = new Ban("sshd", IpPrefix.of(IpAddress.ofIpv4(0x0A000000 + i)), 3_600_000L + i);
            long t = System.nanoTime();
            pf.ban(List.of(b));
            single[i] = System.nanoTime() - t;
        }
        Arrays.sort(single); // the expiry book now holds 200k bans with distinct expiries
        pf.flush("sshd");
        int batches = 50;
        long[] perElement = new long[batches];
        for (int r = 0; r < batches; r++) {
            List<Ban> batch = new ArrayList<>(10_000);
            for (int i = 0; i < 10_000; i++) {
                batch.add(new Ban("sshd", IpPrefix.of(IpAddress.ofIpv4(0x0B000000 + r * 10_000 + i)), Ban.PERMANENT));
            }
            long t = System.nanoTime();
            pf.ban(batch);
            perElement[r] = (System.nanoTime() - t) / 10_000;
            pf.flush("sshd");
        }
        Arrays.sort(perElement);
        System.out.printf("pf user-space ban path: single ban (ADDADDRS + state kill) p50 %.2f us, p99 %.2f us; "
                        + "10k batch %d ns/element p50 (no state kill beyond %d)%n",
                single[rounds / 2] / 1000.0, single[rounds * 99 / 100] / 1000.0, perElement[batches / 2],
                PfEnforcer.STATE_KILL_LIMIT);
    }
}
