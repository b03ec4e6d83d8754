package ips.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ips.api.Ban;
import ips.api.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElementDumpTest {

    private static ElementDump.Element start(int a, int b, int c, int d, long timeout, long left) {
        return new ElementDump.Element(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, 0, timeout, left);
    }

    private static ElementDump.Element end(int a, int b, int c, int d) {
        return new ElementDump.Element(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d},
                SetElementMessage.NFT_SET_ELEM_INTERVAL_END, 0, 0);
    }

    private static List<String> decode(List<ElementDump.Element> elements) throws Exception {
        List<String> out = new ArrayList<>();
        ElementDump.intervals(elements, 4, 1000, (p, e) -> out.add(p + " " + (e == Ban.PERMANENT ? "permanent" : e)));
        return out;
    }

    @Test
    void pairsStartsWithTheNextEndInWhateverOrderTheKernelDumpsThem() throws Exception {
        // the rbtree dumps from the top down: ends and starts interleaved, highest first
        List<ElementDump.Element> dump = List.of(end(10, 0, 2, 0), start(10, 0, 1, 0, 5000, 4000),
                end(192, 0, 3, 0), start(192, 0, 2, 0, 0, 0));
        assertEquals(List.of("10.0.1.0/24 5000", "192.0.2.0/24 permanent"), decode(dump));
    }

    @Test
    void aStartWithoutEndRunsToTheTopOfTheAddressSpace() throws Exception {
        assertEquals(List.of("255.255.255.0/24 permanent"), decode(List.of(start(255, 255, 255, 0, 0, 0))));
    }

    @Test
    void aRangeThatIsNotOnePrefixIsReportedAsTheExactPrefixesCoveringIt() throws Exception {
        // 10.0.0.1 - 10.0.0.6 (end exclusive 10.0.0.7): /32, /31, /31, /32... as written by someone else
        assertEquals(List.of("10.0.0.1 permanent", "10.0.0.2/31 permanent", "10.0.0.4/31 permanent", "10.0.0.6 permanent"),
                decode(List.of(start(10, 0, 0, 1, 0, 0), end(10, 0, 0, 7))));
    }

    @Test
    void addressSetElementsBecomeSingleAddressBans() throws Exception {
        List<String> out = new ArrayList<>();
        ElementDump.addresses(List.of(start(192, 0, 2, 1, 60_000, 30_000)), 1000, (p, e) -> out.add(p + " " + e));
        assertEquals(List.of("192.0.2.1 31000"), out);
        assertEquals(IpPrefix.tryParse("192.0.2.1"), IpPrefix.tryParse(out.get(0).split(" ")[0]));
    }
}
