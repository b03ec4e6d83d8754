package ips.api;

import java.util.List;

/**
 * What the firewall must enforce for one jail: its name, which traffic from a banned source is
 * blocked, and how. An empty port list blocks every port (fail2ban's {@code *-allports} actions).
 *
 * @param blockType how the jail's bans refuse packets (fail2ban's {@code blocktype} given to its
 *     firewall action), or null for the firewall's own setting (portcullis.conf {@code blocktype})
 */
public record JailRule(String name, Protocol protocol, List<PortRange> ports, EnforcerSettings.BlockType blockType) {
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

    /** A rule that refuses packets as the firewall's own setting says. */
    public JailRule(String name, Protocol protocol, List<PortRange> ports) {
        this(name, protocol, ports, null);
    }

    /** A rule that blocks every port and protocol. */
    public static JailRule allPorts(String name) {
        return new JailRule(name, Protocol.ALL, List.of());
    }

    public boolean allPorts() {
        return ports.isEmpty();
    }

    /** This rule with another {@link #blockType}. */
    public JailRule withBlockType(EnforcerSettings.BlockType type) {
        return new JailRule(name, protocol, ports, type);
    }

    /** How the jail's bans refuse packets: its own {@link #blockType}, else {@code firewallDefault}. */
    public EnforcerSettings.BlockType blockTypeOr(EnforcerSettings.BlockType firewallDefault) {
        return blockType != null ? blockType : firewallDefault;
    }
}
