package ips.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of reading jail.conf and friends: the enabled jails fail2ban would start, the enabled
 * jails it would skip because of a configuration error (jail name to message, as fail2ban's
 * "Jail 'x' skipped, because of wrong configuration"), and notices worth logging once at start-up.
 */
public record Jails(List<JailDefinition> jails, Map<String, String> skipped, List<String> notices) {
    public Jails {
        jails = List.copyOf(jails);
        skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
        notices = List.copyOf(notices);
    }

    /** The jail with this name, or null. */
    public JailDefinition jail(String name) {
        for (JailDefinition j : jails) {
            if (j.name().equals(name)) {
                return j;
            }
        }
        return null;
    }
}
