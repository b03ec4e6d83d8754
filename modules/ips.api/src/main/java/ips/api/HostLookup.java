package ips.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
            return orFail(name);
        } catch (Unresolved e) {
            return List.of();
        }
    }

    /**
     * The addresses of {@code name}, at least one; when it does not resolve, {@link Unresolved}
     * says why as fail2ban's log says it.
     */
    public static List<IpAddress> orFail(String name) {
        try {
            Set<IpAddress> out = new LinkedHashSet<>();
            for (InetAddress a : InetAddress.getAllByName(name)) {
                out.add(IpAddress.ofBytes(a.getAddress()));
            }
            if (out.isEmpty()) {
                throw new Unresolved(name, null);
            }
            return List.copyOf(out);
        } catch (UnknownHostException e) {
            throw new Unresolved(name, pythonReason(name, e.getMessage()));
        } catch (AddressFormatException | SecurityException e) {
            throw new Unresolved(name, null);
        }
    }

    /** A name without an address, and the resolver's reason (or null when it gave none). */
    public static final class Unresolved extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        public Unresolved(String name, String reason) {
            super(reason == null ? name + " does not resolve" : name + ": " + reason, null, false, false);
            this.reason = reason;
        }

        /** Python's text of the resolver's error ({@code [Errno -2] Name or service not known}), or null. */
        public String reason() {
            return reason;
        }
    }

    /** glibc's getaddrinfo messages ({@code gai_strerror}) by their EAI_* code, as Python's socket.gaierror has them. */
    private static final Map<String, Integer> GAI_ERRORS = Map.ofEntries(
            Map.entry("Bad value for ai_flags", -1),
            Map.entry("Name or service not known", -2),
            Map.entry("Temporary failure in name resolution", -3),
            Map.entry("Non-recoverable failure in name resolution", -4),
            Map.entry("No address associated with hostname", -5),
            Map.entry("ai_family not supported", -6),
            Map.entry("ai_socktype not supported", -7),
            Map.entry("Servname not supported for ai_socktype", -8),
            Map.entry("Address family for hostname not supported", -9),
            Map.entry("Memory allocation failure", -10),
            Map.entry("System error", -11),
            Map.entry("Argument buffer overflow", -12));

    /**
     * What Python's {@code str()} of the lookup's {@code socket.gaierror} says, from the JDK's
     * {@link UnknownHostException} message ({@code "NAME: " + gai_strerror(code)}): {@code [Errno
     * -3] Temporary failure in name resolution}. A message that is not one of glibc's is given as
     * it is, without the name. The JDK's answer from its cache of failed lookups (10 s) is the name
     * alone: then there is no reason (null).
     */
    static String pythonReason(String name, String message) {
        if (message == null || message.equals(name)) {
            return null;
        }
        String text = message.startsWith(name + ": ") ? message.substring(name.length() + 2) : message;
        Integer code = GAI_ERRORS.get(text);
        return code == null ? text : "[Errno " + code + "] " + text;
    }
}
