package ips.filter.regex;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Literal text every match of a Python regex must contain: a set of strings of which at least one
 * occurs in any text the regex can match. Used to skip regexes (and whole lines) cheaply. The
 * analysis is conservative: whenever it is unsure (case-insensitive flags, verbose mode,
 * conditionals, back-references) it answers "no requirement".
 */
public final class RequiredLiterals {
    private static final java.util.regex.Pattern QUANTIFIER_BODY = java.util.regex.Pattern.compile("\\d*,?\\d*");

    private final String p;
    private int pos;
    /** Group nesting at {@link #pos}: 0 is the regex's own top-level sequence. */
    private int depth;
    /** Every requirement met in the top-level sequence (each one holds on its own), in order. */
    private final List<Set<String>> topLevel = new ArrayList<>();
    private int topLevelAlternatives;

    /** Abort: the regex is beyond this analysis. */
    private static final class Unsure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsure() {
            super(null, null, false, false);
        }
    }

    private RequiredLiterals(String p) {
        this.p = p;
    }

    /**
     * The literals one of which every match contains, each at least {@code minLength} long, or
     * null when no such set is known.
     */
    public static List<String> of(String python, int minLength) {
        List<List<String>> all = allOf(python, minLength);
        return all == null ? null : all.get(0);
    }

    /**
     * Every requirement known of the regex, each a set of literals one of which every match
     * contains, each literal at least {@code minLength} long: first the best one ({@link #of}),
     * then, when the regex is one sequence (no top-level {@code |}), the others that its
     * top-level sequence imposes, longest first, e.g. {@code ^Received disconnect from <HOST>:\s*3:
     * .*: Auth fail} needs both {@code "Received disconnect from "} and {@code ": Auth fail"}.
     * Null when nothing is known.
     */
    public static List<List<String>> allOf(String python, int minLength) {
        try {
            RequiredLiterals r = new RequiredLiterals(python);
            Set<String> s = r.alternation(minLength);
            if (r.pos != python.length() || s == null || s.isEmpty()) {
                return null;
            }
            List<List<String>> all = new ArrayList<>();
            all.add(List.copyOf(s));
            if (r.topLevelAlternatives == 1) {
                List<Set<String>> others = new ArrayList<>(r.topLevel);
                others.sort((a, b) -> Integer.compare(score(b), score(a)));
                for (Set<String> o : others) {
                    List<String> l = List.copyOf(o);
                    if (!all.contains(l)) {
                        all.add(l);
                    }
                }
            }
            return List.copyOf(all);
        } catch (RuntimeException e) { // Unsure, or input beyond the model
            return null;
        }
    }

    private Set<String> alternation(int min) {
        List<Set<String>> alts = new ArrayList<>();
        alts.add(sequence(min));
        Set<String> ex = lastSeqExact == null ? null : new LinkedHashSet<>(lastSeqExact);
        while (pos < p.length() && p.charAt(pos) == '|') {
            pos++;
            alts.add(sequence(min));
            if (ex != null && lastSeqExact != null) {
                ex.addAll(lastSeqExact);
            } else {
                ex = null;
            }
        }
        lastAltExact = ex;
        if (depth == 0) {
            topLevelAlternatives = alts.size();
        }
        Set<String> u = new LinkedHashSet<>();
        for (Set<String> a : alts) {
            if (a == null) {
                return null;
            }
            u.addAll(a);
        }
        return u;
    }

    private Set<String> lastAltExact;

    private static int score(Set<String> s) {
        if (s == null) {
            return -1;
        }
        int m = Integer.MAX_VALUE;
        for (String x : s) {
            m = Math.min(m, x.length());
        }
        return m * 8 - s.size();
    }

    /** The last group parsed was purely literal: its exact texts (else null). */
    private Set<String> lastExact;

    private Set<String> sequence(int min) {
        Set<String> best = null;
        Set<String> run = new LinkedHashSet<>(Set.of(""));
        boolean exact = true;
        while (pos < p.length()) {
            char c = p.charAt(pos);
            if (c == '|' || c == ')') {
                break;
            }
            int atomStart = pos;
            Character lit = null;
            Set<String> group = null;
            Set<String> groupExact = null;
            boolean atomIsGroup = false;
            switch (c) {
                case '\\' -> {
                    char e = p.charAt(pos + 1);
                    pos += 2;
                    switch (e) {
                        case 'n' -> lit = null; // a line break: buffers are re-joined, so never gate across one
                        case 't' -> lit = '\t';
                        case 'r' -> lit = '\r';
                        case 'A', 'Z', 'b', 'B' -> {
                            exact = false;
                            continue; // zero-width: the run goes on
                        }
                        default -> {
                            if (Character.isLetterOrDigit(e)) {
                                if ((e >= '1' && e <= '9') || e == 'x' || e == 'u' || e == 'U' || e == '0' || e == 'N') {
                                    throw new Unsure();
                                }
                                lit = null; // \d, \s, \w ...
                            } else {
                                lit = e;
                            }
                        }
                    }
                }
                case '[' -> skipClass();
                case '.' -> pos++;
                case '^', '$' -> {
                    pos++;
                    exact = false;
                    continue;
                }
                case '(' -> {
                    atomIsGroup = true;
                    group = group(min);
                    groupExact = lastExact;
                }
                case '*', '+', '?', '{' -> throw new Unsure();
                default -> {
                    lit = c;
                    pos++;
                }
            }
            int qmin = 1;
            boolean repeated = false;
            if (pos < p.length()) {
                char q = p.charAt(pos);
                if (q == '*' || q == '?') {
                    qmin = 0;
                    repeated = q == '*';
                    pos++;
                } else if (q == '+') {
                    repeated = true;
                    pos++;
                } else if (q == '{') {
                    int e = p.indexOf('}', pos);
                    String body = e < 0 ? "" : p.substring(pos + 1, e);
                    if (e > 0 && QUANTIFIER_BODY.matcher(body).matches() && !body.isEmpty() && !body.equals(",")) {
                        int comma = body.indexOf(',');
                        String lo = comma < 0 ? body : body.substring(0, comma);
                        qmin = lo.isEmpty() ? 0 : Integer.parseInt(lo);
                        repeated = comma >= 0 || qmin > 1;
                        pos = e + 1;
                    } else if (lit == null && !atomIsGroup && atomStart == pos) {
                        throw new Unsure();
                    }
                }
                if (pos < p.length() && (p.charAt(pos) == '?' || p.charAt(pos) == '+') && (qmin != 1 || repeated)) {
                    pos++;
                }
            }
            if (qmin != 1 || repeated) {
                exact = false;
            }
            if (lit != null && qmin >= 1) {
                run = append(run, Set.of(String.valueOf(lit.charValue())));
                if (repeated) {
                    best = better(best, run, min);
                    run = new LinkedHashSet<>(Set.of(""));
                }
                continue;
            }
            if (atomIsGroup && qmin == 1 && !repeated && groupExact != null && run.size() * groupExact.size() <= 16) {
                run = append(run, groupExact);
                continue;
            }
            exact = false;
            best = better(best, run, min);
            run = new LinkedHashSet<>(Set.of(""));
            if (atomIsGroup && qmin >= 1 && group != null && minLen(group) >= min) {
                if (depth == 0) {
                    topLevel.add(group);
                }
                if (score(group) > score(best)) {
                    best = group;
                }
            }
        }
        lastSeqExact = exact ? run : null;
        return better(best, run, min);
    }

    private Set<String> lastSeqExact;

    private static Set<String> append(Set<String> run, Set<String> tail) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : run) {
            for (String b : tail) {
                out.add(a + b);
            }
        }
        return out;
    }

    private static int minLen(Set<String> s) {
        int m = Integer.MAX_VALUE;
        for (String x : s) {
            m = Math.min(m, x.length());
        }
        return m;
    }

    /**
     * The better of {@code best} and {@code run} as the requirement to gate on; at the top level
     * {@code run} is also kept as a requirement of its own.
     */
    private Set<String> better(Set<String> best, Set<String> run, int min) {
        if (depth == 0 && minLen(run) >= min) {
            topLevel.add(new LinkedHashSet<>(run));
        }
        if (minLen(run) >= min && score(run) > score(best)) {
            return new LinkedHashSet<>(run);
        }
        return best;
    }

    private void skipClass() {
        pos++;
        if (p.charAt(pos) == '^') {
            pos++;
        }
        if (p.charAt(pos) == ']') {
            pos++;
        }
        while (p.charAt(pos) != ']') {
            if (p.charAt(pos) == '\\') {
                pos++;
            }
            pos++;
        }
        pos++;
    }

    /** Skips from inside a group to just after its closing parenthesis. */
    private void skipToGroupEnd() {
        int depth = 1;
        while (depth > 0) {
            char c = p.charAt(pos);
            if (c == '\\') {
                pos += 2;
                continue;
            }
            if (c == '[') {
                skipClass();
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            pos++;
        }
    }

    /** A group at {@code pos}; returns its requirement (null when none or not modelled). */
    private Set<String> group(int min) {
        pos++; // (
        boolean capture = true;
        boolean lookaround = false;
        if (p.charAt(pos) == '?') {
            char k = p.charAt(pos + 1);
            if (k == ':') {
                pos += 2;
            } else if (k == 'P' && p.charAt(pos + 2) == '<') {
                pos = p.indexOf('>', pos) + 1;
            } else if (k == '=' || k == '!') {
                pos += 2;
                lookaround = true;
            } else if (k == '<' && (p.charAt(pos + 2) == '=' || p.charAt(pos + 2) == '!')) {
                pos += 3;
                lookaround = true;
            } else if (k == '>') {
                pos += 2;
            } else if (k == '#') {
                pos = p.indexOf(')', pos) + 1;
                lastExact = null;
                return null;
            } else if (k == '(' || (k == 'P' && p.charAt(pos + 2) == '=')) {
                skipToGroupEnd();
                lastExact = null;
                return null; // conditional or named back-reference: no requirement, but go on
            } else {
                throw new Unsure(); // flags, conditionals, (?P=name)
            }
            capture = false;
        }
        depth++;
        Set<String> s = alternation(min);
        depth--;
        Set<String> ex = lastAltExact;
        if (p.charAt(pos) != ')') {
            throw new Unsure();
        }
        pos++;
        lastExact = lookaround || ex == null || ex.size() > 8 ? null : ex;
        return lookaround ? null : s;
    }
}
