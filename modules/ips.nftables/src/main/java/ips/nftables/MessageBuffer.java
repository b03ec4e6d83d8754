package ips.nftables;

import static ips.nftables.NetlinkLayout.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A reused native buffer that nf_tables messages are encoded into, one batch at a time. Netlink
 * headers are written in host order and nf_tables values in network order, as the kernel expects.
 * Nothing here allocates once the buffer exists.
 */
final class MessageBuffer {
    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong NET_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment segment;
    private int position;
    private int messageStart = -1;
    private int nextSeq;

    MessageBuffer(Arena arena, int capacity, int firstSeq) {
        this.segment = Netlink.lazyPages(arena, capacity);
        this.nextSeq = firstSeq;
    }

    MemorySegment segment() {
        return segment;
    }

    int capacity() {
        return (int) segment.byteSize();
    }

    /** Bytes written so far. */
    int position() {
        return position;
    }

    /** Forgets everything written. */
    void clear() {
        position = 0;
        messageStart = -1;
    }

    /** The sequence number the next message will get. */
    int peekSeq() {
        return nextSeq;
    }

    /**
     * Starts a message: netlink header plus nfgenmsg. Returns its sequence number.
     *
     * @param type full netlink type ({@code subsystem << 8 | message}, or a batch delimiter)
     */
    int begin(int type, int flags, int family, int resId) {
        if (messageStart >= 0) {
            throw new IllegalStateException("message at " + messageStart + " is not ended");
        }
        ensure(NFT_PAYLOAD_OFFSET);
        int seq = nextSeq++;
        messageStart = position;
        segment.set(HOST_INT, position + NLMSG_LEN_OFFSET, 0);
        segment.set(HOST_SHORT, position + NLMSG_TYPE_OFFSET, (short) type);
        segment.set(HOST_SHORT, position + NLMSG_FLAGS_OFFSET, (short) flags);
        segment.set(HOST_INT, position + NLMSG_SEQ_OFFSET, seq);
        segment.set(HOST_INT, position + NLMSG_PID_OFFSET, 0);
        segment.set(ValueLayout.JAVA_BYTE, position + NFGEN_FAMILY_OFFSET, (byte) family);
        segment.set(ValueLayout.JAVA_BYTE, position + NFGEN_VERSION_OFFSET, (byte) NFNETLINK_V0);
        segment.set(NET_SHORT, position + NFGEN_RES_ID_OFFSET, (short) resId);
        position += NFT_PAYLOAD_OFFSET;
        return seq;
    }

    /** Starts an nf_tables message ({@code NFNL_SUBSYS_NFTABLES << 8 | msg}). */
    int beginNft(int msg, int flags, int family) {
        return begin(NFNL_SUBSYS_NFTABLES << 8 | msg, flags, family, 0);
    }

    /** Ends the current message, filling in its length. */
    void end() {
        segment.set(HOST_INT, messageStart + NLMSG_LEN_OFFSET, position - messageStart);
        messageStart = -1;
    }

    /** Discards the current message (it gets no sequence number back; gaps are harmless). */
    void abandon() {
        position = messageStart;
        messageStart = -1;
    }

    /** Length of the message being written so far. */
    int messageLength() {
        return position - messageStart;
    }

    /** Appends {@code NFNL_MSG_BATCH_BEGIN}; returns its sequence number. */
    int beginBatch() {
        int seq = begin(NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES);
        end();
        return seq;
    }

    /** Appends {@code NFNL_MSG_BATCH_END}; returns its sequence number. */
    int endBatch() {
        int seq = begin(NFNL_MSG_BATCH_END, NLM_F_REQUEST, NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES);
        end();
        return seq;
    }

    private void ensure(int bytes) {
        if (position + bytes > segment.byteSize()) {
            throw new IllegalStateException("message buffer full: " + position + " + " + bytes + " > " + segment.byteSize());
        }
    }

    private int header(int type, int payload) {
        int len = NLA_HDRLEN + payload;
        ensure(align(len));
        segment.set(HOST_SHORT, position, (short) len);
        segment.set(HOST_SHORT, position + 2, (short) type);
        int at = position + NLA_HDRLEN;
        position += align(len);
        // zero the padding so the kernel never sees stale bytes
        for (int p = at + payload; p < position; p++) {
            segment.set(ValueLayout.JAVA_BYTE, p, (byte) 0);
        }
        return at;
    }

    /** A big-endian u32 attribute (NLA_U32 in nf_tables). */
    void putU32(int type, int value) {
        segment.set(NET_INT, header(type, 4), value);
    }

    /** A big-endian u64 attribute (NLA_U64 in nf_tables). */
    void putU64(int type, long value) {
        segment.set(NET_LONG, header(type, 8), value);
    }

    /** A u8 attribute. */
    void putU8(int type, int value) {
        segment.set(ValueLayout.JAVA_BYTE, header(type, 1), (byte) value);
    }

    /** A big-endian u16 value as raw data. */
    void putBe16(int type, int value) {
        segment.set(NET_SHORT, header(type, 2), (short) value);
    }

    /** Raw bytes; for strings pass them already NUL-terminated. */
    void putBytes(int type, byte[] bytes) {
        int at = header(type, bytes.length);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, at, bytes.length);
    }

    /** A 4-byte value, big-endian, as raw data (an IPv4 address). */
    void putBe32Data(int type, int value) {
        segment.set(NET_INT, header(type, 4), value);
    }

    /** A 16-byte value from two big-endian halves (an IPv6 address). */
    void putBe128Data(int type, long high, long low) {
        int at = header(type, 16);
        segment.set(NET_LONG, at, high);
        segment.set(NET_LONG, at + 8, low);
    }

    /** Opens a nested attribute; pass the returned token to {@link #endNest}. */
    int beginNest(int type) {
        ensure(NLA_HDRLEN);
        int at = position;
        segment.set(HOST_SHORT, at + 2, (short) (type | NLA_F_NESTED));
        position += NLA_HDRLEN;
        return at;
    }

    /** Closes a nested attribute, filling in its length. */
    void endNest(int token) {
        int len = position - token;
        if (len > NLA_MAX_LEN) {
            throw new IllegalStateException("nested attribute of " + len + " bytes overflows nla_len");
        }
        segment.set(HOST_SHORT, token, (short) len);
    }

    /** Bytes in the nest opened at {@code token} so far. */
    int nestLength(int token) {
        return position - token;
    }
}
