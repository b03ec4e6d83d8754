package ips.api;

import java.util.List;

/**
 * What the firewall must enforce for one jail: its name, and which traffic from a banned source
 * is blocked. An empty port list blocks every port (fail2ban's {@code *-allports} actions).
 */
public record JailRule(String name, Protocol protocol, List<PortRange> ports) {
    public JailRule {
        if (name == null || name.isEmpty() || name.length() > 200) {
            throw new IllegalArgumentException("jail name must be 1 to 200 characters");
        }
        if (protocol == null) {
            protocol = Protocol.ALL;
        }
        ports = ports == null ? List.of() : List.copyOf(ports);
        if (protocol == Protocol.ALL && !ports.isEmpty()) {
            throw new IllegalArgumentException("jail " + name + ": ports need a protocol (tcp, udp or sctp)");
        }
    }

    /** A rule that blocks every port and protocol. */
    public static JailRule allPorts(String name) {
        return new JailRule(name, Protocol.ALL, List.of());
    }

    public boolean allPorts() {
        return ports.isEmpty();
    }
}
