package ips.api;

/**
 * Settings every enforcer honours.
 *
 * @param table the firewall object that holds our state: the nftables table name (family inet)
 *     or the PF table name
 * @param blockType how a banned source's packets are refused
 * @param forward also block in the forward path (containers' published ports)
 */
public record EnforcerSettings(String table, BlockType blockType, boolean forward) {
    public static final String DEFAULT_TABLE = "portcullis";

    public EnforcerSettings {
        if (table == null || table.isEmpty() || table.length() > 200) {
            throw new IllegalArgumentException("table name must be 1 to 200 characters");
        }
        if (blockType == null) {
            blockType = BlockType.DROP;
        }
    }

    public static EnforcerSettings defaults() {
        return new EnforcerSettings(DEFAULT_TABLE, BlockType.DROP, false);
    }

    /** How packets from a banned source are refused (fail2ban's {@code blocktype}). */
    public enum BlockType {
        DROP,
        REJECT
    }
}
