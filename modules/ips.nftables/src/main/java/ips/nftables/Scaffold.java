package ips.nftables;

import static ips.nftables.NetlinkLayout.*;

import ips.api.EnforcerSettings.BlockType;
import ips.api.Family;
import ips.api.PortRange;
import ips.api.Protocol;
import java.util.List;

/**
 * Encodes the whole layout as one batch: the table, the {@code input} (and, when asked, {@code
 * forward}) base chains, four sets per jail, then a flush of each chain and its rules again (a
 * forward chain of an earlier scaffold is removed when forward blocking is off), and last the
 * removal of the sets of jails no longer listed (their rules went with the flush earlier in the
 * batch, so no rule holds them). Sets and the table are created without NLM_F_EXCL, so running it
 * again keeps every element of the jails that remain; the flush in the same batch keeps rules
 * from piling up. The batch is one transaction: either all of it happens or none.
 *
 * <p>One rule per jail, family, set and port range: {@code meta nfproto ipv4 ip saddr @sshd-v4
 * meta l4proto tcp th dport 22 drop}.
 */
final class Scaffold {
    static final byte[] INPUT = NetlinkStrings.z("input");
    static final byte[] FORWARD = NetlinkStrings.z("forward");

    private Scaffold() {
    }

    /**
     * Appends the scaffold's messages; returns how many ACKs to expect.
     *
     * @param stale NUL-terminated names of sets to remove: those of jails no longer listed
     */
    static int encode(MessageBuffer b, byte[] table, List<JailSets> jails, List<byte[]> stale, BlockType blockType,
            boolean forward) {
        int acks = 0;
        TableMessage.create(b, table);
        acks++;
        ChainMessage.createBase(b, table, INPUT, NfTables.NF_INET_LOCAL_IN);
        ChainMessage.createBase(b, table, FORWARD, NfTables.NF_INET_FORWARD);
        acks += 2;
        if (!forward) {
            // forward blocking is off: a forward chain left from an earlier scaffold goes (create
            // first, so that the delete never meets a missing chain)
            RuleMessage.flushChain(b, table, FORWARD);
            ChainMessage.delete(b, table, FORWARD);
            acks += 2;
        }
        int setId = 1;
        for (JailSets j : jails) {
            SetMessage.create(b, table, j.address4, setId++, false, false);
            SetMessage.create(b, table, j.prefix4, setId++, false, true);
            SetMessage.create(b, table, j.address6, setId++, true, false);
            SetMessage.create(b, table, j.prefix6, setId++, true, true);
            acks += 4;
        }
        for (byte[] chain : forward ? new byte[][] {INPUT, FORWARD} : new byte[][] {INPUT}) {
            RuleMessage.flushChain(b, table, chain);
            acks++;
            setId = 1;
            for (JailSets j : jails) {
                for (Family f : Family.values()) {
                    int addressId = f == Family.IPV4 ? setId : setId + 2;
                    acks += rules(b, table, chain, j, f, j.addressSet(f), addressId, blockType);
                    acks += rules(b, table, chain, j, f, j.prefixSet(f), addressId + 1, blockType);
                }
                setId += 4;
            }
        }
        for (byte[] set : stale) {
            SetMessage.destroy(b, table, set);
            acks++;
        }
        return acks;
    }

    /** The jail's rules for one set: drop or reject as the jail says, else as {@code firewallDefault}. */
    private static int rules(MessageBuffer b, byte[] table, byte[] chain, JailSets j, Family f, byte[] set, int setId,
            BlockType firewallDefault) {
        List<PortRange> ports = j.rule.ports();
        BlockType blockType = j.rule.blockTypeOr(firewallDefault);
        if (ports.isEmpty()) {
            rule(b, table, chain, j.rule.protocol(), null, f, set, setId, blockType);
            return 1;
        }
        for (PortRange r : ports) {
            rule(b, table, chain, j.rule.protocol(), r, f, set, setId, blockType);
        }
        return ports.size();
    }

    private static void rule(MessageBuffer b, byte[] table, byte[] chain, Protocol protocol, PortRange ports, Family f,
            byte[] set, int setId, BlockType blockType) {
        int exprs = RuleMessage.beginAppend(b, table, chain);
        boolean v4 = f == Family.IPV4;
        Expressions.meta(b, Expressions.NFT_META_NFPROTO);
        Expressions.cmpByte(b, v4 ? NFPROTO_IPV4 : NFPROTO_IPV6);
        Expressions.payload(b, Expressions.NFT_PAYLOAD_NETWORK_HEADER,
                v4 ? Expressions.IPV4_SADDR_OFFSET : Expressions.IPV6_SADDR_OFFSET, f.bytes());
        Expressions.lookup(b, set, setId);
        if (protocol != Protocol.ALL) {
            Expressions.meta(b, Expressions.NFT_META_L4PROTO);
            Expressions.cmpByte(b, protocol.number());
            if (ports != null) {
                Expressions.payload(b, Expressions.NFT_PAYLOAD_TRANSPORT_HEADER, Expressions.DPORT_OFFSET, 2);
                if (ports.first() == ports.last()) {
                    Expressions.cmpBe16(b, ports.first());
                } else {
                    Expressions.rangeBe16(b, ports.first(), ports.last());
                }
            }
        }
        if (blockType == BlockType.REJECT) {
            Expressions.reject(b);
        } else {
            Expressions.drop(b);
        }
        RuleMessage.end(b, exprs);
    }
}
