package ips.config;

import java.util.Locale;
import java.util.Map;

/**
 * What one use of an action in a jail enforces, as its {@code action.d} files say (read by
 * {@link ActionReader}) or, when the tree has no file for it, as its name says (fail2ban's stock
 * firewall actions; the built-in tree has no action.d). Portcullis never runs the action: this is
 * only what it needs to enforce the same ban natively.
 *
 * @param file      the action's own file that was read ({@code action.d/NAME.conf}, or its
 *                  {@code .local} when there is no .conf); null when known by name only
 * @param firewall  whether the action bans in a firewall (Portcullis enforces those itself)
 * @param basis     why a file not named like a stock firewall action counts as one, e.g.
 *                  {@code inherits iptables.conf} or {@code actionban runs nft}; null otherwise
 * @param type      {@code type} (oneport, multiport, allports), or {@code actiontype=<allports>}
 *                  / {@code <multiport>} of pf and firewallcmd-ipset, or allports by name; null when unset
 * @param port      the ports it bans: its per-use {@code port}, else the jail's {@code port}, else
 *                  the file's; null when none is given or it still holds a tag
 * @param protocol  its {@code protocol}, chosen like {@code port}
 * @param chain     its {@code chain} (per-use, else the file's, {@code <known/chain>} resolved); null when unset
 * @param chainHook its {@code chain_hook} (nftables: input or forward); null when unset
 * @param blockType its {@code blocktype} as resolved; null when unset
 * @param usesPort  whether the action may ban by port: false only when its actionban runs a firewall
 *                  command and none of its values refers to {@code <port>} (shorewall, route, ufw),
 *                  so that its ban covers every port
 */
public record ActionFile(String file, boolean firewall, String basis, String type, String port, String protocol,
        String chain, String chainHook, String blockType, boolean usesPort) {

    /** Names of fail2ban's stock firewall actions (and their helper includes), known without a file. */
    public static boolean firewallName(String name) {
        String n = name;
        return n.startsWith("iptables") || n.startsWith("ip6tables") || n.startsWith("nftables")
                || n.startsWith("firewallcmd") || n.equals("ufw") || n.startsWith("shorewall")
                || n.equals("pf") || n.startsWith("pf-") || n.startsWith("ipfw") || n.startsWith("route")
                || n.startsWith("ipset");
    }

    /** An action the tree has no file for: what its name and per-use parameters say. */
    static ActionFile byName(String name, Map<String, String> params, String jailPort, String jailProtocol) {
        String type = literal(params.get("type"));
        if (type == null && name.contains("allports")) {
            type = "allports";
        }
        return new ActionFile(null, firewallName(name), null, type, pick(literal(params.get("port")), jailPort),
                pick(literal(params.get("protocol")), jailProtocol), literal(params.get("chain")),
                literal(params.get("chain_hook")), literal(params.get("blocktype")), true);
    }

    /** Whether the ban covers every port: {@code type = allports}, or a firewall action that names no port. */
    public boolean allPorts() {
        return "allports".equals(type) || (firewall && !usesPort);
    }

    /**
     * Whether the action bans in a chain that sees forwarded traffic (iptables' FORWARD or Docker's
     * DOCKER-USER, an nftables chain hooked on forward): with {@code forward} off Portcullis hooks
     * only the input path, so such a ban would not reach containers or routed hosts.
     */
    public boolean forwardChain() {
        String c = chain == null ? "" : chain.toLowerCase(Locale.ROOT);
        return c.equals("forward") || c.equals("docker-user") || "forward".equalsIgnoreCase(chainHook);
    }

    /** A value as given, or null when empty or still holding a tag such as {@code <known/chain>}. */
    static String literal(String v) {
        if (v == null) {
            return null;
        }
        v = v.strip();
        return v.isEmpty() || v.indexOf('<') >= 0 ? null : v;
    }

    static String pick(String first, String second) {
        return first != null ? first : second;
    }
}
