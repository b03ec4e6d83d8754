package ips.app.daemon;

import ips.api.JailRule;
import ips.config.ActionRef;
import ips.config.JailDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a jail's fail2ban actions to native enforcement by meaning: every firewall action
 * ({@code iptables*}, {@code nftables*}, {@code firewallcmd*}, {@code ufw}, {@code shorewall},
 * {@code pf}, …) becomes the jail's {@link JailRule} (its ports and protocol, or all ports for
 * {@code *-allports}); every other action (mail, abuse reports, scripts) is reported and never run.
 */
public final class ActionMapping {
    private ActionMapping() {}

    /** The rule enforced for the jail and what of its actions was not mapped. */
    public record Mapped(JailRule rule, List<String> notMapped) {}

    public static Mapped map(JailDefinition jail) {
        List<String> notMapped = new ArrayList<>();
        boolean allPorts = false;
        boolean firewall = false;
        for (ActionRef a : jail.actions()) {
            if (a.isFirewall()) {
                firewall = true;
                allPorts |= a.isAllPorts();
            } else {
                notMapped.add(a.name() + (a.isPython() ? " (Python action)" : ""));
            }
        }
        JailRule rule = jail.rule();
        if (allPorts || rule.ports().isEmpty()) {
            rule = JailRule.allPorts(jail.name());
        }
        if (!firewall && !jail.actions().isEmpty()) {
            notMapped.add("(no firewall action: Portcullis bans in the firewall anyway)");
        }
        return new Mapped(rule, List.copyOf(notMapped));
    }
}
