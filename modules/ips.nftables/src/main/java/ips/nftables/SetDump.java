package ips.nftables;

import static ips.nftables.NetlinkLayout.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Collects the set names of a GETSET dump (the NFTA_SET_NAME of each NEWSET message). */
final class SetDump implements Replies.DumpHandler {
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    final List<String> names = new ArrayList<>();

    @Override
    public void message(MemorySegment buf, int offset, int length) {
        int end = offset + length;
        for (int at = offset + NFT_PAYLOAD_OFFSET; at + NLA_HDRLEN <= end; ) {
            int alen = buf.get(HOST_SHORT, at) & 0xFFFF;
            int type = buf.get(HOST_SHORT, at + 2) & NLA_TYPE_MASK;
            if (alen < NLA_HDRLEN || at + alen > end) {
                return;
            }
            if (type == SetMessage.NFTA_SET_NAME) {
                int n = alen - NLA_HDRLEN;
                while (n > 0 && buf.get(ValueLayout.JAVA_BYTE, at + NLA_HDRLEN + n - 1) == 0) {
                    n--;
                }
                names.add(new String(buf.asSlice(at + NLA_HDRLEN, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
                return;
            }
            at += align(alen);
        }
    }
}
