package ips.config;

import ips.api.PortRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Port lists as fail2ban's firewall actions accept them: {@code ssh}, {@code http,https},
 * {@code 6000:6010}, {@code 6000-6010}, {@code smtp,465,submission}. Service names come from a
 * built-in table of the names jail.conf uses (values as in /etc/services), then /etc/services.
 */
public final class Services {
    /** name -> port, per /etc/services (tcp). */
    private static final Map<String, Integer> COMMON = Map.ofEntries(
            Map.entry("ftp-data", 20), Map.entry("ftp", 21), Map.entry("ssh", 22), Map.entry("telnet", 23),
            Map.entry("smtp", 25), Map.entry("domain", 53), Map.entry("tftp", 69), Map.entry("http", 80),
            Map.entry("www", 80), Map.entry("kerberos", 88), Map.entry("pop3", 110), Map.entry("nntp", 119),
            Map.entry("ntp", 123), Map.entry("imap", 143), Map.entry("imap2", 143), Map.entry("snmp", 161),
            Map.entry("ldap", 389), Map.entry("https", 443), Map.entry("submissions", 465),
            Map.entry("ssmtp", 465), Map.entry("smtps", 465), Map.entry("isakmp", 500),
            Map.entry("submission", 587), Map.entry("ldaps", 636), Map.entry("rsync", 873),
            Map.entry("ftps-data", 989), Map.entry("ftps", 990), Map.entry("imaps", 993), Map.entry("pop3s", 995),
            Map.entry("socks", 1080), Map.entry("openvpn", 1194), Map.entry("ms-sql-s", 1433),
            Map.entry("mysql", 3306), Map.entry("ms-wbt-server", 3389), Map.entry("sieve", 4190),
            Map.entry("ipsec-nat-t", 4500), Map.entry("sip", 5060), Map.entry("sip-tls", 5061),
            Map.entry("xmpp-client", 5222), Map.entry("xmpp-server", 5269), Map.entry("postgresql", 5432),
            Map.entry("x11", 6000), Map.entry("ircd", 6667), Map.entry("http-alt", 8080),
            Map.entry("webmin", 10000), Map.entry("mongodb", 27017), Map.entry("mumble", 64738));
    private static final Path ETC_SERVICES = Path.of("/etc/services");

    private Services() {}

    /** The port of a service name or number; IllegalArgumentException when unknown. */
    public static int port(String nameOrNumber) {
        String s = nameOrNumber.strip().toLowerCase(Locale.ROOT);
        if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int p = s.length() > 5 ? 65536 : Integer.parseInt(s);
            if (p > 65535) {
                throw new IllegalArgumentException("port " + s + " is above 65535");
            }
            return p;
        }
        Integer p = COMMON.get(s);
        if (p == null) {
            p = fromEtcServices(s);
        }
        if (p == null) {
            throw new IllegalArgumentException("unknown service name '" + nameOrNumber.strip() + "'");
        }
        return p;
    }

    private static Integer fromEtcServices(String name) {
        if (!Files.isReadable(ETC_SERVICES)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(ETC_SERVICES)) {
                int hash = line.indexOf('#');
                String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
                if (f.length < 2 || !f[1].contains("/")) {
                    continue;
                }
                boolean match = f[0].equalsIgnoreCase(name);
                for (int i = 2; i < f.length && !match; i++) {
                    match = f[i].equalsIgnoreCase(name);
                }
                if (match) {
                    return Integer.parseInt(f[1].substring(0, f[1].indexOf('/')));
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Parses a comma (or space) separated port list with {@code a:b} / {@code a-b} ranges. */
    public static List<PortRange> parse(String ports) {
        List<PortRange> out = new ArrayList<>();
        for (String item : ports.split("[,\\s]+")) {
            if (item.isEmpty()) {
                continue;
            }
            int sep = item.indexOf(':');
            if (sep < 0) {
                sep = item.indexOf('-', 1);
                // service names contain '-' (ftp-data): a range needs a number before it
                if (sep > 0 && !item.substring(0, sep).chars().allMatch(c -> c >= '0' && c <= '9')) {
                    sep = -1;
                }
            }
            if (sep > 0) {
                out.add(new PortRange(port(item.substring(0, sep)), port(item.substring(sep + 1))));
            } else {
                out.add(PortRange.single(port(item)));
            }
        }
        return out;
    }
}
