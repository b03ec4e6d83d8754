package ips.pf;

import java.lang.foreign.MemoryLayout;

/**
 * FreeBSD's ioctl request encoding, from {@code sys/sys/ioccom.h}:
 *
 * <pre>
 *  31 29 28                16 15            8 7             0
 * +-----+--------------------+---------------+---------------+
 * |inout| parameter length   |     group     |    number     |
 * +-----+--------------------+---------------+---------------+
 * </pre>
 *
 * The request is an {@code unsigned long}; Java keeps it in a {@code long} without sign extension
 * (the kernel warns about sign-extended requests and masks them).
 */
final class Ioccom {
    /** ioccom.h: {@code IOCPARM_SHIFT}, bits of the parameter length. */
    static final int IOCPARM_SHIFT = 13;
    /** ioccom.h: {@code IOCPARM_MASK ((1 << IOCPARM_SHIFT) - 1)}. */
    static final long IOCPARM_MASK = (1L << IOCPARM_SHIFT) - 1;
    /** ioccom.h: {@code IOC_VOID 0x20000000UL}, no parameters. */
    static final long IOC_VOID = 0x2000_0000L;
    /** ioccom.h: {@code IOC_OUT 0x40000000UL}, copy parameters out. */
    static final long IOC_OUT = 0x4000_0000L;
    /** ioccom.h: {@code IOC_IN 0x80000000UL}, copy parameters in. */
    static final long IOC_IN = 0x8000_0000L;
    /** ioccom.h: {@code IOC_INOUT (IOC_IN|IOC_OUT)}. */
    static final long IOC_INOUT = IOC_IN | IOC_OUT;

    private Ioccom() {
    }

    /** ioccom.h: {@code _IOC(inout, group, num, len)}. */
    static long ioc(long inout, char group, int num, long len) {
        return inout | ((len & IOCPARM_MASK) << 16) | ((long) group << 8) | num;
    }

    /** ioccom.h: {@code _IOWR(g, n, t)} with {@code sizeof(t)} taken from the layout. */
    static long iowr(char group, int num, MemoryLayout type) {
        if (type.byteSize() > IOCPARM_MASK) {
            throw new IllegalArgumentException(type + " is " + type.byteSize() + " bytes, more than an ioctl parameter holds");
        }
        return ioc(IOC_INOUT, group, num, type.byteSize());
    }
}
