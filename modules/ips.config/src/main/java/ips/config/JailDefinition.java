package ips.config;

import ips.api.EnforcerSettings;
import ips.api.JailRule;
import ips.api.PortRange;
import ips.api.Protocol;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One enabled jail, resolved as fail2ban's JailReader resolves it (jail.conf, jail.local, jail.d,
 * [DEFAULT], paths-*.conf), with typed fields and the raw option map.
 *
 * @param name        the section name
 * @param backend     {@code backend} (auto, polling, pyinotify, systemd[...], ...)
 * @param filterSpec  {@code filter} as resolved, e.g. {@code sshd[mode=normal]}; empty when none
 * @param filter      the effective filter: the filter file with the jail's own failregex,
 *                    ignoreregex, prefregex, maxlines, datepattern, journalmatch, usedns applied
 *                    as fail2ban applies them; null when the jail has no filter
 * @param logPaths    {@code logpath} lines (empty for systemd backends, which ignore them)
 * @param maxRetry    {@code maxretry} (fail2ban's server default 3)
 * @param maxMatches  {@code maxmatches}, null when unset
 * @param findTime    {@code findtime} in seconds (default 600)
 * @param banTime     {@code bantime} in seconds (default 600; negative means permanent)
 * @param banTimeIncrement the {@code bantime.*} settings
 * @param ignoreIp    {@code ignoreip} words (addresses, CIDR, DNS names), split as fail2ban splits them
 * @param ignoreSelf  {@code ignoreself} (default true)
 * @param ignoreCommand {@code ignorecommand}, null when unset; reported, never run
 * @param ports       ports the ban blocks; empty = every port (allports actions, {@code 0:65535})
 * @param protocol    protocol the ban blocks ({@link Protocol#ALL} for {@code protocol = all})
 * @param banAction   {@code banaction}, null when unset
 * @param banActionAllPorts {@code banaction_allports}, null when unset
 * @param actions     the {@code action} list, in order
 * @param chain       {@code chain} of the first firewall action (per-use, else its action file's,
 *                    {@code <known/chain>} resolved; else the jail's), null when unknown
 * @param blockType   {@code blocktype} of the firewall action or jail, null when unset
 * @param usedns      {@code usedns} (yes, warn, no, raw)
 * @param ipv4Mask    {@code ipv4mask} (ours): ban the address's /N, 32 by default
 * @param ipv6Mask    {@code ipv6mask} (ours): ban the address's /N, 128 by default
 * @param options     every jail option (own and [DEFAULT]) that resolves, interpolated
 */
public record JailDefinition(String name, String backend, String filterSpec, FilterDefinition filter,
        List<LogPath> logPaths, int maxRetry, Integer maxMatches, long findTime, long banTime,
        BanTimeIncrement banTimeIncrement, List<String> ignoreIp, boolean ignoreSelf, String ignoreCommand,
        List<PortRange> ports, Protocol protocol, String banAction, String banActionAllPorts,
        List<ActionRef> actions, String chain, String blockType, String usedns, int ipv4Mask, int ipv6Mask,
        Map<String, String> options) {

    public JailDefinition {
        logPaths = List.copyOf(logPaths);
        ignoreIp = List.copyOf(ignoreIp);
        ports = List.copyOf(ports);
        actions = List.copyOf(actions);
        options = options instanceof LazyOptions ? options : Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Whether the jail reads the systemd journal rather than files. */
    public boolean usesJournal() {
        return backend.startsWith("systemd");
    }

    /**
     * The journal directory or files a journal jail reads ({@code backend =
     * systemd[journalpath=DIR]} or {@code [journalfiles=...]}); empty for the local system journal and
     * for file jails.
     */
    public List<String> journalPaths() {
        return usesJournal() ? JournalBackend.of(backend).paths() : List.of();
    }

    /** {@code journalflags} of a journal jail's backend, or -1 (the journal source's default). */
    public int journalFlags() {
        return usesJournal() ? JournalBackend.of(backend).flagsOrDefault() : -1;
    }

    /** {@code logencoding} for the jail's files, or null for UTF-8 ({@code auto}, unset). */
    public java.nio.charset.Charset logEncoding() {
        return LogEncoding.of(options.get("logencoding"));
    }

    /** What the firewall enforces for this jail. */
    public JailRule rule() {
        return new JailRule(name, protocol, protocol == Protocol.ALL ? List.of() : ports, blocking().type);
    }

    /** What a jail's {@code blocktype} asks of its bans. */
    public enum Blocking {
        /** Unset: the firewall's own setting (portcullis.conf {@code blocktype}). */
        FIREWALL_DEFAULT(null),
        /** {@code DROP}, {@code drop}. */
        DROP(EnforcerSettings.BlockType.DROP),
        /** {@code REJECT …} (iptables), {@code reject …} (nftables). */
        REJECT(EnforcerSettings.BlockType.REJECT),
        /**
         * {@code RETURN}, {@code ACCEPT}: a ban lets the address in (an allow list, as jail.conf's
         * {@code pass2allow-ftp}); the other traffic is refused by {@code returntype}.
         */
        LETS_IN(null),
        /** Anything else ({@code LOG}, {@code TARPIT}, …): the firewall's own setting applies. */
        UNKNOWN(null);

        /** The block type the firewall gets, null for its own. */
        public final EnforcerSettings.BlockType type;

        Blocking(EnforcerSettings.BlockType type) {
            this.type = type;
        }

        /**
         * A {@code blocktype} by meaning, in the vocabularies of the stock action files, in any
         * case: {@code DROP}, {@code deny} (ufw); {@code REJECT --reject-with …} (iptables),
         * {@code reject …} (nftables, firewalld), {@code unreach port} (ipfw), {@code unreachable}
         * (route), {@code return-icmp(…)}/{@code return-rst} (ipfilter); {@code RETURN},
         * {@code ACCEPT} let in. Null or blank: the firewall's default.
         */
        public static Blocking of(String blocktype) {
            if (blocktype == null || blocktype.isBlank()) {
                return FIREWALL_DEFAULT;
            }
            String word = blocktype.strip().replace("\"", "").split("[\\s,;]+", 2)[0].toLowerCase(java.util.Locale.ROOT);
            if (word.startsWith("return-icmp") || word.equals("return-rst")) {
                return REJECT;
            }
            return switch (word) {
                case "drop", "deny" -> DROP;
                case "reject", "unreach", "unreachable" -> REJECT;
                case "return", "accept" -> LETS_IN;
                default -> UNKNOWN;
            };
        }
    }

    /** {@link #blockType} by meaning ({@link Blocking#of}). */
    public Blocking blocking() {
        return Blocking.of(blockType);
    }
}
