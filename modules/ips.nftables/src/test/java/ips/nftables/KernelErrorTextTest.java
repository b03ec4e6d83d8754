package ips.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.EnforcerException;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** The kernel's extended-ack text reaches the exception, read by sequence number. */
class KernelErrorTextTest {

    @Test
    void policyViolationCarriesTheKernelsExtAckText() throws Exception {
        NetNs.assumeRoot();
        try (NetNs ns = NetNs.create("ext"); Netlink nl = ns.inside(() -> Netlink.open(1 << 20, 5000));
                Arena arena = Arena.ofConfined()) {
            MessageBuffer b = new MessageBuffer(arena, 8192, 100);
            Replies replies = new Replies(nl, arena, 65536);
            int first = b.beginBatch();
            TableMessage.create(b, NetlinkStrings.z("t".repeat(NfTables.NFT_NAME_MAXLEN + 10)));
            int last = b.endBatch();
            nl.send(b.segment(), b.position(), "create table");
            EnforcerException e = assertThrows(EnforcerException.class, () -> replies.awaitAcks(first, last, 1, "create table"));
            System.out.println("kernel's answer to an over-long table name: " + e.getMessage());
            assertTrue(e.getMessage().startsWith("create table: " + Errno.name(e.errno())), e.getMessage());
            assertTrue(e.getMessage().matches("create table: [A-Z]+( \\([^)]*\\))?: .+"), "ext-ack text expected: " + e.getMessage());

            // the socket is clean afterwards: a good batch is answered in full
            b.clear();
            int f2 = b.beginBatch();
            TableMessage.create(b, NetlinkStrings.z("ok"));
            int l2 = b.endBatch();
            nl.send(b.segment(), b.position(), "create table");
            replies.awaitAcks(f2, l2, 1, "create table");
            assertEquals(true, ns.exec(true, "nft", "list", "tables").contains("inet ok"));
        }
    }
}
