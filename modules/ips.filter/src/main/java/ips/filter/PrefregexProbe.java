package ips.filter;

import ips.filter.regex.BudgetedText;
import ips.filter.regex.PyRegex;
import ips.filter.regex.RegexMatcher;
import ips.filter.regex.RequiredLiterals;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Whether a filter's prefregex matches a text whose search was skipped because the literal gate
 * found that no failregex can match it. fail2ban searches the prefregex on every line before its
 * failregexes, and fail2ban-regex prints how many lines it matched ({@code Prefregex: N total}),
 * so test-filter needs the answer for those lines too.
 *
 * <p>Most prefregexes, sshd's among them, have the shape {@code ^P(?P<content>.+)$} where the
 * prefix {@code P} may match nothing: on one line such a regex matches every text that is not
 * empty, which {@link #matches} then decides without a search. The others are searched, after a
 * gate on their own required literals. One instance per thread.
 */
final class PrefregexProbe {
    /** The tail of the shape: fail2ban's {@code <F-CONTENT>.+</F-CONTENT>$}, expanded. */
    private static final String CONTENT_TAIL = "(?P<content>.+)$";

    /** What a probe needs of a filter, worked out once per filter ({@link CompiledFilter#prefShape}). */
    record Shape(boolean everyNonEmptyLine, LiteralGate gate) {
        static Shape of(PyRegex pref, int maxLines) {
            List<List<String>> req = RequiredLiterals.allOf(pref.python(), LiteralGate.MIN_LITERAL);
            LiteralGate g = req == null ? null : LiteralGate.ofRequirements(java.util.Collections.singletonList(req));
            return new Shape(maxLines == 1 && matchesEveryNonEmptyLine(pref.python()), g);
        }
    }

    private final PyRegex pref;
    private final Shape shape;
    private final RegexMatcher ascii;
    private RegexMatcher unicode;
    /** Search even where the shape decides, for the groups (test-filter's {@code -v}). */
    private final boolean searchAlways;
    private RegexMatcher last;

    PrefregexProbe(CompiledFilter f, boolean searchAlways) {
        this.pref = f.pref();
        this.shape = f.prefShape();
        this.ascii = pref.asciiMatcher();
        this.searchAlways = searchAlways;
    }

    /** The prefregex matches every one-line text that is not empty, and only those. */
    boolean everyNonEmptyLine() {
        return shape.everyNonEmptyLine();
    }

    /**
     * Whether the prefregex matches {@code text} (the line, or the multi-line buffer, without its
     * date and with the final {@code \n} the matcher adds). A search that spends the text's budget
     * counts as no match.
     */
    boolean matches(BudgetedText text) {
        last = null;
        if (shape.everyNonEmptyLine() && !searchAlways) {
            return text.length() > 1;
        }
        LiteralGate g = shape.gate();
        if (g != null && g.allGated() && g.candidates(text) == 0) {
            return false;
        }
        RegexMatcher m = ascii;
        if (!text.isAscii()) {
            if (unicode == null) {
                unicode = pref.unicodeMatcher();
            }
            m = unicode;
        }
        try {
            boolean found = m.search(text, pref.anchored());
            last = found ? m : null;
            return found;
        } catch (BudgetedText.BudgetExceeded | StackOverflowError e) {
            return false;
        }
    }

    /** The last match {@link #matches} searched for and found, or null (decided by the shape). */
    java.util.regex.MatchResult lastMatch() {
        return last == null ? null : last.snapshot();
    }

    /**
     * Whether {@code python}, a prefregex as fail2ban holds it, is {@code ^P(?P<content>.+)$} with
     * a prefix {@code P} that can match the empty text wherever it stands: no alternative at its
     * top level, no anchor, word boundary or look-around (whose answer depends on the text around),
     * no conditional. Such a regex matches a one-line text (ending in {@code \n}) exactly when the
     * line is not empty: {@code P} matches nothing and {@code .+} takes the whole line, which holds
     * no line break.
     */
    static boolean matchesEveryNonEmptyLine(String python) {
        if (!python.startsWith("^") || !python.endsWith(CONTENT_TAIL)) {
            return false;
        }
        String p = python.substring(1, python.length() - CONTENT_TAIL.length());
        if (!contextFree(p)) {
            return false;
        }
        try {
            BudgetedText empty = new BudgetedText();
            empty.budget(1_000_000);
            PyRegex r = PyRegex.compilePython("(?:" + p + ")", false);
            return r.asciiMatcher().search(empty, true);
        } catch (PatternSyntaxException | BudgetedText.BudgetExceeded | StackOverflowError e) {
            return false;
        }
    }

    /** A complete regex without top-level {@code |}, anchors, boundaries, look-arounds or conditionals. */
    private static boolean contextFree(String p) {
        int depth = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= p.length() || "bBAZ".indexOf(p.charAt(i + 1)) >= 0) {
                        return false;
                    }
                    i++;
                }
                case '[' -> {
                    i = classEnd(p, i);
                    if (i < 0) {
                        return false;
                    }
                }
                case '(' -> {
                    for (String s : new String[] {"(?=", "(?!", "(?<=", "(?<!", "(?("}) {
                        if (p.startsWith(s, i)) {
                            return false;
                        }
                    }
                    depth++;
                }
                case ')' -> {
                    if (--depth < 0) {
                        return false;
                    }
                }
                case '|' -> {
                    if (depth == 0) {
                        return false;
                    }
                }
                case '^', '$' -> {
                    return false;
                }
                default -> { }
            }
        }
        return depth == 0;
    }

    /** The index of the {@code ]} that closes the class opened at {@code p[open]}, or -1. */
    private static int classEnd(String p, int open) {
        int j = open + 1;
        if (j < p.length() && p.charAt(j) == '^') {
            j++;
        }
        if (j < p.length() && p.charAt(j) == ']') {
            j++;
        }
        for (; j < p.length(); j++) {
            char c = p.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == ']') {
                return j;
            }
        }
        return -1;
    }
}
