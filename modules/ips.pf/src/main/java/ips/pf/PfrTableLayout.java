package ips.pf;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct pfr_table} from {@code sys/net/pfvar.h} (1064 bytes, 4-aligned):
 *
 * <pre>
 *    0 pfrt_anchor[MAXPATHLEN = 1024]   NUL-terminated, "" = main ruleset
 * 1024 pfrt_name[PF_TABLE_NAME_SIZE = 32] NUL-terminated, every byte after the NUL zero
 * 1056 pfrt_flags (u_int32_t)            PFR_TFLAG_*
 * 1060 pfrt_fback (u_int8_t), 3 bytes padding
 * </pre>
 */
final class PfrTableLayout {
    /** sys/param.h: {@code MAXPATHLEN}. */
    static final int MAXPATHLEN = 1024;
    /** pfvar.h: {@code PF_TABLE_NAME_SIZE}; a name holds at most 31 bytes plus its NUL. */
    static final int PF_TABLE_NAME_SIZE = 32;

    /** pfvar.h: {@code PFR_TFLAG_PERSIST}, the table lives without a rule referencing it. */
    static final int PFR_TFLAG_PERSIST = 0x01;
    /** pfvar.h: {@code PFR_TFLAG_CONST}, the table cannot be changed (EPERM). */
    static final int PFR_TFLAG_CONST = 0x02;
    /** pfvar.h: {@code PFR_TFLAG_ACTIVE}, the table is in the active ruleset. */
    static final int PFR_TFLAG_ACTIVE = 0x04;
    /** pfvar.h: {@code PFR_TFLAG_INACTIVE}. */
    static final int PFR_TFLAG_INACTIVE = 0x08;
    /** pfvar.h: {@code PFR_TFLAG_REFERENCED}, at least one rule refers to the table. */
    static final int PFR_TFLAG_REFERENCED = 0x10;
    /** pfvar.h: {@code PFR_TFLAG_REFDANCHOR}, an anchor refers to the table. */
    static final int PFR_TFLAG_REFDANCHOR = 0x20;
    /** pfvar.h: {@code PFR_TFLAG_COUNTERS}. */
    static final int PFR_TFLAG_COUNTERS = 0x40;
    /** pfvar.h: {@code PFR_TFLAG_USRMASK}, flags a caller may set when creating a table. */
    static final int PFR_TFLAG_USRMASK = 0x43;

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(MAXPATHLEN, ValueLayout.JAVA_BYTE).withName("pfrt_anchor"),
            MemoryLayout.sequenceLayout(PF_TABLE_NAME_SIZE, ValueLayout.JAVA_BYTE).withName("pfrt_name"),
            ValueLayout.JAVA_INT.withName("pfrt_flags"),
            ValueLayout.JAVA_BYTE.withName("pfrt_fback"),
            MemoryLayout.paddingLayout(3))
            .withName("pfr_table");

    static final long SIZE = LAYOUT.byteSize();
    static final long PFRT_ANCHOR = offset("pfrt_anchor");
    static final long PFRT_NAME = offset("pfrt_name");
    static final long PFRT_FLAGS = offset("pfrt_flags");
    static final long PFRT_FBACK = offset("pfrt_fback");

    private PfrTableLayout() {
    }

    private static long offset(String field) {
        return LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** Clears {@code table} and writes a main-ruleset table named {@code name} with {@code flags}. */
    static void encode(MemorySegment table, String name, int flags) {
        byte[] b = nameBytes(name);
        table.asSlice(0, SIZE).fill((byte) 0);
        MemorySegment.copy(b, 0, table, ValueLayout.JAVA_BYTE, PFRT_NAME, b.length);
        table.set(ValueLayout.JAVA_INT_UNALIGNED, PFRT_FLAGS, flags);
    }

    /** The name's bytes, checked against what {@code pfr_validate_table} accepts. */
    static byte[] nameBytes(String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        if (b.length == 0 || b.length >= PF_TABLE_NAME_SIZE) {
            throw new IllegalArgumentException("PF table name '" + name + "' must be 1 to "
                    + (PF_TABLE_NAME_SIZE - 1) + " bytes");
        }
        for (byte c : b) {
            if (c == 0) {
                throw new IllegalArgumentException("PF table name holds a NUL");
            }
        }
        return b;
    }

    static String name(MemorySegment table) {
        return cString(table, PFRT_NAME, PF_TABLE_NAME_SIZE);
    }

    static String anchor(MemorySegment table) {
        return cString(table, PFRT_ANCHOR, MAXPATHLEN);
    }

    static int flags(MemorySegment table) {
        return table.get(ValueLayout.JAVA_INT_UNALIGNED, PFRT_FLAGS);
    }

    static String cString(MemorySegment s, long offset, int max) {
        int n = 0;
        while (n < max && s.get(ValueLayout.JAVA_BYTE, offset + n) != 0) {
            n++;
        }
        byte[] b = new byte[n];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset, b, 0, n);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
