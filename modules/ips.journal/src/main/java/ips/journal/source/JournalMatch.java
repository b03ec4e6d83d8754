package ips.journal.source;

import java.util.ArrayList;
import java.util.List;

/**
 * fail2ban's {@code journalmatch}: each configured line is split like a shell would ({@code
 * shlex.split}); within a line, {@code +} separates groups; every group, of every line, is ORed
 * (filtersystemd.py adds a disjunction after each group). Inside a group libsystemd ANDs matches on
 * different fields and ORs matches on the same field.
 *
 * <pre>{@code _SYSTEMD_UNIT=sshd.service + _COMM=sshd}  →  [[_SYSTEMD_UNIT=sshd.service], [_COMM=sshd]]</pre>
 */
public final class JournalMatch {

    private JournalMatch() {}

    /**
     * @return the groups, each a non-empty list of {@code FIELD=value}; empty when {@code lines} has no match
     * @throws IllegalArgumentException naming the bad term (not {@code FIELD=value}, bad field name,
     *     unbalanced quote)
     */
    public static List<List<String>> parse(List<String> lines) {
        List<List<String>> groups = new ArrayList<>();
        for (String line : lines) {
            List<String> group = new ArrayList<>();
            for (String word : split(line)) {
                if (word.equals("+")) {
                    if (!group.isEmpty()) {
                        groups.add(List.copyOf(group));
                        group.clear();
                    }
                } else {
                    checkTerm(word);
                    group.add(word);
                }
            }
            if (!group.isEmpty()) {
                groups.add(List.copyOf(group));
            }
        }
        return List.copyOf(groups);
    }

    /**
     * sd_journal_add_match's rule for the field name: upper-case letters, digits and underscores, not
     * starting with a digit.
     */
    static void checkTerm(String term) {
        int eq = term.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("journalmatch term '" + term + "' is not FIELD=value");
        }
        char first = term.charAt(0);
        if (first >= '0' && first <= '9') {
            throw new IllegalArgumentException("journalmatch field in '" + term + "' starts with a digit");
        }
        for (int i = 0; i < eq; i++) {
            char c = term.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                throw new IllegalArgumentException(
                        "journalmatch field in '" + term + "' may hold only A-Z, 0-9 and _ (got '" + c + "')");
            }
        }
    }

    /** POSIX-mode {@code shlex.split}: whitespace separates, quotes group, backslash escapes outside single quotes. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && "\\\"$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                }
                inWord = true;
            } else if (c == '#' && !inWord) {
                break; // shlex comments
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("journalmatch '" + line + "' has an unclosed " + quote);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
