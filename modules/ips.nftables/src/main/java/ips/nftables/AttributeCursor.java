package ips.nftables;

import static ips.nftables.NetlinkLayout.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Steps through the netlink attributes in {@code [from, to)} of a received message, as libmnl's
 * {@code mnl_attr_for_each}: each {@link #next()} moves to the following attribute, and the walk
 * ends at the first attribute whose length is too short or runs past {@code to}, so a truncated
 * or garbled reply is never read outside its bounds. Used by the dump decoders, which may allocate.
 */
final class AttributeCursor {
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong NET_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment buf;
    private final int to;
    private int next;
    private int at = -1;
    private int length;

    AttributeCursor(MemorySegment buf, int from, int to) {
        this.buf = buf;
        this.next = from;
        this.to = to;
    }

    /** Moves to the next attribute; false at the end or at a malformed one. */
    boolean next() {
        if (next + NLA_HDRLEN > to) {
            return false;
        }
        int alen = buf.get(HOST_SHORT, next) & 0xFFFF;
        if (alen < NLA_HDRLEN || next + alen > to) {
            next = to;
            return false;
        }
        at = next;
        length = alen;
        next += align(alen);
        return true;
    }

    /** The attribute's type, without the nested and byte-order flags. */
    int type() {
        return buf.get(HOST_SHORT, at + 2) & NLA_TYPE_MASK;
    }

    /** Where the attribute's value begins. */
    int value() {
        return at + NLA_HDRLEN;
    }

    /** Where the attribute's value ends (its padding excluded). */
    int end() {
        return at + length;
    }

    /** The attributes nested in this one's value. */
    AttributeCursor nested() {
        return new AttributeCursor(buf, value(), end());
    }

    /** The value as a big-endian 32-bit integer (nf_tables values are in network order). */
    int int32() {
        return buf.get(NET_INT, value());
    }

    /** The value as a big-endian 64-bit integer. */
    long int64() {
        return buf.get(NET_LONG, value());
    }

    byte[] bytes() {
        return buf.asSlice(value(), end() - value()).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The value as a string, without the NUL the kernel ends it with. */
    String string() {
        int n = end() - value();
        while (n > 0 && buf.get(ValueLayout.JAVA_BYTE, value() + n - 1) == 0) {
            n--;
        }
        return new String(buf.asSlice(value(), n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }
}
