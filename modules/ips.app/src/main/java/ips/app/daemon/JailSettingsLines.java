package ips.app.daemon;

import ips.config.Durations;
import ips.config.FilterDefinition;
import ips.config.JailDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lines fail2ban's server logs as a jail's settings are set, at its start and at each reload,
 * in its order and words: {@code   maxLines: 1} (when the filter or the jail sets maxlines), {@code [sshd] Added
 * journal match for: '...'} (a journal jail, one per journalmatch line), {@code   maxRetry: 5},
 * {@code   findtime: 600}, {@code   banTime: 600} (the durations as fail2ban's str2seconds gives
 * them: {@code 5400.0} for {@code 1.5h}), {@code Set banTime.increment = True} and the other
 * {@code bantime.*}, {@code   encoding: UTF-8} (filter.py, filtersystemd.py, actions.py, jail.py);
 * each only when the configuration sets it, as fail2ban's jail reader sends only those. Not said: fail2ban's backend lines ("uses poller", "Initiated 'polling' backend")
 * and "Added logfile" (Portcullis reads files its own way, and says which it watches), and a
 * custom datepattern's "date pattern" line.
 */
final class JailSettingsLines {
    /** A log line: fail2ban's logger name and the message. */
    record Line(String logger, String message) {}

    private JailSettingsLines() {}

    /** fail2ban's {@code bantime.*} jail options, in the order its jail reader sends them. */
    private static final List<String> BANTIME_EXTRAS =
            List.of("increment", "factor", "formula", "multipliers", "maxtime", "rndtime", "overalljails");

    static List<Line> of(JailDefinition j) {
        List<Line> out = new ArrayList<>(8);
        FilterDefinition f = j.filter();
        Map<String, String> o = j.options();
        if (f != null && (f.options().containsKey("maxlines") || o.containsKey("maxlines"))) {
            out.add(new Line("fail2ban.filter", "  maxLines: " + f.maxlines()));
        }
        if (f != null && j.usesJournal()) {
            for (List<String> match : f.journalMatchGroups()) {
                out.add(new Line("fail2ban.filtersystemd",
                        "[" + j.name() + "] Added journal match for: " + PyRepr.str(String.join(" ", match))));
            }
        }
        // the jail reader sends only the options the configuration sets; the server's defaults are not said
        if (o.containsKey("maxretry")) {
            out.add(new Line("fail2ban.filter", "  maxRetry: " + j.maxRetry()));
        }
        if (o.containsKey("findtime")) {
            out.add(new Line("fail2ban.filter", "  findtime: " + seconds(o.get("findtime"), j.findTime())));
        }
        if (o.containsKey("bantime")) {
            out.add(new Line("fail2ban.actions", "  banTime: " + seconds(o.get("bantime"), j.banTime())));
        }
        for (String extra : BANTIME_EXTRAS) {
            String v = o.get("bantime." + extra);
            if (v != null) {
                Object shown = switch (extra) { // the bools as JailsLoader read them (fail2ban's _as_bool)
                    case "increment" -> j.banTimeIncrement() != null && j.banTimeIncrement().enabled() ? "True" : "False";
                    case "overalljails" -> j.banTimeIncrement() != null && j.banTimeIncrement().overallJails() ? "True" : "False";
                    default -> v;
                };
                out.add(new Line("fail2ban.jail", "Set banTime." + extra + " = " + shown));
            }
        }
        if (o.get("logencoding") != null) {
            out.add(new Line("fail2ban.filter", "  encoding: " + encoding(j)));
        }
        return out;
    }

    /**
     * The jail's log encoding as fail2ban's filter holds it ({@code get JAIL logencoding}): the
     * name as configured ({@code latin-1}, not the charset's {@code ISO-8859-1}); {@code auto}, or
     * none, is the preferred encoding, UTF-8.
     */
    static String encoding(JailDefinition j) {
        String enc = j.options().get("logencoding");
        return enc == null || enc.strip().equalsIgnoreCase("auto") ? "UTF-8" : enc.strip();
    }

    /**
     * {@code get JAIL bantime.X} for the options other than increment, as jail.py's
     * {@code getBanTimeExtra} keeps them: maxtime and rndtime through str2seconds, overalljails a
     * bool, the others the text as configured; "None" when not set.
     */
    static Object banTimeExtra(JailDefinition j, String key) {
        String v = j.options().get(key);
        if (v == null || v.isEmpty()) {
            return "None";
        }
        return switch (key) {
            case "bantime.maxtime", "bantime.rndtime" -> pythonNumber(seconds(v, 0));
            case "bantime.overalljails" -> j.banTimeIncrement() != null && j.banTimeIncrement().overallJails();
            default -> v;
        };
    }

    /** Python's text of an int or a float ({@link #seconds}) as a number that prints as that text. */
    static Object pythonNumber(String text) {
        return text.indexOf('.') >= 0 || text.indexOf('e') >= 0 ? new PyFloat(text) : (Object) Long.parseLong(text);
    }

    /** A Python float: its value, and Python's repr of it ({@code 31557600.0}, not Java's {@code 3.15576E7}). */
    static final class PyFloat extends Number {
        private static final long serialVersionUID = 1L;
        private final String text;
        private final double value;

        PyFloat(String text) {
            this.text = text;
            this.value = Double.parseDouble(text);
        }

        @Override
        public int intValue() {
            return (int) value;
        }

        @Override
        public long longValue() {
            return (long) value;
        }

        @Override
        public float floatValue() {
            return (float) value;
        }

        @Override
        public double doubleValue() {
            return value;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * The ignore list in fail2ban's order ({@code Filter.getIgnoreIP}): networks and names as
     * configured, then the single addresses (a Python set: their order among themselves is the
     * set's, which depends on the process; here as configured); duplicates once.
     */
    static List<String> ignoreIpOrder(List<String> words) {
        List<String> lists = new ArrayList<>();
        List<String> singles = new ArrayList<>();
        for (String w : new java.util.LinkedHashSet<>(words)) {
            (isSingle(w) ? singles : lists).add(w);
        }
        lists.addAll(singles);
        return lists;
    }

    /** ipdns.py's {@code isSingle}: an address, or one with its full prefix length. */
    private static boolean isSingle(String w) {
        int slash = w.indexOf('/');
        ips.api.IpAddress a = ips.api.IpAddress.tryParse(slash < 0 ? w : w.substring(0, slash));
        if (a == null) {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        String len = w.substring(slash + 1);
        return len.equals(w.indexOf(':') >= 0 ? "128" : "32");
    }

    /** A duration as fail2ban's server logs it: str2seconds of the text as configured. */
    static String seconds(String configured, long resolved) {
        if (configured != null) {
            try {
                return Durations.pythonText(configured.strip());
            } catch (IllegalArgumentException e) {
                // resolved by JailsLoader another way (it said so): its value
            }
        }
        return Long.toString(resolved);
    }
}
