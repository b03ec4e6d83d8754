package ips.pf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.EnforcerException;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table requests against the fake kernel, which applies pf_table.c's rules. */
class PfTablesTest {
    private final FakePfKernel kernel = new FakePfKernel();
    private final PfTables tables = new PfTables(kernel, PfIoctls.DEFAULT_REQUEST_MAXCOUNT);

    private static IpPrefix p(String s) {
        return IpPrefix.tryParse(s);
    }

    private static List<IpPrefix> hosts(int first, int count) {
        List<IpPrefix> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(IpPrefix.of(IpAddress.ofIpv4(first + i)));
        }
        return out;
    }

    @Test
    void createsPersistentTablesOnceAndCountsOnlyNewOnes() throws EnforcerException {
        assertEquals(2, tables.addTables(List.of("portcullis-sshd", "portcullis-nginx"), PfrTableLayout.PFR_TFLAG_PERSIST));
        assertEquals(0, tables.addTables(List.of("portcullis-sshd"), PfrTableLayout.PFR_TFLAG_PERSIST));
        assertEquals(PfrTableLayout.PFR_TFLAG_PERSIST | PfrTableLayout.PFR_TFLAG_ACTIVE, kernel.tables.get("portcullis-sshd").flags);
    }

    @Test
    void refusesTableFlagsOutsideTheUserMaskLikeTheKernel() {
        EnforcerException e = assertThrows(EnforcerException.class,
                () -> tables.addTables(List.of("t"), PfrTableLayout.PFR_TFLAG_REFERENCED));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void addsWithFeedbackMarkingOnlyAddressesThatWereNew() throws EnforcerException {
        kernel.define("t");
        tables.addAddrs("t", List.of(p("192.0.2.1")), null);
        boolean[] added = new boolean[3];
        assertEquals(2, tables.addAddrs("t", List.of(p("192.0.2.1"), p("2001:db8::/48"), p("198.51.100.0/24")), added));
        assertArrayEquals(new boolean[] {false, true, true}, added);
        assertEquals(Set.of(p("192.0.2.1"), p("2001:db8::/48"), p("198.51.100.0/24")), kernel.contents("t"));
    }

    @Test
    void answersEsrchForAMissingTable() {
        EnforcerException e = assertThrows(EnforcerException.class, () -> tables.addAddrs("nope", List.of(p("192.0.2.1")), null));
        assertEquals(Errno.ESRCH, e.errno());
        assertTrue(e.getMessage().contains("DIOCRADDADDRS"), e.getMessage());
    }

    @Test
    void splitsRequestsLargerThanRequestMaxcount() throws EnforcerException {
        kernel.define("t");
        kernel.requestMaxCount = 1000;
        PfTables small = new PfTables(kernel, 1000);
        assertEquals(2500, small.addAddrs("t", hosts(0x0A000000, 2500), new boolean[2500]));
        assertEquals(3, kernel.calls.stream().filter("DIOCRADDADDRS"::equals).count());
        assertEquals(2500, small.delAddrs("t", hosts(0x0A000000, 2500)));
        assertEquals(0, kernel.contents("t").size());
    }

    @Test
    void kernelRejectsARequestAboveRequestMaxcountSoTheSplitMatters() {
        kernel.define("t");
        kernel.requestMaxCount = 1000;
        PfTables unsplit = new PfTables(kernel, 5000);
        EnforcerException e = assertThrows(EnforcerException.class, () -> unsplit.addAddrs("t", hosts(1, 1001), null));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void listsATableByNegotiatingTheBufferSizeWithTheKernel() throws EnforcerException {
        kernel.define("t");
        tables.addAddrs("t", hosts(0x0A000000, 1000), null);
        List<IpPrefix> listed = tables.getAddrs("t");
        assertEquals(hosts(0x0A000000, 1000), listed);
        // first call with size 0 learns the count, the second one reads
        assertEquals(List.of("DIOCRGETADDRS", "DIOCRGETADDRS"), kernel.calls.subList(kernel.calls.size() - 2, kernel.calls.size()));
    }

    @Test
    void listsAnEmptyTableInOneCall() throws EnforcerException {
        kernel.define("t");
        assertEquals(List.of(), tables.getAddrs("t"));
        assertEquals(List.of("DIOCRGETADDRS"), kernel.calls);
    }

    @Test
    void skipsNegatedEntriesWhenListing() throws EnforcerException {
        kernel.define("t").entries.put(p("10.0.0.0/8"), true);
        kernel.tables.get("t").entries.put(p("10.1.2.3"), false);
        assertEquals(List.of(p("10.1.2.3")), tables.getAddrs("t"));
    }

    @Test
    void replacesTheWholeTableAtomicallyAndReportsCounts() throws EnforcerException {
        kernel.define("t");
        tables.addAddrs("t", List.of(p("192.0.2.1"), p("192.0.2.2")), null);
        PfTables.SetResult r = tables.setAddrs("t", List.of(p("192.0.2.2"), p("192.0.2.3"), p("192.0.2.4")));
        assertEquals(new PfTables.SetResult(2, 1, 0), r);
        assertEquals(Set.of(p("192.0.2.2"), p("192.0.2.3"), p("192.0.2.4")), kernel.contents("t"));
        assertEquals(new PfTables.SetResult(0, 3, 0), tables.setAddrs("t", List.of()));
    }

    @Test
    void hitsTheTableEntryLimitWithEnomemAndChangesNothing() throws EnforcerException {
        kernel.define("t");
        kernel.tableEntryLimit = 10;
        tables.addAddrs("t", hosts(1, 8), null);
        EnforcerException e = assertThrows(EnforcerException.class, () -> tables.addAddrs("t", hosts(100, 3), null));
        assertEquals(Errno.ENOMEM, e.errno());
        assertTrue(e.getMessage().contains("table-entries"), e.getMessage());
        assertEquals(8, kernel.contents("t").size());
    }

    @Test
    void clearsATableAndCountsWhatWent() throws EnforcerException {
        kernel.define("t");
        tables.addAddrs("t", hosts(1, 5), null);
        assertEquals(5, tables.clrAddrs("t"));
        assertEquals(Set.of(), kernel.contents("t"));
    }

    @Test
    void listsTablesWithTheirReferencedFlag() throws EnforcerException {
        kernel.define("a");
        kernel.define("b");
        kernel.referencedByRule.add("b");
        List<PfTables.TableInfo> t = tables.getTables();
        assertEquals(2, t.size());
        assertEquals(false, t.get(0).referenced());
        assertEquals(true, t.get(1).referenced());
    }

    @Test
    void fakeKernelRejectsEveryInvalidElementTheWayPfrValidateAddrDoes() {
        MemorySegment buf = MemorySegment.ofArray(new byte[20]);
        PfrAddrLayout.encode(buf, 0, p("10.0.0.0/8"));
        assertTrue(FakePfKernel.validAddr(buf, 0));
        buf.set(ValueLayout.JAVA_BYTE, 1, (byte) 1); // host bit past /8
        assertEquals(false, FakePfKernel.validAddr(buf, 0));
        PfrAddrLayout.encode(buf, 0, p("10.0.0.1"));
        buf.set(ValueLayout.JAVA_BYTE, 8, (byte) 1); // unused union byte of an IPv4 entry
        assertEquals(false, FakePfKernel.validAddr(buf, 0));
        PfrAddrLayout.encode(buf, 0, p("10.0.0.1"));
        buf.set(ValueLayout.JAVA_BYTE, 17, (byte) 33); // prefix longer than the family
        assertEquals(false, FakePfKernel.validAddr(buf, 0));
        PfrAddrLayout.encode(buf, 0, p("10.0.0.1"));
        buf.set(ValueLayout.JAVA_BYTE, 18, (byte) 2); // pfra_not must be 0 or 1
        assertEquals(false, FakePfKernel.validAddr(buf, 0));
        PfrAddrLayout.encode(buf, 0, p("10.0.0.1"));
        buf.set(ValueLayout.JAVA_BYTE, 19, (byte) 1); // pfra_fback must be 0 on input
        assertEquals(false, FakePfKernel.validAddr(buf, 0));
        PfrAddrLayout.encode(buf, 0, p("2001:db8::1"));
        buf.set(ValueLayout.JAVA_BYTE, 16, (byte) 10); // Linux's AF_INET6 is not FreeBSD's
        assertEquals(false, FakePfKernel.validAddr(buf, 0));
    }

    @Test
    void everyEncodedPrefixPassesTheKernelsValidation() {
        MemorySegment buf = MemorySegment.ofArray(new byte[20]);
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            IpPrefix prefix;
            if (r.nextBoolean()) {
                prefix = IpPrefix.covering(IpAddress.ofIpv4(r.nextInt()), r.nextInt(33));
            } else {
                prefix = IpPrefix.covering(IpAddress.ofIpv6(r.nextLong() | 1L << 62, r.nextLong()), r.nextInt(129));
            }
            buf.fill((byte) 0xFF);
            PfrAddrLayout.encode(buf, 0, prefix);
            assertTrue(FakePfKernel.validAddr(buf, 0), prefix.toString());
            assertEquals(prefix, PfrAddrLayout.decode(buf, 0));
        }
    }
}
