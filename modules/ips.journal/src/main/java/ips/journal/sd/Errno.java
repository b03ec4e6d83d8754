package ips.journal.sd;

/** Names for the errno values libsystemd returns negated (asm-generic/errno-base.h, errno.h). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOBUFS = 105;
    public static final int ECONNREFUSED = 111;
    public static final int EBADMSG = 74;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENODATA = 61;
    public static final int E2BIG = 7;

    private Errno() {}

    /** {@code "EACCES (13)"} and a hint where one helps. */
    public static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (1): operation not permitted";
            case ENOENT -> "ENOENT (2): no such file or directory";
            case EIO -> "EIO (5)";
            case EBADF -> "EBADF (9)";
            case ECHILD -> "ECHILD (10): journal handle used after fork";
            case EAGAIN -> "EAGAIN (11)";
            case ENOMEM -> "ENOMEM (12)";
            case EACCES -> "EACCES (13): permission denied (reading the journal needs root or group systemd-journal/adm)";
            case EINVAL -> "EINVAL (22): invalid argument";
            case ENFILE, EMFILE -> "EMFILE (" + errno + "): too many open files";
            case ENOSPC -> "ENOSPC (28)";
            case ENAMETOOLONG -> "ENAMETOOLONG (36)";
            case ENODATA -> "ENODATA (61)";
            case EBADMSG -> "EBADMSG (74): corrupt journal data";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL (99)";
            case ENOBUFS -> "ENOBUFS (105)";
            case ECONNREFUSED -> "ECONNREFUSED (111): nothing listens on the socket";
            case E2BIG -> "E2BIG (7)";
            default -> "errno " + errno;
        };
    }
}
