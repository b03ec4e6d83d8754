package ips.nftables;

/** Linux errno numbers the enforcer meets, with their names (asm-generic/errno-base.h, errno.h). */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int ENOSPC = 28;
    static final int ERANGE = 34;
    static final int ENAMETOOLONG = 36;
    static final int ENOBUFS = 105;
    static final int EMSGSIZE = 90;
    static final int EPROTONOSUPPORT = 93;
    static final int EOPNOTSUPP = 95;
    static final int EAFNOSUPPORT = 97;
    static final int ENOTSUP = EOPNOTSUPP;

    private Errno() {
    }

    /** The symbolic name, such as {@code EPERM}, or {@code errno N}. */
    static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EINVAL -> "EINVAL";
            case ENFILE -> "ENFILE";
            case EMFILE -> "EMFILE";
            case ENOSPC -> "ENOSPC";
            case ERANGE -> "ERANGE";
            case ENAMETOOLONG -> "ENAMETOOLONG";
            case ENOBUFS -> "ENOBUFS";
            case EMSGSIZE -> "EMSGSIZE";
            case EPROTONOSUPPORT -> "EPROTONOSUPPORT";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EAFNOSUPPORT -> "EAFNOSUPPORT";
            default -> "errno " + errno;
        };
    }

    /** The name plus what it usually means here, e.g. {@code EPERM (needs CAP_NET_ADMIN)}. */
    static String describe(int errno) {
        String hint = switch (errno) {
            case EPERM, EACCES -> "needs CAP_NET_ADMIN";
            case ENOENT -> "no such table, chain, set or element";
            case EEXIST -> "already exists";
            case EINVAL -> "invalid argument";
            case EBUSY -> "object in use";
            case EMSGSIZE -> "message too large for the socket buffer";
            case ENOBUFS -> "socket buffer overrun";
            case EAGAIN -> "timed out";
            case EPROTONOSUPPORT, EAFNOSUPPORT -> "nf_tables not available in this kernel";
            case EOPNOTSUPP -> "not supported by this kernel";
            case ENOSPC -> "set is full";
            default -> null;
        };
        return hint == null ? name(errno) : name(errno) + " (" + hint + ")";
    }
}
