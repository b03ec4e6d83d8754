package ips.app.daemon;

import ips.config.JailDefinition;
import java.util.List;

/**
 * What {@code get JAIL KEY} prints: fail2ban-client's layout of each setting (its
 * {@code Beautifier}), so that scripts that read fail2ban-client's answers read ours.
 */
final class GetText {
    private GetText() {}

    /**
     * What fail2ban-client prints for {@code get JAIL KEY} (its {@code Beautifier}), so that scripts
     * reading it keep working: headed lists for logpath, ignoreip, the regexes and the journal
     * matches, the actions on one line, banned addresses space-separated, Python's {@code True} and
     * {@code False}. Keys fail2ban-client has no format for print their value.
     */
    static String of(String key, JailDefinition j, Object v) {
        return switch (key) {
            case "logpath" -> tree((List<?>) v, "No file is currently monitored", "Current monitored log file(s):", false);
            case "ignoreip" -> tree((List<?>) v, "No IP address/network is ignored",
                    "These IP addresses/networks are ignored:", false);
            case "failregex", "ignoreregex" -> tree((List<?>) v, "No regular expression is defined",
                    "The following regular expression are defined:", true);
            case "journalmatch" -> ((List<?>) v).isEmpty() || j.filter().journalMatchGroups().isEmpty() ? "No journal match filter set"
                    : "Current match filter:\n" + String.join(" + ",
                            j.filter().journalMatchGroups().stream().map(g -> String.join(" ", g)).toList());
            case "logencoding" -> "Current log encoding is set to:\n" + v;
            case "datepattern" -> "Current date pattern set to: " + datePattern(j.filter().datepattern());
            case "actions" -> ((List<?>) v).isEmpty() ? "No actions for jail " + j.name()
                    : "The jail " + j.name() + " has the following actions:\n"
                            + String.join(", ", ((List<?>) v).stream().map(Object::toString).toList());
            case "banip", "banned" -> String.join(" ", ((List<?>) v).stream().map(Object::toString).toList());
            case "prefregex" -> j.filter().prefregex() == null ? "None" : String.valueOf(v);
            default -> v instanceof Boolean b ? (b ? "True" : "False")
                    : v instanceof List<?> l ? String.join("\n", l.stream().map(Object::toString).toList())
                    : String.valueOf(v);
        };
    }

    /** {@code |- a}, {@code `- b} under a heading, numbered as {@code [0]: a} for the regexes. */
    private static String tree(List<?> items, String none, String heading, boolean numbered) {
        if (items.isEmpty()) {
            return none;
        }
        StringBuilder sb = new StringBuilder(heading);
        for (int i = 0; i < items.size(); i++) {
            sb.append('\n').append(i == items.size() - 1 ? "`- " : "|- ");
            if (numbered) {
                sb.append('[').append(i).append("]: ");
            }
            sb.append(items.get(i));
        }
        return sb.toString();
    }

    /**
     * fail2ban's {@code Filter.getDatePattern()} as its client prints it: "Default Detectors" unless
     * the filter names one or two templates of its own, then the first one's pattern and name, or
     * only its name when it has no strptime pattern (EPOCH, LEPOCH, TAI64N).
     */
    static String datePattern(String datepattern) {
        if (datepattern == null || datepattern.isBlank()) {
            return "Default Detectors";
        }
        ips.filter.date.DateDetector dd;
        try {
            dd = ips.filter.date.DateDetector.forPattern(datepattern, java.time.ZoneOffset.UTC.getRules(), () -> 0L);
        } catch (ips.filter.date.DatePatternException e) {
            return datepattern.strip();
        }
        String name = dd.patternName();
        if (name.equals("Default Detectors")) {
            return name;
        }
        String first = datepattern.strip().split("\n")[0].strip();
        String key = first.indexOf('%') >= 0 ? first : first.toUpperCase(java.util.Locale.ROOT);
        boolean patternless = key.contains("EPOCH") || key.replaceFirst("^(\\{\\^LN-BEG}|\\^)", "").equals("TAI64N");
        if (key.equals("{NONE}")) {
            first = "{UNB}^"; // datedetector.py makes {NONE} the template of that pattern
        }
        return patternless ? name : first + " (" + name + ")";
    }
}
