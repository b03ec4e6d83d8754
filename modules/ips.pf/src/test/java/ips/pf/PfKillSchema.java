package ips.pf;

import ips.api.IpPrefix;

/**
 * What sys/netpfil/pf/pf_nv.c's {@code pf_nvstate_kill_to_kstate_kill()} requires of a
 * {@code DIOCKILLSTATESNV} request, checked the same way: a missing or mistyped key is EINVAL, a
 * number out of its C type's range ERANGE, a number array of the wrong length E2BIG.
 */
final class PfKillSchema {
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        Refused(int errno, String why) {
            super(why);
            this.errno = errno;
        }
    }

    private PfKillSchema() {
    }

    /** Checks {@code kill} and returns the source prefix it names. */
    static IpPrefix check(Nvlist kill) throws Refused {
        Nvlist cmp = nvlist(kill, "cmp");
        uint(cmp, "id", -1L);
        uint(cmp, "creatorid", 0xFFFF_FFFFL);
        uint(cmp, "direction", 0xFF);
        long af = uint(kill, "af", 0xFF);
        long proto = number(kill, "proto");
        if (proto > Integer.MAX_VALUE || proto < Integer.MIN_VALUE) {
            throw new Refused(FakePfKernel.ERANGE, "proto");
        }
        byte[][] src = ruleAddr(nvlist(kill, "src"));
        ruleAddr(nvlist(kill, "dst"));
        if (kill.find("rt_addr") != null) {
            ruleAddr(nvlist(kill, "rt_addr"));
        }
        string(kill, "ifname", PfiocStateKillLayout.IFNAMSIZ);
        string(kill, "label", PfiocStateKillLayout.PF_RULE_LABEL_SIZE);
        Nvlist.Pair km = kill.find("kill_match");
        if (km == null || km.type() != Nvlist.NV_TYPE_BOOL) {
            throw new Refused(Errno.EINVAL, "kill_match");
        }
        IpPrefix p = FakePfKernel.fromAddrMask((byte) af, src[0], src[1]);
        if (p == null) {
            throw new Refused(Errno.EINVAL, "src is not an address and contiguous mask");
        }
        return p;
    }

    private static byte[][] ruleAddr(Nvlist ra) throws Refused {
        Nvlist wrap = nvlist(ra, "addr");
        long type = uint(wrap, "type", 0xFF);
        uint(wrap, "iflags", 0xFF);
        byte[] addr = binary(nvlist(wrap, "addr"), "addr");
        byte[] mask = binary(nvlist(wrap, "mask"), "addr");
        if (type > 6) {
            throw new Refused(Errno.EINVAL, "addr type " + type);
        }
        Nvlist.Pair port = ra.find("port");
        if (port == null || port.type() != Nvlist.NV_TYPE_NUMBER_ARRAY) {
            throw new Refused(Errno.EINVAL, "port");
        }
        long[] ports = (long[]) port.value();
        if (ports.length != 2) {
            throw new Refused(7 /* E2BIG */, "port count");
        }
        for (long v : ports) {
            if (v < 0 || v > 0xFFFF) {
                throw new Refused(FakePfKernel.ERANGE, "port");
            }
        }
        uint(ra, "neg", 0xFF);
        long op = uint(ra, "port_op", 0xFF);
        if (op > 9) {
            throw new Refused(Errno.EINVAL, "port_op");
        }
        return new byte[][] {pad16(addr), pad16(mask)};
    }

    private static byte[] pad16(byte[] b) {
        return java.util.Arrays.copyOf(b, 16);
    }

    private static Nvlist nvlist(Nvlist n, String name) throws Refused {
        Nvlist c = n.nvlist(name);
        if (c == null) {
            throw new Refused(Errno.EINVAL, "missing nvlist " + name);
        }
        return c;
    }

    private static long number(Nvlist n, String name) throws Refused {
        Nvlist.Pair p = n.find(name);
        if (p == null || p.type() != Nvlist.NV_TYPE_NUMBER) {
            throw new Refused(Errno.EINVAL, "missing number " + name);
        }
        return (Long) p.value();
    }

    private static long uint(Nvlist n, String name, long max) throws Refused {
        long v = number(n, name);
        if (max != -1L && Long.compareUnsigned(v, max) > 0) {
            throw new Refused(FakePfKernel.ERANGE, name + " out of range");
        }
        return v;
    }

    private static byte[] binary(Nvlist n, String name) throws Refused {
        Nvlist.Pair p = n.find(name);
        if (p == null || p.type() != Nvlist.NV_TYPE_BINARY) {
            throw new Refused(Errno.EINVAL, "missing binary " + name);
        }
        byte[] v = (byte[]) p.value();
        if (v.length > 16) {
            throw new Refused(Errno.EINVAL, "binary " + name + " longer than struct pf_addr");
        }
        return v;
    }

    private static void string(Nvlist n, String name, int max) throws Refused {
        Nvlist.Pair p = n.find(name);
        if (p == null || p.type() != Nvlist.NV_TYPE_STRING) {
            throw new Refused(Errno.EINVAL, "missing string " + name);
        }
        if (((String) p.value()).length() >= max) {
            throw new Refused(Errno.EINVAL, "string " + name + " too long");
        }
    }
}
