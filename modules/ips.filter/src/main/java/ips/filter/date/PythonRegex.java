package ips.filter.date;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a Python {@code re} expression (as fail2ban builds it) with {@link java.util.regex}.
 *
 * <p>Translated: {@code (?P<name>...)} and {@code (?P=name)} (Java names allow no underscore, so every
 * group is renamed {@code gN}), {@code \Z}, {@code {,n}} and braces that are no quantifier (literal in
 * Python), {@code [} and {@code &&} inside classes (literal in Python). Python's {@code str} patterns are
 * Unicode-aware, hence {@link Pattern#UNICODE_CHARACTER_CLASS}; {@code $} and {@code .} know only
 * {@code \n}, hence {@link Pattern#UNIX_LINES}. Conditionals {@code (?(id)...)} are rejected.
 */
final class PythonRegex {

    /**
     * A translated regex, compiled with {@link java.util.regex} on first use. {@link #check}
     * compiles at once. Safe to share (a benign race builds it twice).
     */
    static final class Compiled {
        private final String java;
        private final List<String> names;
        private final String datePattern;
        private volatile Built built;

        private record Built(Pattern pattern, String[] groupNames) {
        }

        private Compiled(String java, List<String> names, String datePattern) {
            this.java = java;
            this.names = names;
            this.datePattern = datePattern;
        }

        Pattern pattern() {
            return built().pattern();
        }

        String[] groupNames() {
            return built().groupNames();
        }

        void check() throws DatePatternException {
            if (built == null) {
                built = build();
            }
        }

        private Built built() {
            Built b = built;
            if (b == null) {
                try {
                    b = build();
                } catch (DatePatternException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                built = b;
            }
            return b;
        }

        private Built build() throws DatePatternException {
            Pattern pattern;
            try {
                pattern = Pattern.compile(java, Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);
            } catch (PatternSyntaxException e) {
                throw new DatePatternException(datePattern, "regular expression does not compile: " + e.getDescription(), e);
            } catch (StackOverflowError e) {
                throw new DatePatternException(datePattern, "regular expression too deeply nested");
            }
            String[] groupNames = new String[pattern.matcher("").groupCount() + 1];
            for (Map.Entry<String, Integer> g : pattern.namedGroups().entrySet()) {
                int idx = Integer.parseInt(g.getKey().substring(1));
                groupNames[g.getValue()] = names.get(idx);
            }
            return new Built(pattern, groupNames);
        }
    }

    private PythonRegex() {
    }

    /**
     * Compiled date regexes by their Python text: every detector (each log source, the warm-up,
     * test-filter, the datepattern check) builds the same default templates, and compiling them is
     * most of a filter's start-up cost. {@link Compiled} is immutable and {@link Pattern} thread-safe.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, Compiled> CACHE =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHE_MAX = 4096;

    static Compiled compile(String python, String datePattern) throws DatePatternException {
        Compiled c = CACHE.get(python);
        if (c == null) {
            c = compileUncached(python, datePattern);
            if (CACHE.size() < CACHE_MAX) {
                CACHE.putIfAbsent(python, c);
            }
        }
        return c;
    }

    private static Compiled compileUncached(String python, String datePattern) throws DatePatternException {
        List<String> names = new ArrayList<>();
        StringBuilder out = new StringBuilder(python.length() + 16);
        int n = python.length();
        boolean inClass = false;
        int classStart = -1;
        for (int i = 0; i < n; i++) {
            char c = python.charAt(i);
            if (c == '\\') {
                if (i + 1 >= n) {
                    throw new DatePatternException(datePattern, "bad escape (end of pattern)");
                }
                char e = python.charAt(i + 1);
                if (e == 'Z' && !inClass) {
                    out.append("\\z");
                } else {
                    out.append(c).append(e);
                }
                i++;
                continue;
            }
            if (inClass) {
                if (c == ']' && i > classStart) {
                    inClass = false;
                    out.append(c);
                } else if (c == '[' || c == ']' || (c == '&' && i + 1 < n && python.charAt(i + 1) == '&')) {
                    out.append('\\').append(c);
                } else {
                    out.append(c);
                }
                continue;
            }
            switch (c) {
                case '[' -> {
                    inClass = true;
                    out.append(c);
                    int j = i + 1;
                    if (j < n && python.charAt(j) == '^') {
                        out.append('^');
                        j++;
                    }
                    classStart = j; // a ']' right here is a literal in Python
                    i = j - 1;
                }
                case '(' -> i = openGroup(python, i, out, names, datePattern);
                case '{' -> i = brace(python, i, out);
                default -> out.append(c);
            }
        }
        if (inClass) {
            throw new DatePatternException(datePattern, "unterminated character set");
        }
        return new Compiled(out.toString(), List.copyOf(names), datePattern);
    }

    private static int openGroup(String p, int i, StringBuilder out, List<String> names, String datePattern)
            throws DatePatternException {
        if (p.startsWith("(?P<", i)) {
            int close = p.indexOf('>', i + 4);
            if (close < 0) {
                throw new DatePatternException(datePattern, "missing '>' in group name");
            }
            String name = p.substring(i + 4, close);
            if (name.isEmpty() || names.contains(name)) {
                throw new DatePatternException(datePattern, "bad or redefined group name '" + name + "'");
            }
            out.append("(?<g").append(names.size()).append('>');
            names.add(name);
            return close;
        }
        if (p.startsWith("(?P=", i)) {
            int close = p.indexOf(')', i + 4);
            String name = close < 0 ? "" : p.substring(i + 4, close);
            int idx = names.indexOf(name);
            if (idx < 0) {
                throw new DatePatternException(datePattern, "unknown group name '" + name + "'");
            }
            out.append("\\k<g").append(idx).append('>');
            return close;
        }
        if (p.startsWith("(?(", i)) {
            throw new DatePatternException(datePattern, "conditional groups (?(id)...) are not supported");
        }
        if (p.startsWith("(?#", i)) {
            int close = p.indexOf(')', i);
            if (close < 0) {
                throw new DatePatternException(datePattern, "missing ), unterminated comment");
            }
            return close;
        }
        out.append('(');
        return i;
    }

    /** Python reads {m}, {m,}, {,n}, {m,n} as quantifiers and any other brace as a literal. */
    private static int brace(String p, int i, StringBuilder out) {
        int j = i + 1;
        int n = p.length();
        int lo = j;
        while (j < n && isAsciiDigit(p.charAt(j))) {
            j++;
        }
        boolean hasMin = j > lo;
        if (j < n && p.charAt(j) == '}' && hasMin) {
            out.append(p, i, j + 1);
            return j;
        }
        if (j < n && p.charAt(j) == ',') {
            int k = j + 1;
            while (k < n && isAsciiDigit(p.charAt(k))) {
                k++;
            }
            if (k < n && p.charAt(k) == '}') {
                out.append('{').append(hasMin ? p.substring(lo, j) : "0").append(p, j, k + 1);
                return k;
            }
        }
        out.append("\\{");
        return i;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
