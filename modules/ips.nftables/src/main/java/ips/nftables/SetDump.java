package ips.nftables;

import static ips.nftables.NetlinkLayout.NFT_PAYLOAD_OFFSET;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Collects the set names of a GETSET dump (the NFTA_SET_NAME of each NEWSET message). */
final class SetDump implements Replies.DumpHandler {
    final List<String> names = new ArrayList<>();

    @Override
    public void message(MemorySegment buf, int offset, int length) {
        for (AttributeCursor a = new AttributeCursor(buf, offset + NFT_PAYLOAD_OFFSET, offset + length); a.next(); ) {
            if (a.type() == SetMessage.NFTA_SET_NAME) {
                names.add(a.string());
                return;
            }
        }
    }
}
