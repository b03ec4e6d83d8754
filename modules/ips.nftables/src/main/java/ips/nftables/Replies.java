package ips.nftables;

import static ips.nftables.NetlinkLayout.*;

import ips.api.EnforcerException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Reads the kernel's answers by sequence number. Every message of a batch asks for an ACK; an
 * error for any sequence number of the batch, the BATCH_BEGIN one included (how a batch rejected
 * as a whole answers, e.g. EPERM), fails the batch at once, and whatever else is queued is
 * drained so it cannot be mistaken for the next batch's answers. Replies to older sequence numbers
 * are ignored.
 */
final class Replies {
    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** Called for each data message of a dump with the segment and the message's offset and length. */
    interface DumpHandler {
        void message(MemorySegment buffer, int offset, int length) throws EnforcerException;
    }

    private final Netlink netlink;
    private final MemorySegment buffer;

    Replies(Netlink netlink, Arena arena, int capacity) {
        this.netlink = netlink;
        this.buffer = Netlink.lazyPages(arena, capacity);
    }

    /**
     * Waits until each of {@code acks} messages with sequence numbers in {@code (firstSeq, lastSeq)}
     * is acknowledged; {@code firstSeq} and {@code lastSeq} are the batch delimiters.
     */
    void awaitAcks(int firstSeq, int lastSeq, int acks, String operation) throws EnforcerException {
        int pending = acks;
        while (pending > 0) {
            long n = netlink.receive(buffer, false, operation);
            int off = 0;
            while (off + NLMSG_HDRLEN <= n) {
                int len = buffer.get(HOST_INT, off + NLMSG_LEN_OFFSET);
                if (len < NLMSG_HDRLEN || off + len > n) {
                    break;
                }
                int type = buffer.get(HOST_SHORT, off + NLMSG_TYPE_OFFSET) & 0xFFFF;
                int seq = buffer.get(HOST_INT, off + NLMSG_SEQ_OFFSET);
                if (type == NLMSG_ERROR && seq - firstSeq >= 0 && lastSeq - seq >= 0) {
                    int error = buffer.get(HOST_INT, off + NLMSGERR_ERROR_OFFSET);
                    if (error == 0) {
                        pending--;
                    } else {
                        String text = extAckMessage(off, len);
                        drain(operation);
                        throw failure(operation, -error, text);
                    }
                }
                off += align(len);
            }
        }
    }

    /**
     * Reads a dump answering {@code seq} until NLMSG_DONE, handing every data message to {@code
     * handler}. An NLMSG_ERROR for {@code seq} fails it.
     */
    void readDump(int seq, String operation, DumpHandler handler) throws EnforcerException {
        while (true) {
            long n = netlink.receive(buffer, false, operation);
            int off = 0;
            while (off + NLMSG_HDRLEN <= n) {
                int len = buffer.get(HOST_INT, off + NLMSG_LEN_OFFSET);
                if (len < NLMSG_HDRLEN || off + len > n) {
                    break;
                }
                int type = buffer.get(HOST_SHORT, off + NLMSG_TYPE_OFFSET) & 0xFFFF;
                int got = buffer.get(HOST_INT, off + NLMSG_SEQ_OFFSET);
                if (got == seq) {
                    if (type == NLMSG_DONE) {
                        return;
                    }
                    if (type == NLMSG_ERROR) {
                        int error = buffer.get(HOST_INT, off + NLMSGERR_ERROR_OFFSET);
                        if (error != 0) {
                            String text = extAckMessage(off, len);
                            drain(operation);
                            throw failure(operation, -error, text);
                        }
                        return; // an ACK ends a non-dump request
                    }
                    if (type != NLMSG_NOOP) {
                        handler.message(buffer, off, len);
                    }
                }
                off += align(len);
            }
        }
    }

    /** Drops whatever replies are already queued. */
    void drain(String operation) throws EnforcerException {
        while (netlink.receive(buffer, true, operation) >= 0) {
            // discard
        }
    }

    static EnforcerException failure(String operation, int errno, String extAck) {
        String message = Errno.describe(errno);
        if (extAck != null && !extAck.isEmpty()) {
            message += ": " + extAck;
        }
        return new EnforcerException(operation, errno, message);
    }

    /** The NLMSGERR_ATTR_MSG text of an error reply, or null. */
    private String extAckMessage(int off, int len) {
        int flags = buffer.get(HOST_SHORT, off + NLMSG_FLAGS_OFFSET) & 0xFFFF;
        if ((flags & NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int at = off + NLMSGERR_REQUEST_OFFSET;
        if ((flags & NLM_F_CAPPED) != 0) {
            at += NLMSG_HDRLEN;
        } else {
            at += buffer.get(HOST_INT, at + NLMSG_LEN_OFFSET);
        }
        int end = off + len;
        while (at + NLA_HDRLEN <= end) {
            int alen = buffer.get(HOST_SHORT, at) & 0xFFFF;
            int atype = buffer.get(HOST_SHORT, at + 2) & NLA_TYPE_MASK;
            if (alen < NLA_HDRLEN || at + alen > end) {
                return null;
            }
            if (atype == NLMSGERR_ATTR_MSG) {
                int textLen = alen - NLA_HDRLEN;
                while (textLen > 0 && buffer.get(ValueLayout.JAVA_BYTE, at + NLA_HDRLEN + textLen - 1) == 0) {
                    textLen--;
                }
                byte[] text = buffer.asSlice(at + NLA_HDRLEN, textLen).toArray(ValueLayout.JAVA_BYTE);
                return new String(text, StandardCharsets.UTF_8);
            }
            at += align(alen);
        }
        return null;
    }
}
