package ips.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a jail's {@code action} list, e.g. {@code nftables[port="ssh", protocol="tcp"]}: the
 * action's name and its per-use parameters, after {@code %(...)s} interpolation in the jail.
 * Parameters that the action file itself would fill in (such as {@code <known/chain>}) stay as written.
 *
 * @param resolved what the action enforces, from its action.d files or, without one, its name
 */
public record ActionRef(String name, Map<String, String> params, ActionFile resolved) {
    public ActionRef {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        if (resolved == null) {
            resolved = ActionFile.byName(name, params, null, null);
        }
    }

    /** An action known by its name and parameters only (no action.d file read). */
    public ActionRef(String name, Map<String, String> params) {
        this(name, params, null);
    }

    /** A Python action ({@code name.py}), which fail2ban imports as code; we never run it. */
    public boolean isPython() {
        return name.endsWith(".py");
    }

    /** Whether this is a firewall ban action (which Portcullis enforces natively), by its file or its name. */
    public boolean isFirewall() {
        return !isPython() && resolved.firewall();
    }

    /** Whether the action blocks every port ({@code type = allports}, {@code *-allports}, or no port in its rules). */
    public boolean isAllPorts() {
        return resolved.allPorts();
    }
}
