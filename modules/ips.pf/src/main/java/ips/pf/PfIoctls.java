package ips.pf;

/**
 * The {@code /dev/pf} requests Portcullis uses, derived from the layouts exactly as
 * {@code sys/net/pfvar.h} derives them with {@code _IOWR('D', n, type)}.
 */
final class PfIoctls {
    /** pfvar.h: {@code DIOCKILLSTATES _IOWR('D', 41, struct pfioc_state_kill)}; gone in FreeBSD 15. */
    static final long DIOCKILLSTATES = Ioccom.iowr('D', 41, PfiocStateKillLayout.LAYOUT);
    /** pfvar.h: {@code DIOCKILLSTATESNV _IOWR('D', 41, struct pfioc_nv)}; FreeBSD 13.1 and later. */
    static final long DIOCKILLSTATESNV = Ioccom.iowr('D', 41, PfiocNvLayout.LAYOUT);
    /** pfvar.h: {@code DIOCRADDTABLES _IOWR('D', 61, struct pfioc_table)}. */
    static final long DIOCRADDTABLES = Ioccom.iowr('D', 61, PfiocTableLayout.LAYOUT);
    /** pfvar.h: {@code DIOCRDELTABLES _IOWR('D', 62, struct pfioc_table)}. */
    static final long DIOCRDELTABLES = Ioccom.iowr('D', 62, PfiocTableLayout.LAYOUT);
    /** pfvar.h: {@code DIOCRGETTABLES _IOWR('D', 63, struct pfioc_table)}. */
    static final long DIOCRGETTABLES = Ioccom.iowr('D', 63, PfiocTableLayout.LAYOUT);
    /** pfvar.h: {@code DIOCRCLRADDRS _IOWR('D', 66, struct pfioc_table)}. */
    static final long DIOCRCLRADDRS = Ioccom.iowr('D', 66, PfiocTableLayout.LAYOUT);
    /** pfvar.h: {@code DIOCRADDADDRS _IOWR('D', 67, struct pfioc_table)}. */
    static final long DIOCRADDADDRS = Ioccom.iowr('D', 67, PfiocTableLayout.LAYOUT);
    /** pfvar.h: {@code DIOCRDELADDRS _IOWR('D', 68, struct pfioc_table)}. */
    static final long DIOCRDELADDRS = Ioccom.iowr('D', 68, PfiocTableLayout.LAYOUT);
    /** pfvar.h: {@code DIOCRSETADDRS _IOWR('D', 69, struct pfioc_table)}. */
    static final long DIOCRSETADDRS = Ioccom.iowr('D', 69, PfiocTableLayout.LAYOUT);
    /** pfvar.h: {@code DIOCRGETADDRS _IOWR('D', 70, struct pfioc_table)}. */
    static final long DIOCRGETADDRS = Ioccom.iowr('D', 70, PfiocTableLayout.LAYOUT);

    /**
     * pf_ioctl.c: {@code pf_ioctl_maxcount}, sysctl {@code net.pf.request_maxcount} (default 65535):
     * a table request with more elements is EINVAL, so requests are split at this size.
     */
    static final int DEFAULT_REQUEST_MAXCOUNT = 65535;

    private PfIoctls() {
    }

    static String name(long request) {
        if (request == DIOCKILLSTATES) {
            return "DIOCKILLSTATES";
        } else if (request == DIOCKILLSTATESNV) {
            return "DIOCKILLSTATESNV";
        } else if (request == DIOCRADDTABLES) {
            return "DIOCRADDTABLES";
        } else if (request == DIOCRDELTABLES) {
            return "DIOCRDELTABLES";
        } else if (request == DIOCRGETTABLES) {
            return "DIOCRGETTABLES";
        } else if (request == DIOCRCLRADDRS) {
            return "DIOCRCLRADDRS";
        } else if (request == DIOCRADDADDRS) {
            return "DIOCRADDADDRS";
        } else if (request == DIOCRDELADDRS) {
            return "DIOCRDELADDRS";
        } else if (request == DIOCRSETADDRS) {
            return "DIOCRSETADDRS";
        } else if (request == DIOCRGETADDRS) {
            return "DIOCRGETADDRS";
        }
        return "ioctl 0x" + Long.toHexString(request);
    }
}
