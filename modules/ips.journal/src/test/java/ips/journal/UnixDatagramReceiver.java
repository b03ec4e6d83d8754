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
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/** Test side of sd_notify: a bound AF_UNIX datagram socket (path or @abstract) that receives with a timeout. */
final class UnixDatagramReceiver implements AutoCloseable {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final Arena arena = Arena.ofConfined();
    private final int fd;
    private final MemorySegment buffer = arena.allocate(4096);

    UnixDatagramReceiver(String name) throws Throwable {
        fd = (int) SOCKET.invokeExact(1 /* AF_UNIX */, 2 /* SOCK_DGRAM */, 0);
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        MemorySegment addr = arena.allocate(110);
        addr.set(JAVA_SHORT, 0, (short) 1);
        MemorySegment.copy(path, 0, addr, JAVA_BYTE, 2, path.length);
        boolean abstractName = path[0] == '@';
        if (abstractName) {
            addr.set(JAVA_BYTE, 2, (byte) 0);
        }
        int length = 2 + path.length + (abstractName ? 0 : 1);
        if ((int) BIND.invokeExact(fd, addr, length) != 0) {
            throw new IOException("bind " + name);
        }
        MemorySegment timeout = arena.allocate(16); // struct timeval: 2 s
        timeout.set(JAVA_LONG, 0, 2L);
        if ((int) SETSOCKOPT.invokeExact(fd, 1 /* SOL_SOCKET */, 20 /* SO_RCVTIMEO */, timeout, 16) != 0) {
            throw new IOException("setsockopt");
        }
    }

    /** The next datagram, or {@code null} after 2 s without one. */
    String receive() throws Throwable {
        long n = (long) RECV.invokeExact(fd, buffer, buffer.byteSize(), 0);
        return n < 0 ? null : new String(buffer.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new Exception(t);
        }
        arena.close();
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }
}
