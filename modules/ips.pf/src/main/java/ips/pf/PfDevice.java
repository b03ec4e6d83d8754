package ips.pf;

import ips.api.EnforcerException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one native class of {@code ips.pf}: {@code open(2)}, {@code ioctl(2)} and {@code close(2)}
 * through the FFM linker, with {@code errno} captured right after each call.
 */
final class PfDevice implements IoctlDevice {
    /** The device PF listens on. */
    static final String DEV_PF = "/dev/pf";

    /** fcntl.h: {@code O_RDWR}, the same on FreeBSD and Linux. */
    static final int O_RDWR = 0x0002;
    /** FreeBSD fcntl.h: {@code O_CLOEXEC 0x00100000}. */
    static final int O_CLOEXEC_FREEBSD = 0x0010_0000;
    /** Linux asm-generic/fcntl.h: {@code O_CLOEXEC 02000000} (octal). */
    static final int O_CLOEXEC_LINUX = 0x0008_0000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    /** {@code int open(const char *path, int flags, ...)}: the mode is passed as the variadic int. */
    private static final class Open {
        static final MethodHandle HANDLE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    }

    /** {@code int ioctl(int fd, unsigned long request, ...)}: the argument pointer is variadic. */
    private static final class Ioctl {
        static final MethodHandle HANDLE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("ioctl").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    }

    /** {@code int close(int fd)}. */
    private static final class Close {
        static final MethodHandle HANDLE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /** pf_ioctl.c: sysctl {@code net.pf.request_maxcount}, the most elements one table request may carry. */
    static final String REQUEST_MAXCOUNT_SYSCTL = "net.pf.request_maxcount";

    /**
     * Reads an unsigned-int sysctl with {@code int sysctlbyname(const char *name, void *oldp,
     * size_t *oldlenp, const void *newp, size_t newlen)}; returns {@code dflt} where the function
     * or the name does not exist (Linux, pf not loaded).
     */
    static int sysctlUint(String name, int dflt) {
        var symbol = LINKER.defaultLookup().find("sysctlbyname");
        if (symbol.isEmpty()) {
            return dflt;
        }
        MethodHandle h = LINKER.downcallHandle(symbol.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment value = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment len = a.allocate(ValueLayout.JAVA_LONG);
            len.set(ValueLayout.JAVA_LONG, 0, 4);
            int rc = (int) h.invokeExact(a.allocateFrom(name), value, len, MemorySegment.NULL, 0L);
            if (rc != 0 || len.get(ValueLayout.JAVA_LONG, 0) != 4) {
                return dflt;
            }
            int v = value.get(ValueLayout.JAVA_INT, 0);
            return v > 0 ? v : dflt;
        } catch (Throwable t) {
            return dflt;
        }
    }

    private final String path;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
    private int fd;

    private PfDevice(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens {@code /dev/pf} read-write (table changes need write access). */
    static PfDevice open() throws EnforcerException {
        return open(DEV_PF);
    }

    /** Opens {@code path} read-write, close-on-exec. */
    static PfDevice open(String path) throws EnforcerException {
        boolean freebsd = System.getProperty("os.name", "").startsWith("FreeBSD");
        int flags = O_RDWR | (freebsd ? O_CLOEXEC_FREEBSD : O_CLOEXEC_LINUX);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CAPTURE_LAYOUT);
            int fd = (int) Open.HANDLE.invokeExact(state, a.allocateFrom(path), flags, 0);
            if (fd < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new EnforcerException("open " + path, errno, Errno.describe(errno));
            }
            return new PfDevice(path, fd);
        } catch (EnforcerException e) {
            throw e;
        } catch (Throwable t) {
            throw new EnforcerException("open " + path, "native call failed", t);
        }
    }

    @Override
    public synchronized int ioctl(long request, MemorySegment argument) {
        if (fd < 0) {
            return Errno.EBADF;
        }
        try {
            int rc = (int) Ioctl.HANDLE.invokeExact(capture, fd, request, argument);
            return rc == -1 ? (int) ERRNO.get(capture, 0L) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl on " + path + " failed to run", t);
        }
    }

    @Override
    public synchronized void close() {
        if (fd < 0) {
            return;
        }
        try {
            int ignored = (int) Close.HANDLE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close " + path, t);
        } finally {
            fd = -1;
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "PfDevice[" + path + ", fd " + fd + "]";
    }
}
