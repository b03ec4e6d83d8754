package ips.journal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * A connectionless {@code AF_UNIX} datagram socket that sends to one address, through libc (the JDK's
 * {@code DatagramChannel} has no Unix-domain support). An address starting with {@code @} is in the
 * abstract namespace (Linux).
 */
final class UnixDatagram implements AutoCloseable {

    // sys/socket.h, bits/socket_type.h
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000; // 02000000
    private static final int MSG_NOSIGNAL = 0x4000;
    // sys/un.h: struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }
    private static final long SUN_PATH_OFFSET = 2;
    private static final int SUN_PATH_SIZE = 108;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** Linked on first use: a process without NOTIFY_SOCKET never touches libc through here. */
    private static final class Libc {
        // int socket(int domain, int type, int protocol)
        static final MethodHandle SOCKET = LINKER.downcallHandle(LINKER.defaultLookup().find("socket").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
        // ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t addrlen)
        static final MethodHandle SENDTO = LINKER.downcallHandle(LINKER.defaultLookup().find("sendto").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
        // pid_t getpid(void)
        static final MethodHandle GETPID = LINKER.downcallHandle(LINKER.defaultLookup().find("getpid").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT));
        // int close(int fd)
        static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** This process's id (production code may not use ProcessHandle). */
    static long getpid() {
        try {
            return (int) Libc.GETPID.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment address;
    private final int addressLength;
    private final MemorySegment errno = arena.allocate(CAPTURE);
    private final int fd;
    private final String target;

    UnixDatagram(String target) throws IOException {
        this.target = target;
        byte[] path = target.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.length > 0 && path[0] == '@';
        if (path.length == 0 || !abstractName && path[0] != '/') {
            arena.close();
            throw new IOException("NOTIFY_SOCKET '" + target + "' is neither an absolute path nor @abstract");
        }
        // a path needs its NUL inside sun_path; an abstract name is its bytes after a leading NUL
        if (path.length + (abstractName ? 0 : 1) > SUN_PATH_SIZE) {
            arena.close();
            throw new IOException("NOTIFY_SOCKET '" + target + "' is longer than sun_path (108 bytes)");
        }
        address = arena.allocate(SUN_PATH_OFFSET + SUN_PATH_SIZE, 2);
        address.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(path, 0, address, JAVA_BYTE, SUN_PATH_OFFSET, path.length);
        if (abstractName) {
            address.set(JAVA_BYTE, SUN_PATH_OFFSET, (byte) 0);
            addressLength = (int) SUN_PATH_OFFSET + path.length;
        } else {
            addressLength = (int) SUN_PATH_OFFSET + path.length + 1;
        }
        int s;
        try {
            s = (int) Libc.SOCKET.invokeExact(errno, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (Throwable t) {
            arena.close();
            throw new AssertionError(t);
        }
        if (s < 0) {
            int e = (int) ERRNO.get(errno, 0L);
            arena.close();
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed: errno " + e);
        }
        fd = s;
    }

    /** Sends one datagram; an error names the errno (ECONNREFUSED: nobody listens, ENOENT: no such socket). */
    synchronized void send(byte[] message) throws IOException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment buf = call.allocate(Math.max(1, message.length));
            MemorySegment.copy(message, 0, buf, JAVA_BYTE, 0, message.length);
            long n = (long) Libc.SENDTO.invokeExact(errno, fd, buf, (long) message.length, MSG_NOSIGNAL, address, addressLength);
            if (n < 0) {
                int e = (int) ERRNO.get(errno, 0L);
                throw new IOException("sendto(" + target + ") failed: errno " + e + errnoName(e));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static String errnoName(int e) {
        return switch (e) {
            case 2 -> " (ENOENT: no such socket)";
            case 13 -> " (EACCES)";
            case 111 -> " (ECONNREFUSED: nobody listens)";
            case 11 -> " (EAGAIN: receiver's queue is full)";
            default -> "";
        };
    }

    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            try {
                int ignored = (int) Libc.CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                throw new AssertionError(t);
            } finally {
                arena.close();
            }
        }
    }
}
