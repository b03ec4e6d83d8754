package ips.app.daemon;

import ips.api.JailRule;
import ips.config.ActionFile;
import ips.config.ActionRef;
import ips.config.JailDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a jail's fail2ban actions to native enforcement by meaning, as their action.d files say
 * ({@link ActionFile}): every firewall action (the stock {@code iptables*}, {@code nftables*},
 * {@code firewallcmd*}, {@code ufw}, {@code shorewall}, {@code pf}, … and any file that inherits one
 * or whose actionban runs a firewall command) becomes the jail's {@link JailRule} (its ports and
 * protocol, or all ports for {@code type = allports} and {@code *-allports}); every other action
 * (mail, abuse reports, scripts) is reported and never run.
 */
public final class ActionMapping {
    private ActionMapping() {}

    /**
     * The rule enforced for the jail, what of its actions was not mapped, and notices to log once
     * (a firewall action in a forwarding chain while {@code forward} is off).
     */
    public record Mapped(JailRule rule, List<String> notMapped, List<String> notices) {}

    /** Per-use parameters that shape what a firewall action bans, shown when they differ from the jail's. */
    private static final List<String> SHAPING = List.of("type", "actiontype", "port", "protocol", "chain", "chain_hook",
            "blocktype");

    /** Maps the jail's actions; {@code forward} is portcullis.conf's {@code forward}. */
    public static Mapped map(JailDefinition jail, boolean forward) {
        List<String> notMapped = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        boolean allPorts = false;
        boolean firewall = false;
        for (ActionRef a : jail.actions()) {
            if (a.isFirewall()) {
                firewall = true;
                allPorts |= a.isAllPorts();
                if (!forward && a.resolved().forwardChain()) {
                    notices.add("jail '" + jail.name() + "': action '" + a.name() + "' bans in " + chainText(a.resolved())
                            + " (forwarded traffic, such as containers' published ports), which Portcullis filters only"
                            + " when forwarding is on: set forward = true in portcullis.conf");
                }
            } else {
                notMapped.add(a.name() + (a.isPython() ? " (Python action)" : ""));
            }
        }
        JailRule rule = jail.rule();
        if (allPorts || rule.ports().isEmpty()) {
            rule = JailRule.allPorts(jail.name()).withBlockType(rule.blockType());
        }
        if (jail.blocking() == JailDefinition.Blocking.UNKNOWN) {
            notices.add("jail '" + jail.name() + "': blocktype '" + jail.blockType().strip() + "' is neither a drop nor a"
                    + " reject: its bans refuse packets as portcullis.conf's blocktype says");
        }
        if (!firewall && !jail.actions().isEmpty()) {
            notMapped.add("(no firewall action: Portcullis bans in the firewall anyway)");
        }
        return new Mapped(rule, List.copyOf(notMapped), List.copyOf(notices));
    }

    /**
     * One line per action saying how it was mapped, for {@code check-config}, e.g.
     * {@code iptables[type=allports] -> all ports} or {@code docker-block -> firewall (inherits
     * iptables.conf), tcp port http,https, chain DOCKER-USER: needs forward = true}. Reads the
     * jail's options, so it is not for the daemon's start.
     */
    public static List<String> describe(JailDefinition jail, boolean forward) {
        List<String> lines = new ArrayList<>();
        for (ActionRef a : jail.actions()) {
            if (a.isPython()) {
                lines.add(a.name() + " -> not run (Python action)");
                continue;
            }
            if (!a.isFirewall()) {
                lines.add(a.name() + " -> not run (not a firewall action)");
                continue;
            }
            ActionFile f = a.resolved();
            StringBuilder sb = new StringBuilder(spec(a, jail.options())).append(" -> ");
            if (f.basis() != null) {
                sb.append("firewall (").append(f.basis()).append("), ");
            }
            if (a.isAllPorts()) {
                sb.append("all ports");
            } else if (f.port() == null) {
                sb.append("all ports (no port given)");
            } else {
                sb.append(f.protocol() == null ? "tcp" : f.protocol().toLowerCase(Locale.ROOT)).append(" port ").append(f.port());
            }
            if (f.forwardChain()) {
                sb.append(", ").append(chainText(f)).append(forward ? " (forward = true)" : ": needs forward = true");
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    private static String chainText(ActionFile f) {
        return f.chain() != null && !f.chain().equalsIgnoreCase("forward") && "forward".equalsIgnoreCase(f.chainHook())
                ? "chain " + f.chain() + " (hook forward)"
                : f.chain() != null ? "chain " + f.chain() : "a chain hooked on forward";
    }

    /** The action's name with the per-use parameters that shape its ban and are not simply the jail's. */
    private static String spec(ActionRef a, Map<String, String> jailOptions) {
        StringBuilder sb = new StringBuilder(a.name());
        String sep = "[";
        for (String k : SHAPING) {
            String v = a.params().get(k);
            if (v != null && !v.equals(jailOptions.get(k))) {
                sb.append(sep).append(k).append('=').append(v);
                sep = ", ";
            }
        }
        return sep.equals("[") ? sb.toString() : sb.append(']').toString();
    }
}
