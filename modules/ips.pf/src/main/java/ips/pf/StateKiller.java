package ips.pf;

import ips.api.IpAddress;
import ips.api.IpPrefix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Kills the states a banned source already holds, so an established connection does not outlive
 * its ban ({@code pfctl -k source}). FreeBSD 13 and 14 take {@code DIOCKILLSTATES} with a {@code
 * struct pfioc_state_kill}; FreeBSD 15 dropped it for {@code DIOCKILLSTATESNV} (an nvlist). The
 * first kill probes: if the struct request is unknown (ENODEV from pf's ioctl switch, ENOTTY, or
 * EINVAL), every later kill uses the nvlist request; if that is unknown too, killing is switched
 * off and reported once.
 */
final class StateKiller {
    /** Which request this kernel answers. */
    enum Mode {
        PROBE, STRUCT, NVLIST, UNSUPPORTED
    }

    /** Room for the kernel's {@code {killed: n}} reply (53 bytes) and our request (~800). */
    private static final int NV_BUFFER = 4096;

    private final IoctlDevice device;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment psk = arena.allocate(PfiocStateKillLayout.LAYOUT);
    private final MemorySegment nv = arena.allocate(PfiocNvLayout.LAYOUT);
    private final MemorySegment nvData = arena.allocate(NV_BUFFER, 8);
    private Mode mode = Mode.PROBE;
    private int lastErrno;

    StateKiller(IoctlDevice device) {
        this.device = device;
    }

    Mode mode() {
        return mode;
    }

    /** The errno that made the killer give up, when {@link #mode()} is UNSUPPORTED. */
    int lastErrno() {
        return lastErrno;
    }

    /**
     * Kills the states whose initiator lies in {@code source}.
     *
     * @return the number of states killed, or -1 when the kernel refused (see {@link #lastErrno()})
     */
    long kill(IpPrefix source) {
        if (mode == Mode.PROBE || mode == Mode.STRUCT) {
            PfiocStateKillLayout.encode(psk, source);
            int errno = device.ioctl(PfIoctls.DIOCKILLSTATES, psk);
            if (errno == 0) {
                mode = Mode.STRUCT;
                return psk.get(ValueLayout.JAVA_INT, PfiocStateKillLayout.PSK_KILLED) & 0xFFFF_FFFFL;
            }
            if (mode == Mode.STRUCT || !unknownRequest(errno)) {
                lastErrno = errno;
                return -1;
            }
            mode = Mode.NVLIST;
        }
        if (mode == Mode.NVLIST) {
            long killed = killNv(source);
            if (killed >= 0) {
                return killed;
            }
        }
        return -1;
    }

    private long killNv(IpPrefix source) {
        byte[] request = request(source).pack();
        MemorySegment.copy(request, 0, nvData, ValueLayout.JAVA_BYTE, 0, request.length);
        nv.set(ValueLayout.ADDRESS, PfiocNvLayout.DATA, nvData);
        nv.set(ValueLayout.JAVA_LONG, PfiocNvLayout.LEN, request.length);
        nv.set(ValueLayout.JAVA_LONG, PfiocNvLayout.SIZE_FIELD, NV_BUFFER);
        int errno = device.ioctl(PfIoctls.DIOCKILLSTATESNV, nv);
        if (errno != 0) {
            lastErrno = errno;
            if (unknownRequest(errno)) {
                mode = Mode.UNSUPPORTED;
            }
            return -1;
        }
        long len = nv.get(ValueLayout.JAVA_LONG, PfiocNvLayout.LEN);
        if (len <= 0 || len > NV_BUFFER) {
            return 0;
        }
        try {
            return Nvlist.unpack(nvData.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE)).number("killed", 0);
        } catch (IllegalArgumentException e) {
            return 0; // the kill happened; only the count is unreadable
        }
    }

    private static boolean unknownRequest(int errno) {
        return errno == Errno.ENODEV || errno == Errno.ENOTTY || errno == Errno.EINVAL;
    }

    /**
     * The {@code pf_kill} nvlist that {@code pf_nvstate_kill_to_kstate_kill()} (sys/netpfil/pf/pf_nv.c)
     * requires: cmp{id, creatorid, direction}, af, proto, src, dst (each a pf_rule_addr: addr{type,
     * iflags, addr{addr}, mask{addr}}, port[2], neg, port_op), ifname, label, kill_match.
     */
    static Nvlist request(IpPrefix source) {
        IpAddress a = source.address();
        MemorySegment buf = MemorySegment.ofArray(new byte[32]);
        PfiocStateKillLayout.writeAddr(buf, 0, a);
        PfiocStateKillLayout.writeMask(buf, 16, source);
        byte[] addr = buf.asSlice(0, 16).toArray(ValueLayout.JAVA_BYTE);
        byte[] mask = buf.asSlice(16, 16).toArray(ValueLayout.JAVA_BYTE);
        return new Nvlist()
                .addNvlist("cmp", new Nvlist().addNumber("id", 0).addNumber("creatorid", 0).addNumber("direction", 0))
                .addNumber("af", a.isIpv4() ? PfrAddrLayout.AF_INET : PfrAddrLayout.AF_INET6)
                .addNumber("proto", 0)
                .addNvlist("src", ruleAddr(addr, mask))
                .addNvlist("dst", ruleAddr(new byte[16], new byte[16]))
                .addString("ifname", "")
                .addString("label", "")
                .addBool("kill_match", false);
    }

    private static Nvlist ruleAddr(byte[] addr, byte[] mask) {
        Nvlist wrap = new Nvlist()
                .addNumber("type", PfiocStateKillLayout.PF_ADDR_ADDRMASK)
                .addNumber("iflags", 0)
                .addNvlist("addr", new Nvlist().addBinary("addr", addr))
                .addNvlist("mask", new Nvlist().addBinary("addr", mask));
        return new Nvlist()
                .addNvlist("addr", wrap)
                .addNumberArray("port", 0, 0)
                .addNumber("neg", 0)
                .addNumber("port_op", 0);
    }
}
