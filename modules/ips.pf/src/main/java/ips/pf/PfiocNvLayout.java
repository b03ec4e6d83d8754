package ips.pf;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct pfioc_nv} from {@code sys/net/pfvar.h} (24 bytes on LP64), the argument of the
 * nvlist ioctls ({@code DIOCKILLSTATESNV}, ...):
 *
 * <pre>
 *  0 void  *data   packed nvlist in; the reply is written back here
 *  8 size_t len    bytes of the request in; bytes of the reply out
 * 16 size_t size   room at data; 0 = do not copy the reply out; too small = ENOSPC
 * </pre>
 */
final class PfiocNvLayout {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("data"),
            ValueLayout.JAVA_LONG.withName("len"),
            ValueLayout.JAVA_LONG.withName("size"))
            .withName("pfioc_nv");

    static final long SIZE = LAYOUT.byteSize();
    static final long DATA = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("data"));
    static final long LEN = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("len"));
    static final long SIZE_FIELD = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("size"));

    private PfiocNvLayout() {
    }
}
