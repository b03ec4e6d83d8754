package ips.api;

/** An inclusive port range, {@code 22} or {@code 6000-6010}. */
public record PortRange(int first, int last) {
    public PortRange {
        if (first < 0 || last > 65535 || first > last) {
            throw new IllegalArgumentException("port range " + first + "-" + last + " is not within 0-65535 in order");
        }
    }

    public static PortRange single(int port) {
        return new PortRange(port, port);
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
