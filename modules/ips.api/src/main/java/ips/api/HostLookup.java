package ips.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The system resolver for host names in logs and in ignoreip (getaddrinfo through the JDK, as
 * fail2ban's {@code DNSUtils.dnsToIp}): every address of a name, each once, IPv4 and IPv6.
 */
public final class HostLookup {
    private HostLookup() {}

    /** The addresses of {@code name}; empty when it does not resolve. */
    public static List<IpAddress> system(String name) {
        try {
            Set<IpAddress> out = new LinkedHashSet<>();
            for (InetAddress a : InetAddress.getAllByName(name)) {
                out.add(IpAddress.ofBytes(a.getAddress()));
            }
            return List.copyOf(out);
        } catch (UnknownHostException | AddressFormatException | SecurityException e) {
            return List.of();
        }
    }
}
