package ips.api;

/** The transport protocol a jail's rule matches (fail2ban's {@code protocol}). */
public enum Protocol {
    TCP(6),
    UDP(17),
    SCTP(132),
    /** Every protocol: the rule matches the source address alone (ports are ignored). */
    ALL(-1);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** The IP protocol number, or -1 for {@link #ALL}. */
    public int number() {
        return number;
    }
}
