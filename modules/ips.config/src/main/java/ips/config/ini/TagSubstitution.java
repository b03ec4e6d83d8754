package ips.config.ini;

import ips.config.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fail2ban's {@code helpers.substituteRecursiveTags}: replaces {@code <tag>} in every value by the
 * value of option {@code tag} (or of the fallback lookup), repeating while values still change.
 * Tags nobody defines ({@code <HOST>}, {@code <F-USER>}, {@code <SKIPLINES>}...) stay as they are.
 */
public final class TagSubstitution {
    /** helpers.TAG_CRE. */
    private static final Pattern TAG = Pattern.compile("<([^ <>]+)>");
    /** helpers.MAX_TAG_REPLACE_COUNT. */
    private static final int MAX_TAG_REPLACE_COUNT = 25;
    /** Ours: a value that grows past this while substituting is an error, not an OutOfMemoryError. */
    public static final int MAX_VALUE_CHARS = 1 << 18;

    /** The {@code addrepl} callable: value of a tag not among the options, or null. */
    @FunctionalInterface
    public interface Fallback {
        String lookup(String tag) throws ConfigException;
    }

    private TagSubstitution() {}

    /**
     * Returns a new map (same key order) with tags substituted. Null values stay null (Python's
     * {@code None} prints as "None" and holds no tag).
     */
    public static LinkedHashMap<String, String> substitute(Map<String, String> input, String conditional,
            Set<String> ignore, Fallback addrepl) throws ConfigException {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>(input);
        Set<String> done = new HashSet<>();
        Map<String, Map<String, Integer>> repCounts = new HashMap<>();
        List<String> keys = new ArrayList<>(tags.keySet());
        while (true) {
            boolean repFlag = false;
            for (String tag : keys) {
                if (ignore.contains(tag) || done.contains(tag)) {
                    continue;
                }
                String orgval = tags.get(tag);
                if (orgval == null) {
                    done.add(tag);
                    continue;
                }
                String value = orgval;
                Matcher m = TAG.matcher(value);
                boolean found = m.find();
                Map<String, Integer> rplc = repCounts.getOrDefault(tag, new HashMap<>());
                while (found) {
                    String rtag = m.group(1);
                    if (ignore.contains(rtag)) {
                        found = m.find(m.end());
                        continue;
                    }
                    if (rtag.equals(tag) || rplc.getOrDefault(rtag, 1) > MAX_TAG_REPLACE_COUNT) {
                        throw new ConfigException(null, 0, tag,
                                "properties contain self referencing definitions and cannot be resolved, fail tag: "
                                        + tag + ", found: " + rtag + " in " + rplc + ", value: " + value);
                    }
                    String repl = null;
                    if (conditional != null && !conditional.isEmpty()) {
                        repl = tags.get(rtag + "?" + conditional);
                    }
                    if (repl == null) {
                        repl = tags.get(rtag);
                        if (repl == null && addrepl != null) {
                            repl = addrepl.lookup(rtag);
                        }
                    }
                    if (repl == null) {
                        found = m.find(m.end());
                        continue;
                    }
                    int start = m.start();
                    String needle = "<" + rtag + ">";
                    long occurrences = 0;
                    for (int at = value.indexOf(needle); at >= 0; at = value.indexOf(needle, at + needle.length())) {
                        occurrences++;
                    }
                    if (value.length() + occurrences * (repl.length() - needle.length()) > MAX_VALUE_CHARS) {
                        throw new ConfigException(null, 0, tag, "substituting <" + rtag + "> makes the value longer than "
                                + MAX_VALUE_CHARS + " characters");
                    }
                    value = value.replace(needle, repl);
                    rplc.merge(rtag, 1, Integer::sum);
                    m = TAG.matcher(value);
                    found = m.find(start);
                }
                if (!orgval.equals(value)) {
                    if (TAG.matcher(value).find()) {
                        repCounts.put(tag, rplc);
                        repFlag = true;
                    }
                    tags.put(tag, value);
                }
                if (value.indexOf('<') < 0) {
                    done.add(tag);
                }
            }
            if (!repFlag) {
                break;
            }
        }
        return tags;
    }
}
