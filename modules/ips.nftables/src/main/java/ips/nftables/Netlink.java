package ips.nftables;

import ips.api.EnforcerException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The module's one native class: a {@code NETLINK_NETFILTER} socket (socket, bind, setsockopt,
 * send, recv, close) with {@code errno} captured on every call, and the lazily backed pages its
 * buffers live in ({@link #lazyPages}). Every failure becomes an {@link
 * EnforcerException} naming the call and the errno. A receive never blocks longer than the
 * receive timeout. The socket belongs to the network namespace of the thread that opened it.
 *
 * <p>On x86_64 and aarch64 the six calls go through one native link, glibc's variadic {@code
 * syscall(2)} with the kernel's call numbers, instead of six links of their own: each link of a
 * new signature generates classes at run time that the AOT cache cannot hold, and the firewall's
 * linking was what the daemon waited for before READY=1 (in a plain JVM: 70-84 ms for the one
 * link against 104-128 ms for the six; in the image, READY=1 316 -> 293 ms, median of 5 batches
 * of 4 runs alternated). Elsewhere the libc functions are linked as before.
 */
final class Netlink implements AutoCloseable {
    static final int AF_NETLINK = 16; // sys/socket.h
    static final int SOCK_RAW = 3; // sys/socket.h
    static final int SOCK_CLOEXEC = 0x80000; // bits/socket_type.h
    static final int NETLINK_NETFILTER = 12; // linux/netlink.h
    static final int SOL_SOCKET = 1; // asm-generic/socket.h
    static final int SO_SNDBUF = 7; // asm-generic/socket.h
    static final int SO_RCVBUF = 8; // asm-generic/socket.h
    static final int SO_RCVTIMEO = 20; // asm-generic/socket.h (struct timeval, 64-bit)
    static final int SO_SNDTIMEO = 21; // asm-generic/socket.h
    static final int SO_SNDBUFFORCE = 32; // asm-generic/socket.h: needs CAP_NET_ADMIN
    static final int SO_RCVBUFFORCE = 33; // asm-generic/socket.h: needs CAP_NET_ADMIN
    static final int SOL_NETLINK = 270; // linux/socket.h
    static final int NETLINK_CAP_ACK = 10; // linux/netlink.h: errors echo only the header
    static final int NETLINK_EXT_ACK = 11; // linux/netlink.h: errors carry a message
    static final int MSG_DONTWAIT = 0x40; // bits/socket.h
    static final int MSG_TRUNC = 0x20; // bits/socket.h

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(StructLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /**
     * The kernel's numbers of the six calls (and getpid, mmap and munmap), where we know them;
     * null: link the libc functions. SyscallNumbersTest checks both tables against the kernel's
     * headers.
     */
    record CallNumbers(long socket, long bind, long setsockopt, long sendto, long recvfrom, long close,
            long getpid, long mmap, long munmap) {
        static CallNumbers of(String arch) {
            return switch (arch) {
                case "amd64", "x86_64" -> new CallNumbers(41, 49, 54, 44, 45, 3, 39, 9, 11); // asm/unistd_64.h
                case "aarch64" -> new CallNumbers(198, 200, 208, 206, 207, 57, 172, 222, 215); // asm-generic/unistd.h
                default -> null;
            };
        }
    }

    // mmap(2) arguments (asm-generic/mman-common.h: the values of x86_64 and aarch64)
    static final long PROT_READ = 0x1;
    static final long PROT_WRITE = 0x2;
    static final long MAP_PRIVATE = 0x02;
    static final long MAP_ANONYMOUS = 0x20;

    /** -Dportcullis.netlink.libc=true links the libc functions everywhere (the tests run both ways). */
    private static final CallNumbers NR = Boolean.getBoolean("portcullis.netlink.libc") ? null
            : CallNumbers.of(System.getProperty("os.arch", ""));
    /** long syscall(long number, ...): six long arguments, unused ones 0. */
    private static final MethodHandle SYSCALL = NR == null ? null : link("syscall",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    /** int socket(int domain, int type, int protocol) */
    private static final MethodHandle SOCKET = NR != null ? null : link("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    /** int bind(int fd, const struct sockaddr *addr, socklen_t len) */
    private static final MethodHandle BIND = NR != null ? null : link("bind",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    /** int setsockopt(int fd, int level, int name, const void *value, socklen_t len) */
    private static final MethodHandle SETSOCKOPT = NR != null ? null : link("setsockopt",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    /** ssize_t send(int fd, const void *buf, size_t len, int flags) */
    private static final MethodHandle SEND = NR != null ? null : link("send",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT));
    /** ssize_t recv(int fd, void *buf, size_t len, int flags) */
    private static final MethodHandle RECV = NR != null ? null : link("recv",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT));
    /** int close(int fd) */
    private static final MethodHandle CLOSE = NR != null ? null : link("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** struct sockaddr_nl (linux/netlink.h): family u16, pad u16, pid u32, groups u32. */
    private static final long SOCKADDR_NL_SIZE = 12;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment errnoState = arena.allocate(CAPTURE);
    private final MemorySegment scratch = arena.allocate(16, 8);
    private int fd;
    private boolean largeBuffers;

    /** java.lang.invoke specialises a method handle after this many calls through it (MethodHandleStatics). */
    private static final int CUSTOMIZE_AFTER = 127;

    /**
     * Calls getpid(2) through the syscall handle until java.lang.invoke has specialised the handle
     * (after {@value #CUSTOMIZE_AFTER} calls it generates classes for it, a few milliseconds on the
     * calling thread): done once after start, that work no longer lands in a commit ~2 s later,
     * when the sends and receives of the first bans and checks reach the count. Touches no socket;
     * its own errno space, so any thread may call it. The libc path (other architectures) has a
     * handle per call and is left as it is.
     */
    static void prepareCalls() {
        if (NR == null) {
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = a.allocate(CAPTURE);
            for (int i = 0; i <= CUSTOMIZE_AFTER; i++) {
                long pid = (long) SYSCALL.invokeExact(errno, NR.getpid(), 0L, 0L, 0L, 0L, 0L, 0L);
                if (pid <= 0) {
                    return;
                }
            }
        } catch (Throwable t) {
            // only an optimisation: the first commits then do this work
        }
    }

    /**
     * {@code bytes} of native memory, zero like {@link Arena#allocate}, whose pages the kernel only
     * provides when they are first written (a private anonymous mmap(2)), and unmapped when {@code
     * arena} closes. The batch and reply buffers are sized for the largest batch (1 MB and 256 KB)
     * while most batches use a few KB: allocated by the arena, which writes zeros over all of it,
     * the whole 1.3 MB stayed resident for the daemon's life. Where syscall(2) is not used (other
     * architectures), or if the mapping fails, the arena allocates.
     */
    @SuppressWarnings("restricted") // the module is granted --enable-native-access
    static MemorySegment lazyPages(Arena arena, long bytes) {
        if (NR != null) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment errno = a.allocate(CAPTURE);
                long address = (long) SYSCALL.invokeExact(errno, NR.mmap(), 0L, bytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1L, 0L);
                if (address != -1 && address != 0) {
                    return MemorySegment.ofAddress(address).reinterpret(bytes, arena, s -> unmap(s.address(), bytes));
                }
            } catch (Throwable t) {
                // fall through to the arena
            }
        }
        return arena.allocate(bytes, 8);
    }

    private static void unmap(long address, long bytes) {
        try (Arena a = Arena.ofConfined()) {
            long ignored = (long) SYSCALL.invokeExact(a.allocate(CAPTURE), NR.munmap(), address, bytes, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            // the pages stay mapped: nothing else can be done at close
        }
    }

    @SuppressWarnings("restricted") // the module is granted --enable-native-access
    private static MethodHandle link(String name, FunctionDescriptor fd, Linker.Option... more) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
        Linker.Option[] options = java.util.Arrays.copyOf(more, more.length + 1);
        options[more.length] = CAPTURE_ERRNO;
        return LINKER.downcallHandle(symbol, fd, options);
    }

    // ---- the six calls, through syscall(2) or the libc functions; -1 and errno on failure ----

    private int socket(int domain, int type, int protocol) throws Throwable {
        return NR != null
                ? (int) (long) SYSCALL.invokeExact(errnoState, NR.socket(), (long) domain, (long) type, (long) protocol, 0L, 0L, 0L)
                : (int) SOCKET.invokeExact(errnoState, domain, type, protocol);
    }

    private int bind(MemorySegment address, int length) throws Throwable {
        return NR != null
                ? (int) (long) SYSCALL.invokeExact(errnoState, NR.bind(), (long) fd, address.address(), (long) length, 0L, 0L, 0L)
                : (int) BIND.invokeExact(errnoState, fd, address, length);
    }

    private int setsockopt(int level, int name, MemorySegment value, int length) throws Throwable {
        return NR != null
                ? (int) (long) SYSCALL.invokeExact(errnoState, NR.setsockopt(), (long) fd, (long) level, (long) name,
                        value.address(), (long) length, 0L)
                : (int) SETSOCKOPT.invokeExact(errnoState, fd, level, name, value, length);
    }

    private long sendCall(MemorySegment buffer, long length, int flags) throws Throwable {
        return NR != null
                ? (long) SYSCALL.invokeExact(errnoState, NR.sendto(), (long) fd, buffer.address(), length, (long) flags, 0L, 0L)
                : (long) SEND.invokeExact(errnoState, fd, buffer, length, flags);
    }

    private long recvCall(MemorySegment buffer, long length, int flags) throws Throwable {
        return NR != null
                ? (long) SYSCALL.invokeExact(errnoState, NR.recvfrom(), (long) fd, buffer.address(), length, (long) flags, 0L, 0L)
                : (long) RECV.invokeExact(errnoState, fd, buffer, length, flags);
    }

    private int closeCall() throws Throwable {
        return NR != null
                ? (int) (long) SYSCALL.invokeExact(errnoState, NR.close(), (long) fd, 0L, 0L, 0L, 0L, 0L)
                : (int) CLOSE.invokeExact(errnoState, fd);
    }

    private Netlink(int fd) {
        this.fd = fd;
    }

    /**
     * Opens and binds a netfilter netlink socket in the calling thread's network namespace, with
     * extended and capped acks and the given receive timeout.
     */
    static Netlink open(int bufferBytes, long receiveTimeoutMillis) throws EnforcerException {
        Netlink n = new Netlink(-1);
        try {
            n.fd = n.checked("socket(AF_NETLINK, NETLINK_NETFILTER)",
                    n.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER));
            MemorySegment sa = n.scratch;
            sa.fill((byte) 0);
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
            n.checked("bind(netlink)", n.bind(sa, (int) SOCKADDR_NL_SIZE));
            n.setInt(SOL_NETLINK, NETLINK_CAP_ACK, 1, "setsockopt(NETLINK_CAP_ACK)");
            n.setInt(SOL_NETLINK, NETLINK_EXT_ACK, 1, "setsockopt(NETLINK_EXT_ACK)");
            // Larger buffers when we may (CAP_NET_ADMIN); otherwise the capped ones, silently.
            n.largeBuffers = n.trySetInt(SOL_SOCKET, SO_SNDBUFFORCE, bufferBytes);
            if (!n.largeBuffers) {
                n.trySetInt(SOL_SOCKET, SO_SNDBUF, bufferBytes);
            }
            if (!n.trySetInt(SOL_SOCKET, SO_RCVBUFFORCE, bufferBytes)) {
                n.trySetInt(SOL_SOCKET, SO_RCVBUF, bufferBytes);
            }
            n.setTimeval(SO_RCVTIMEO, receiveTimeoutMillis, "setsockopt(SO_RCVTIMEO)");
            n.setTimeval(SO_SNDTIMEO, receiveTimeoutMillis, "setsockopt(SO_SNDTIMEO)");
            return n;
        } catch (EnforcerException e) {
            n.close();
            throw e;
        } catch (Throwable t) {
            n.close();
            throw new EnforcerException("open netlink socket", t.toString(), t);
        }
    }

    private int checked(String call, int rc) throws EnforcerException {
        if (rc < 0) {
            int errno = lastErrno();
            throw new EnforcerException(call, errno, Errno.describe(errno));
        }
        return rc;
    }

    private int lastErrno() {
        return (int) ERRNO.get(errnoState, 0L);
    }

    private void setInt(int level, int name, int value, String call) throws Throwable {
        scratch.set(ValueLayout.JAVA_INT, 0, value);
        checked(call, setsockopt(level, name, scratch, 4));
    }

    private boolean trySetInt(int level, int name, int value) throws Throwable {
        scratch.set(ValueLayout.JAVA_INT, 0, value);
        return setsockopt(level, name, scratch, 4) == 0;
    }

    private void setTimeval(int name, long millis, String call) throws Throwable {
        scratch.set(ValueLayout.JAVA_LONG, 0, millis / 1000); // tv_sec
        scratch.set(ValueLayout.JAVA_LONG, 8, (millis % 1000) * 1000); // tv_usec
        checked(call, setsockopt(SOL_SOCKET, name, scratch, 16));
    }

    /** True when the socket buffers could be raised past the system maximum (CAP_NET_ADMIN). */
    boolean largeBuffers() {
        return largeBuffers;
    }

    /** Sends {@code length} bytes of {@code buffer} as one datagram. */
    void send(MemorySegment buffer, long length, String operation) throws EnforcerException {
        while (true) {
            long n;
            try {
                n = sendCall(buffer, length, 0);
            } catch (Throwable t) {
                throw new EnforcerException(operation, t.toString(), t);
            }
            if (n >= 0) {
                if (n != length) {
                    throw new EnforcerException(operation, 0, "short netlink send: " + n + " of " + length + " bytes");
                }
                return;
            }
            int errno = lastErrno();
            if (errno != Errno.EINTR) {
                throw new EnforcerException(operation, errno, "send: " + Errno.describe(errno));
            }
        }
    }

    /**
     * Receives one datagram into {@code buffer}; returns its length, or -1 when {@code dontWait}
     * and nothing is queued. A blocking receive that times out throws.
     */
    long receive(MemorySegment buffer, boolean dontWait, String operation) throws EnforcerException {
        while (true) {
            long n;
            try {
                n = recvCall(buffer, buffer.byteSize(), (dontWait ? MSG_DONTWAIT : 0) | MSG_TRUNC);
            } catch (Throwable t) {
                throw new EnforcerException(operation, t.toString(), t);
            }
            if (n >= 0) {
                if (n > buffer.byteSize()) {
                    throw new EnforcerException(operation, 0, "netlink reply of " + n + " bytes exceeds the "
                            + buffer.byteSize() + "-byte receive buffer");
                }
                return n;
            }
            int errno = lastErrno();
            if (errno == Errno.EINTR) {
                continue;
            }
            if (errno == Errno.EAGAIN) {
                if (dontWait) {
                    return -1;
                }
                throw new EnforcerException(operation, errno, "no reply from the kernel within the receive timeout");
            }
            throw new EnforcerException(operation, errno, "recv: " + Errno.describe(errno));
        }
    }

    /** Closes the socket and frees the native scratch memory; closing twice is harmless. */
    @Override
    public void close() {
        if (!arena.scope().isAlive()) {
            return;
        }
        if (fd >= 0) {
            try {
                int ignored = closeCall();
            } catch (Throwable ignored) {
                // nothing left to do with a socket that will not close
            }
            fd = -1;
        }
        arena.close();
    }
}
