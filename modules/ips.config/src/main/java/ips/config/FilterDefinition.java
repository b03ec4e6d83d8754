package ips.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A filter as fail2ban's FilterReader hands it to the server: every value resolved
 * ({@code %(...)s} interpolation, [Init] and per-use parameters, {@code <tag>} substitution), with
 * the regex-engine tags ({@code <HOST>}, {@code <F-USER>}, ...) left for the filter engine.
 *
 * @param name        the filter's name ("sshd"), without parameters
 * @param prefregex   the prefix regex, or null when unset or empty (fail2ban treats empty as none)
 * @param failregex   one regex per non-empty line of {@code failregex}, in order
 * @param ignoreregex one regex per non-empty line of {@code ignoreregex}, in order
 * @param datepattern the date pattern as written (may hold several lines), or null when unset
 * @param maxlines    {@code maxlines}, 1 when unset or not a number
 * @param journalmatch one entry per non-empty line of {@code journalmatch} (see {@link #journalMatchGroups()})
 * @param options     every resolved [Definition] and [Init] value (including {@code known/...} copies)
 */
public record FilterDefinition(String name, String prefregex, List<String> failregex, List<String> ignoreregex,
        String datepattern, int maxlines, List<String> journalmatch, Map<String, String> options) {

    public FilterDefinition {
        failregex = List.copyOf(failregex);
        ignoreregex = List.copyOf(ignoreregex);
        journalmatch = List.copyOf(journalmatch);
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }

    /**
     * The journal matches as fail2ban's {@code addjournalmatch} receives them: each line split like
     * {@code shlex.split} into terms (terms of one line are ANDed; lines are ORed).
     */
    public List<List<String>> journalMatchGroups() {
        List<List<String>> out = new ArrayList<>();
        for (String line : journalmatch) {
            out.add(Shlex.split(line));
        }
        return out;
    }

    /** The {@code usedns} the filter asks for, or null. */
    public String usedns() {
        return options.get("usedns");
    }
}
