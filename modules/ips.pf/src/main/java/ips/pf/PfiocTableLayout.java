package ips.pf;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct pfioc_table} from {@code sys/net/pfvar.h} (1104 bytes, 8-aligned on LP64), the
 * argument of every {@code DIOCR*} table ioctl:
 *
 * <pre>
 *    0 pfrio_table   struct pfr_table (1064)
 * 1064 pfrio_buffer  void *           array of pfr_addr / pfr_table
 * 1072 pfrio_esize   int              sizeof one element (else ENODEV)
 * 1076 pfrio_size    int              elements in; needed count out (GET*)
 * 1080 pfrio_size2   int              SETADDRS feedback room (alias pfrio_naddr, pfrio_setflag)
 * 1084 pfrio_nadd    int              (alias pfrio_exists, pfrio_nzero, pfrio_nmatch, pfrio_clrflag)
 * 1088 pfrio_ndel    int
 * 1092 pfrio_nchange int
 * 1096 pfrio_flags   int              PFR_FLAG_*
 * 1100 pfrio_ticket  u_int32_t
 * </pre>
 */
final class PfiocTableLayout {
    /** pfvar.h: {@code PFR_FLAG_ATOMIC} (ignored by FreeBSD, kept for ABI). */
    static final int PFR_FLAG_ATOMIC = 0x0000_0001;
    /** pfvar.h: {@code PFR_FLAG_DUMMY}, validate and count without changing anything. */
    static final int PFR_FLAG_DUMMY = 0x0000_0002;
    /** pfvar.h: {@code PFR_FLAG_FEEDBACK}, the kernel writes {@code pfra_fback} back. */
    static final int PFR_FLAG_FEEDBACK = 0x0000_0004;
    /** pfvar.h: {@code PFR_FLAG_CLSTATS}. */
    static final int PFR_FLAG_CLSTATS = 0x0000_0008;
    /** pfvar.h: {@code PFR_FLAG_ADDRSTOO}. */
    static final int PFR_FLAG_ADDRSTOO = 0x0000_0010;
    /** pfvar.h: {@code PFR_FLAG_REPLACE}. */
    static final int PFR_FLAG_REPLACE = 0x0000_0020;
    /** pfvar.h: {@code PFR_FLAG_ALLRSETS}, list tables of every anchor. */
    static final int PFR_FLAG_ALLRSETS = 0x0000_0040;
    /** pfvar.h: {@code PFR_FLAG_ALLMASK}. */
    static final int PFR_FLAG_ALLMASK = 0x0000_007F;

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            PfrTableLayout.LAYOUT.withName("pfrio_table"),
            ValueLayout.ADDRESS.withName("pfrio_buffer"),
            ValueLayout.JAVA_INT.withName("pfrio_esize"),
            ValueLayout.JAVA_INT.withName("pfrio_size"),
            ValueLayout.JAVA_INT.withName("pfrio_size2"),
            ValueLayout.JAVA_INT.withName("pfrio_nadd"),
            ValueLayout.JAVA_INT.withName("pfrio_ndel"),
            ValueLayout.JAVA_INT.withName("pfrio_nchange"),
            ValueLayout.JAVA_INT.withName("pfrio_flags"),
            ValueLayout.JAVA_INT.withName("pfrio_ticket"))
            .withName("pfioc_table");

    static final long SIZE = LAYOUT.byteSize();
    static final long PFRIO_TABLE = offset("pfrio_table");
    static final long PFRIO_BUFFER = offset("pfrio_buffer");
    static final long PFRIO_ESIZE = offset("pfrio_esize");
    static final long PFRIO_SIZE = offset("pfrio_size");
    static final long PFRIO_SIZE2 = offset("pfrio_size2");
    static final long PFRIO_NADD = offset("pfrio_nadd");
    static final long PFRIO_NDEL = offset("pfrio_ndel");
    static final long PFRIO_NCHANGE = offset("pfrio_nchange");
    static final long PFRIO_FLAGS = offset("pfrio_flags");
    static final long PFRIO_TICKET = offset("pfrio_ticket");

    private PfiocTableLayout() {
    }

    private static long offset(String field) {
        return LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }
}
