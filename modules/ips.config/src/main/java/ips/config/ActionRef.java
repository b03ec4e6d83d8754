package ips.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a jail's {@code action} list, e.g. {@code nftables[port="ssh", protocol="tcp"]}: the
 * action's name and its per-use parameters, after {@code %(...)s} interpolation in the jail.
 * Parameters that the action file itself would fill in (such as {@code <known/chain>}) stay as written.
 */
public record ActionRef(String name, Map<String, String> params) {
    public ActionRef {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A Python action ({@code name.py}), which fail2ban imports as code; we never run it. */
    public boolean isPython() {
        return name.endsWith(".py");
    }

    /** Whether this is one of fail2ban's firewall ban actions (which Portcullis enforces natively). */
    public boolean isFirewall() {
        String n = name;
        return n.startsWith("iptables") || n.startsWith("ip6tables") || n.startsWith("nftables")
                || n.startsWith("firewallcmd") || n.equals("ufw") || n.startsWith("shorewall")
                || n.equals("pf") || n.startsWith("pf-") || n.startsWith("ipfw") || n.startsWith("route")
                || n.startsWith("ipset") || n.startsWith("iptables-ipset");
    }

    /** Whether the action blocks every port ({@code *-allports}). */
    public boolean isAllPorts() {
        return name.contains("allports");
    }
}
