package ips.filter.regex;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fail2ban's regex tags ({@code <HOST>}, {@code <ADDR>}, {@code <F-USER>…</F-USER>},
 * {@code <SKIPLINES>}…) expanded exactly as {@code failregex.py Regex._resolveHostTag} does, then the
 * global-to-local flag rewrite ({@code ((?i)x)} → {@code (?i:x)}) of {@code R_GLOB2LOCFLAGS}.
 */
public final class FailTags {
    private FailTags() {}

    /** ipdns.py IPAddr.IP_4_RE. */
    public static final String IP_4_RE = "(?:\\d{1,3}\\.){3}\\d{1,3}";
    /** ipdns.py IPAddr.IP_6_RE. */
    public static final String IP_6_RE =
            "(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):)";

    static final String R_IPV4 = "(?:::f{4,6}:)?(?P<ip4>" + IP_4_RE + ")";
    static final String R_IPV6 = "(?P<ip6>" + IP_6_RE + ")";
    static final String R_DNS = "(?P<dns>[\\w\\-.^_]*\\w)";
    static final String R_ADDR = "\\[?(?:" + R_IPV4 + "|" + R_IPV6 + ")\\]?";
    static final String R_HOST = "(?:" + R_ADDR + "|" + R_DNS + ")";
    static final String R_CIDR = "(?P<cidr>\\d+)";
    static final String R_SUBNET = "\\[?(?:" + R_IPV4 + "|" + R_IPV6 + ")(?:/" + R_CIDR + ")?\\]?";

    private static final Map<String, String> RH4TAG = Map.ofEntries(
            Map.entry("IP4", R_IPV4), Map.entry("F-IP4/", R_IPV4),
            Map.entry("IP6", R_IPV6), Map.entry("F-IP6/", R_IPV6),
            Map.entry("ADDR", R_ADDR), Map.entry("F-ADDR/", R_ADDR),
            Map.entry("CIDR", R_CIDR), Map.entry("F-CIDR/", R_CIDR),
            Map.entry("SUBNET", R_SUBNET), Map.entry("F-SUBNET/", R_SUBNET),
            Map.entry("DNS", R_DNS), Map.entry("F-DNS/", R_DNS),
            Map.entry("F-ID/", "(?P<fid>\\S+)"),
            Map.entry("F-PORT/", "(?P<fport>\\w+)"));

    /** failregex.py FTAG_CRE ({@code \w} is Unicode there). */
    private static final Pattern FTAG = Pattern.compile("</?[\\p{L}\\p{N}_\\-]+/?>");
    /** failregex.py FCUSTNAME_CRE. */
    private static final Pattern FCUSTNAME = Pattern.compile("^(/?)F-([A-Z0-9_\\-]+)$");
    /** failregex.py R_GLOB2LOCFLAGS. */
    private static final Pattern GLOB2LOC = Pattern.compile("(?<!\\\\)\\((?:\\?:)?(\\(\\?[a-z]+)\\)");

    /** Maps a tag name as failregex.py mapTag2Opt does. */
    public static String mapTag2Opt(String tag) {
        String t = tag.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "id" -> "fid";
            case "port" -> "fport";
            default -> t;
        };
    }

    /**
     * Expands the tags of one regex.
     *
     * @param useDns fail2ban's {@code usedns}: {@code "no"} makes {@code <HOST>} the address only
     */
    public static String expand(String regex, String useDns) {
        Set<String> openTags = new HashSet<>();
        int[] nl = {0};
        Matcher m = FTAG.matcher(regex);
        StringBuilder sb = new StringBuilder(regex.length() + 256);
        int last = 0;
        while (m.find()) {
            sb.append(regex, last, m.start());
            sb.append(subst(m.group(), useDns, openTags, nl));
            last = m.end();
        }
        sb.append(regex, last, regex.length());
        return sb.toString();
    }

    private static String subst(String tag, String useDns, Set<String> openTags, int[] nl) {
        String tn = tag.substring(1, tag.length() - 1);
        if (tn.equals("HOST")) {
            return "no".equals(useDns) ? R_ADDR : R_HOST;
        }
        if (tn.equals("SKIPLINES")) {
            return "\\n(?P<skiplines" + (nl[0]++) + ">(?:(?:.*\\n)*?))";
        }
        String r = RH4TAG.get(tn);
        if (r != null) {
            return r;
        }
        Matcher c = FCUSTNAME.matcher(tn);
        if (c.matches()) {
            String name = c.group(2);
            if (!c.group(1).isEmpty()) {
                return openTags.contains(name) ? ")" : tag;
            }
            openTags.add(name);
            return "(?P<" + mapTag2Opt(name) + ">";
        }
        return tag;
    }

    /** Applies R_GLOB2LOCFLAGS: {@code ((?i)x)} and {@code (?:(?i)x)} become {@code (?i:x)}. */
    public static String globalToLocalFlags(String regex) {
        return GLOB2LOC.matcher(regex).replaceAll("$1:");
    }
}
