package ips.pf;

import java.lang.foreign.MemorySegment;

/**
 * A device that answers {@code ioctl(2)} requests: {@code /dev/pf} in production ({@link
 * PfDevice}), a fake kernel in tests. Expected failures are return values, as the kernel gives
 * them.
 */
interface IoctlDevice extends AutoCloseable {

    /**
     * Issues {@code request} with {@code argument} (the kernel reads and writes it in place).
     *
     * @return 0 on success, else the positive errno
     */
    int ioctl(long request, MemorySegment argument);

    @Override
    void close();
}
