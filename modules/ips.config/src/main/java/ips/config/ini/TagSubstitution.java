package ips.config.ini;

import ips.config.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * fail2ban's {@code helpers.substituteRecursiveTags}: replaces {@code <tag>} in every value by the
 * value of option {@code tag} (or of the fallback lookup), repeating while values still change.
 * Tags nobody defines ({@code <HOST>}, {@code <F-USER>}, {@code <SKIPLINES>}...) stay as they are.
 */
public final class TagSubstitution {
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
     * The next match of fail2ban's {@code TAG_CRE}, {@code <([^ <>]+)>}, starting at or after
     * {@code from}: the index of its {@code <} (the tag ends at the next {@code >}), or -1. A plain
     * scan rather than the regex: this runs over every filter value at start-up, before the JIT has
     * compiled anything, where the regex engine costs several times more.
     */
    static int findTag(String s, int from) {
        int n = s.length();
        int i = s.indexOf('<', from);
        while (i >= 0) {
            int j = i + 1;
            while (j < n) {
                char c = s.charAt(j);
                if (c == '>' || c == '<' || c == ' ') {
                    break;
                }
                j++;
            }
            if (j < n && s.charAt(j) == '>' && j > i + 1) {
                return i;
            }
            i = j < n && s.charAt(j) == '<' ? j : s.indexOf('<', j);
        }
        return -1;
    }

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
                int at = findTag(value, 0);
                Map<String, Integer> rplc = repCounts.getOrDefault(tag, new HashMap<>());
                while (at >= 0) {
                    int end = value.indexOf('>', at) + 1;
                    String rtag = value.substring(at + 1, end - 1);
                    if (ignore.contains(rtag)) {
                        at = findTag(value, end);
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
                        at = findTag(value, end);
                        continue;
                    }
                    int start = at;
                    String needle = "<" + rtag + ">";
                    long occurrences = 0;
                    for (int k = value.indexOf(needle); k >= 0; k = value.indexOf(needle, k + needle.length())) {
                        occurrences++;
                    }
                    if (value.length() + occurrences * (repl.length() - needle.length()) > MAX_VALUE_CHARS) {
                        throw new ConfigException(null, 0, tag, "substituting <" + rtag + "> makes the value longer than "
                                + MAX_VALUE_CHARS + " characters");
                    }
                    value = value.replace(needle, repl);
                    rplc.merge(rtag, 1, Integer::sum);
                    at = findTag(value, start);
                }
                if (!orgval.equals(value)) {
                    if (findTag(value, 0) >= 0) {
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
