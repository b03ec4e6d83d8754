package ips.nftables;

import static ips.nftables.NetlinkLayout.NFT_PAYLOAD_OFFSET;

import ips.api.AddressFormatException;
import ips.api.Ban;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the NFT_MSG_NEWSETELEM messages of a GETSETELEM dump into elements, and turns an
 * interval set's start and end elements back into prefixes. Only listing uses it, so it may
 * allocate.
 */
final class ElementDump implements Replies.DumpHandler {
    /** One element as the kernel reports it; {@code timeoutMillis} 0 means none. */
    record Element(byte[] key, int flags, long timeoutMillis, long expirationMillis) {
        boolean isIntervalEnd() {
            return (flags & SetElementMessage.NFT_SET_ELEM_INTERVAL_END) != 0;
        }

        BigInteger keyValue() {
            return new BigInteger(1, key);
        }

        /** Absolute expiry at {@code now}, or {@link Ban#PERMANENT}. */
        long expiresAt(long now) {
            return timeoutMillis == 0 ? Ban.PERMANENT : now + expirationMillis;
        }
    }

    final List<Element> elements = new ArrayList<>();

    @Override
    public void message(MemorySegment buf, int offset, int length) {
        for (AttributeCursor a = new AttributeCursor(buf, offset + NFT_PAYLOAD_OFFSET, offset + length); a.next(); ) {
            if (a.type() == SetElementMessage.NFTA_SET_ELEM_LIST_ELEMENTS) {
                for (AttributeCursor e = a.nested(); e.next(); ) {
                    element(e.nested());
                }
            }
        }
    }

    private void element(AttributeCursor a) {
        byte[] key = null;
        int flags = 0;
        long timeout = 0;
        long expiration = 0;
        while (a.next()) {
            switch (a.type()) {
                case SetElementMessage.NFTA_SET_ELEM_KEY -> {
                    AttributeCursor data = a.nested();
                    if (data.next() && data.type() == NfTables.NFTA_DATA_VALUE && data.end() > data.value()) {
                        key = data.bytes();
                    }
                }
                case SetElementMessage.NFTA_SET_ELEM_FLAGS -> flags = a.int32();
                case SetElementMessage.NFTA_SET_ELEM_TIMEOUT -> timeout = a.int64();
                case SetElementMessage.NFTA_SET_ELEM_EXPIRATION -> expiration = a.int64();
                default -> {
                }
            }
        }
        if (key != null) {
            elements.add(new Element(key, flags, timeout, expiration));
        }
    }

    /** The elements of an address set as single-address prefixes with their expiry. */
    static void addresses(List<Element> elements, long now, Sink sink) throws AddressFormatException {
        for (Element e : elements) {
            sink.accept(IpPrefix.of(IpAddress.ofBytes(e.key())), e.expiresAt(now));
        }
    }

    /** Receives a decoded entry. */
    interface Sink {
        void accept(IpPrefix prefix, long expiresAt);
    }

    /**
     * The elements of an interval set as prefixes: each start is paired with the next end above it
     * (a start with none runs to the top of the address space); a range that is not a CIDR prefix
     * (not ours) is reported as the prefixes that cover it exactly.
     */
    static void intervals(List<Element> elements, int addressBytes, long now, Sink sink) throws AddressFormatException {
        List<Element> starts = new ArrayList<>();
        List<BigInteger> ends = new ArrayList<>();
        for (Element e : elements) {
            if (e.isIntervalEnd()) {
                ends.add(e.keyValue());
            } else {
                starts.add(e);
            }
        }
        starts.sort((a, b) -> a.keyValue().compareTo(b.keyValue()));
        ends.sort(null);
        BigInteger top = BigInteger.ONE.shiftLeft(addressBytes * 8);
        int j = 0;
        for (Element s : starts) {
            BigInteger start = s.keyValue();
            while (j < ends.size() && ends.get(j).compareTo(start) <= 0) {
                j++;
            }
            BigInteger end = j < ends.size() ? ends.get(j) : top;
            long expiresAt = s.expiresAt(now);
            // split [start, end) into aligned power-of-two blocks
            BigInteger at = start;
            while (at.compareTo(end) < 0) {
                int size = at.signum() == 0 ? addressBytes * 8 : at.getLowestSetBit();
                while (at.add(BigInteger.ONE.shiftLeft(size)).compareTo(end) > 0) {
                    size--;
                }
                sink.accept(new IpPrefix(address(at, addressBytes), addressBytes * 8 - size), expiresAt);
                at = at.add(BigInteger.ONE.shiftLeft(size));
            }
        }
    }

    private static IpAddress address(BigInteger value, int bytes) throws AddressFormatException {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[bytes];
        int n = Math.min(raw.length, bytes);
        System.arraycopy(raw, raw.length - n, out, bytes - n, n);
        return IpAddress.ofBytes(out);
    }
}
