package ips.pf;

/**
 * The errno values {@code /dev/pf} answers with, numbered as in FreeBSD's {@code sys/sys/errno.h}
 * (the ones below 35 are the same on Linux, where the device plumbing is tested), and what each
 * means for a PF table request.
 */
final class Errno {
    /** errno.h: operation not permitted (table is {@code const}, or securelevel). */
    static final int EPERM = 1;
    /** errno.h: no such file or directory. */
    static final int ENOENT = 2;
    /** errno.h: no such process; pf: the table does not exist or is not active. */
    static final int ESRCH = 3;
    /** errno.h: interrupted system call. */
    static final int EINTR = 4;
    /** errno.h: bad file descriptor. */
    static final int EBADF = 9;
    /** errno.h: cannot allocate memory; pf: table-entry limit reached. */
    static final int ENOMEM = 12;
    /** errno.h: permission denied; pf: /dev/pf opened read-only. */
    static final int EACCES = 13;
    /** errno.h: bad address. */
    static final int EFAULT = 14;
    /** errno.h: device busy. */
    static final int EBUSY = 16;
    /** errno.h: file exists. */
    static final int EEXIST = 17;
    /** errno.h: operation not supported by device; pf: unknown request or wrong element size. */
    static final int ENODEV = 19;
    /** errno.h: invalid argument; pf: an element fails validation. */
    static final int EINVAL = 22;
    /** errno.h: inappropriate ioctl for device. */
    static final int ENOTTY = 25;
    /** errno.h: no space left on device; pf nvlist ioctls: reply buffer too small. */
    static final int ENOSPC = 28;

    private Errno() {
    }

    /** The errno's name and what it means to pf, for exception messages. */
    static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (operation not permitted: the table is const, or securelevel forbids it)";
            case ENOENT -> "ENOENT (no such file or directory)";
            case ESRCH -> "ESRCH (no such table, or the table is not active)";
            case EINTR -> "EINTR (interrupted)";
            case EBADF -> "EBADF (bad file descriptor)";
            case ENOMEM -> "ENOMEM (out of memory or table-entry limit reached: raise 'set limit table-entries')";
            case EACCES -> "EACCES (permission denied: /dev/pf needs root and write access)";
            case EFAULT -> "EFAULT (bad address)";
            case EBUSY -> "EBUSY (device busy)";
            case EEXIST -> "EEXIST (already exists)";
            case ENODEV -> "ENODEV (request or element size not supported by this kernel)";
            case EINVAL -> "EINVAL (invalid argument: an element or count was rejected)";
            case ENOTTY -> "ENOTTY (inappropriate ioctl for this device)";
            case ENOSPC -> "ENOSPC (reply buffer too small)";
            default -> "errno " + errno;
        };
    }
}
