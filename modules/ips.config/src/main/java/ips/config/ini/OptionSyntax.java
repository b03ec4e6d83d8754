package ips.config.ini;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fail2ban's {@code extractOptions} / {@code splitWithOptions}: {@code name[p1=v, p2="a, b"][p3='x']}
 * and lists of such specs split on whitespace/new lines.
 */
public final class OptionSyntax {
    private static final int FLAGS = Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;
    /** helpers.OPTION_CRE. */
    private static final Pattern OPTION = Pattern.compile("^([^\\[]+)(?:\\[(.*)\\])?\\s*$", FLAGS);
    /** helpers.OPTION_EXTRACT_CRE. */
    private static final Pattern OPTION_EXTRACT = Pattern.compile(
            "\\s*([\\w\\-_.]+)=(?:\"([^\"]*)\"|'([^']*)'|([^,\\]]*))(?:,|\\]\\s*\\[|$|(?<wrngA>.+))|,?\\s*$|(?<wrngB>.+)",
            FLAGS);
    /** helpers.OPTION_SPLIT_CRE. */
    private static final Pattern OPTION_SPLIT = Pattern.compile(
            "(?:[^\\[\\s]+(?:\\s*\\[\\s*(?:[\\w\\-_.]+=(?:\"[^\"]*\"|'[^']*'|[^,\\]]*)\\s*(?:,|\\]\\s*\\[)?\\s*)*\\])?\\s*|\\S+)(?=\\n\\s*|\\s+|$)",
            FLAGS);

    /** A parsed spec: name and its parameters in order. */
    public record Spec(String name, LinkedHashMap<String, String> options) {}

    private OptionSyntax() {}

    /** {@code extractOptions}; IllegalArgumentException carries fail2ban's message on bad syntax. */
    public static Spec extract(String option) {
        try {
            return extractBounded(option);
        } catch (BoundedText.TooComplex e) {
            throw new IllegalArgumentException("option list too complex to parse: "
                    + option.substring(0, Math.min(60, option.length())));
        }
    }

    private static Spec extractBounded(String option) {
        Matcher m = OPTION.matcher(new BoundedText(option));
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("unexpected option syntax");
        }
        String name = m.group(1);
        String optstr = m.group(2);
        LinkedHashMap<String, String> opts = new LinkedHashMap<>();
        if (optstr != null && !optstr.isEmpty()) {
            Matcher o = OPTION_EXTRACT.matcher(new BoundedText(optstr));
            while (o.find()) {
                if (o.group("wrngA") != null) {
                    String w = o.group("wrngA");
                    throw new IllegalArgumentException("unexpected syntax at " + o.start("wrngA") + " after option '"
                            + o.group(1) + "': " + w.substring(0, Math.min(25, w.length())));
                }
                if (o.group("wrngB") != null) {
                    String w = o.group("wrngB");
                    throw new IllegalArgumentException("expected option, wrong syntax at " + o.start("wrngB") + ": "
                            + w.substring(0, Math.min(25, w.length())));
                }
                String opt = o.group(1);
                if (opt == null || opt.isEmpty()) {
                    continue;
                }
                String value = o.group(2) != null ? o.group(2) : o.group(3) != null ? o.group(3) : o.group(4);
                opts.put(PyText.strip(opt), PyText.strip(value));
            }
        }
        return new Spec(name, opts);
    }

    /**
     * {@code splitWithOptions}: the specs of a multi-line, whitespace separated list.
     * IllegalArgumentException when the list is malformed so that matching it would not finish.
     */
    public static List<String> split(String option) {
        List<String> out = new ArrayList<>();
        try {
            Matcher m = OPTION_SPLIT.matcher(new BoundedText(option));
            while (m.find()) {
                out.add(m.group());
            }
        } catch (BoundedText.TooComplex e) {
            throw new IllegalArgumentException("action list too complex to parse: "
                    + option.substring(0, Math.min(60, option.length())));
        }
        return out;
    }
}
