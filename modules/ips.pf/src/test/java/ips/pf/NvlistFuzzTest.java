package ips.pf;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** The nvlist reader sees bytes a kernel wrote: it must fail only with IllegalArgumentException. */
class NvlistFuzzTest {

    @FuzzTest
    void unpackingArbitraryBytesEitherSucceedsOrRefusesCleanly(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            Nvlist n = Nvlist.unpack(bytes);
            Nvlist again = Nvlist.unpack(n.pack(java.nio.ByteOrder.LITTLE_ENDIAN));
            if (!again.equals(n)) {
                throw new AssertionError("repack changed " + n + " into " + again);
            }
        } catch (IllegalArgumentException expected) {
            // libnv would refuse it too
        }
    }
}
