package ips.filter.regex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled backtracking program for the ASCII form of a translated pattern ({@link
 * PyRegexTranslator}), run by {@link FastMatcher} on ASCII text only. It takes the same path
 * through the text as {@code java.util.regex} (alternatives in order, greedy and lazy
 * quantifiers, captures restored when backtracking, the same {@code ^ $ \b} under {@code
 * UNIX_LINES}), so it finds the same match and groups; it is just cheaper per step: one {@code
 * switch} over an {@code int[]} program on a {@code char[]} instead of a graph of node objects
 * reading the text through {@code CharSequence.charAt}.
 *
 * <p>Only what the translator produces for fail2ban's filters is compiled: literals, classes
 * (with nested unions), {@code .}, anchors, {@code \b \B}, capturing and non-capturing groups,
 * alternation, greedy and lazy quantifiers, look-ahead and look-behind without captures,
 * back-references, scoped flags {@code i u s m d}. {@link #compile} returns null for anything
 * else (possessive or atomic groups, {@code \p{..}}, intersections, a quantified part that can
 * match empty, case-insensitive non-ASCII…): such a pattern stays with {@code java.util.regex}.
 */
public final class FastRegex {
    // opcodes
    static final int CHAR = 1, CHARI = 2, STR = 3, SET = 4, ANY = 5, ANYALL = 6;
    static final int BEGIN = 10, MBOL = 11, DOLLAR = 12, MDOLLAR = 13, ENDZ = 14, WORDB = 15, NWORDB = 16;
    static final int SPLIT = 20, JMP = 21, OPEN = 22, CLOSE = 23;
    static final int REPEAT = 30, REPEATX = 31, LOOP = 32, LOOPTAIL = 33;
    static final int LOOK = 40, BACKREF = 41;
    static final int MATCH = 50, SUCCEED = 51, SUCCEED_AT = 52;
    // LOOK kinds
    static final int AHEAD = 0, NOT_AHEAD = 1, BEHIND = 2, NOT_BEHIND = 3;
    static final int INF = Integer.MAX_VALUE;
    /** Quantifiers up to this count are written out instead of looped, if that stays short. */
    static final int UNROLL = 8;
    static final int UNROLLED_SIZE = 1200;

    final int[] code;
    final char[][] strings;
    final long[] sets;
    final int groupCount;
    final int loops;
    /** The first instruction's literal character (case-sensitive), or -1: where a search may start. */
    final int firstChar;
    final boolean startsAtBegin;
    final int minLength;

    private FastRegex(int[] code, char[][] strings, long[] sets, int groupCount, int loops, int minLength) {
        this.code = code;
        this.strings = strings;
        this.sets = sets;
        this.groupCount = groupCount;
        this.loops = loops;
        this.minLength = minLength;
        int op = code[0];
        this.firstChar = op == CHAR ? code[1] : op == STR ? strings[code[1]][0] : -1;
        this.startsAtBegin = op == BEGIN;
    }

    /**
     * Compiles {@code javaPattern} (with {@code java.util.regex.Pattern} flags) or returns null when
     * it uses something this engine does not run exactly as {@code java.util.regex} does.
     */
    public static FastRegex compile(String javaPattern, int flags) {
        int known = java.util.regex.Pattern.UNIX_LINES | java.util.regex.Pattern.MULTILINE
                | java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE
                | java.util.regex.Pattern.DOTALL;
        if ((flags & ~known) != 0 || (flags & java.util.regex.Pattern.UNIX_LINES) == 0) {
            return null;
        }
        try {
            Parser p = new Parser(javaPattern, flags);
            Node root = p.parse();
            Emitter e = new Emitter();
            e.emit(root);
            e.op(MATCH);
            e.follows();
            return new FastRegex(e.code.toArray(), e.strings.toArray(new char[0][]), e.sets(), p.groups, e.loops,
                    root.min);
        } catch (Unsupported u) {
            return null;
        }
    }

    /** A new matcher (its state is per thread). */
    public FastMatcher matcher() {
        return new FastMatcher(this);
    }

    // ---------------------------------------------------------------------------------------
    /** Something this engine does not compile; the pattern stays with java.util.regex. */
    static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String what) {
            super(what, null, false, false);
        }
    }

    abstract static class Node {
        int min; // shortest text it can match
        int max; // longest, or INF
        boolean captures; // contains a capturing group
    }

    static final class Lit extends Node {
        final char c;
        final boolean ci;

        Lit(char c, boolean ci) {
            this.c = c;
            this.ci = ci;
            min = max = 1;
        }
    }

    static final class CharSet extends Node {
        final long lo;
        final long hi;

        CharSet(long lo, long hi) {
            this.lo = lo;
            this.hi = hi;
            min = max = 1;
        }
    }

    static final class Dot extends Node {
        final boolean all;

        Dot(boolean all) {
            this.all = all;
            min = max = 1;
        }
    }

    static final class Assert extends Node {
        final int op;

        Assert(int op) {
            this.op = op;
        }
    }

    static final class Seq extends Node {
        final List<Node> items;

        Seq(List<Node> items) {
            this.items = items;
            long mn = 0;
            long mx = 0;
            for (Node n : items) {
                mn += n.min;
                mx = mx == INF || n.max == INF ? INF : mx + n.max;
                captures |= n.captures;
            }
            min = (int) Math.min(mn, INF - 1);
            max = mx >= INF ? INF : (int) mx;
        }
    }

    static final class Alt extends Node {
        final List<Node> branches;

        Alt(List<Node> branches) {
            this.branches = branches;
            min = INF;
            max = 0;
            for (Node n : branches) {
                min = Math.min(min, n.min);
                max = n.max == INF || max == INF ? INF : Math.max(max, n.max);
                captures |= n.captures;
            }
        }
    }

    static final class Group extends Node {
        final int number; // 0: non-capturing
        final Node body;

        Group(int number, Node body) {
            this.number = number;
            this.body = body;
            min = body.min;
            max = body.max;
            captures = number > 0 || body.captures;
        }
    }

    static final class Repeat extends Node {
        final Node body;
        final int lo;
        final int hi;
        final boolean lazy;

        Repeat(Node body, int lo, int hi, boolean lazy) {
            this.body = body;
            this.lo = lo;
            this.hi = hi;
            this.lazy = lazy;
            min = (int) Math.min((long) body.min * lo, INF - 1);
            max = hi == INF || body.max == INF ? (body.max == 0 ? 0 : INF) : (int) Math.min((long) body.max * hi, INF);
            captures = body.captures;
        }
    }

    static final class Look extends Node {
        final int kind;
        final Node body;

        Look(int kind, Node body) {
            this.kind = kind;
            this.body = body;
            captures = body.captures;
        }
    }

    // ---------------------------------------------------------------------------------------
    /** Java regex syntax, the subset the translator writes. */
    static final class Parser {
        private final String s;
        private int pos;
        int groups;
        private final Map<String, Integer> names = new HashMap<>();
        private final List<Object[]> namedRefs = new ArrayList<>(); // {BackRef holder, name}

        private boolean ci;
        private boolean dotall;
        private boolean multiline;

        Parser(String s, int flags) {
            this.s = s;
            this.ci = (flags & java.util.regex.Pattern.CASE_INSENSITIVE) != 0;
            this.dotall = (flags & java.util.regex.Pattern.DOTALL) != 0;
            this.multiline = (flags & java.util.regex.Pattern.MULTILINE) != 0;
        }

        Node parse() {
            for (int i = 0; i < s.length(); i++) {
                if (Character.isSurrogate(s.charAt(i))) {
                    throw new Unsupported("a supplementary character (one code point, two chars)");
                }
            }
            Node n = alternation();
            if (pos < s.length()) {
                throw new Unsupported("unexpected " + s.charAt(pos));
            }
            checkRefs(n);
            for (Object[] r : namedRefs) {
                Integer g = names.get((String) r[1]);
                if (g == null) {
                    throw new Unsupported("unknown group " + r[1]);
                }
                ((int[]) r[0])[0] = g;
            }
            return n;
        }

        /** A numbered back-reference must name a group of the pattern. */
        private void checkRefs(Node n) {
            if (n instanceof LateBackRef b && b.holder[0] > groups) {
                throw new Unsupported("back-reference to a missing group");
            } else if (n instanceof Seq q) {
                q.items.forEach(this::checkRefs);
            } else if (n instanceof Alt a) {
                a.branches.forEach(this::checkRefs);
            } else if (n instanceof Group g) {
                checkRefs(g.body);
            } else if (n instanceof Repeat r) {
                checkRefs(r.body);
            } else if (n instanceof Look l) {
                checkRefs(l.body);
            }
        }

        private boolean more() {
            return pos < s.length();
        }

        private char peek() {
            return s.charAt(pos);
        }

        private Node alternation() {
            List<Node> branches = new ArrayList<>();
            boolean saveCi = ci;
            boolean saveDotall = dotall;
            boolean saveMl = multiline;
            branches.add(sequence());
            while (more() && peek() == '|') {
                pos++;
                branches.add(sequence());
            }
            // inline flags such as (?i) last to the end of the enclosing group
            ci = saveCi;
            dotall = saveDotall;
            multiline = saveMl;
            return branches.size() == 1 ? branches.get(0) : new Alt(branches);
        }

        private Node sequence() {
            List<Node> items = new ArrayList<>();
            while (more() && peek() != '|' && peek() != ')') {
                Node atom = atom();
                if (atom == null) {
                    continue; // an inline flag group
                }
                items.add(quantified(atom));
            }
            return items.size() == 1 ? items.get(0) : new Seq(items);
        }

        private Node quantified(Node atom) {
            if (!more()) {
                return atom;
            }
            int lo;
            int hi;
            char c = peek();
            if (c == '*') {
                lo = 0;
                hi = INF;
                pos++;
            } else if (c == '+') {
                lo = 1;
                hi = INF;
                pos++;
            } else if (c == '?') {
                lo = 0;
                hi = 1;
                pos++;
            } else if (c == '{') {
                int close = s.indexOf('}', pos);
                if (close < 0) {
                    throw new Unsupported("{");
                }
                String body = s.substring(pos + 1, close);
                int comma = body.indexOf(',');
                try {
                    if (comma < 0) {
                        lo = hi = Integer.parseInt(body);
                    } else {
                        lo = Integer.parseInt(body.substring(0, comma));
                        hi = comma == body.length() - 1 ? INF : Integer.parseInt(body.substring(comma + 1));
                    }
                } catch (NumberFormatException e) {
                    throw new Unsupported("{" + body + "}");
                }
                if (lo > hi || hi == 0) {
                    throw new Unsupported("{" + body + "}");
                }
                pos = close + 1;
            } else {
                return atom;
            }
            boolean lazy = false;
            if (more() && peek() == '?') {
                lazy = true;
                pos++;
            } else if (more() && peek() == '+') {
                throw new Unsupported("possessive");
            }
            if (atom instanceof Assert || atom instanceof Look || atom instanceof LateBackRef) {
                throw new Unsupported("quantified assertion or back-reference");
            }
            if (atom.min == 0 && !(lo == 0 && hi == 1)) {
                throw new Unsupported("quantified part that can match empty");
            }
            Node inside = atom instanceof Group g ? g.body : atom;
            if (!(lo == 0 && hi == 1) && javaDeterministic(inside) && (inside.captures || containsBackRef(inside))) {
                // java.util.regex repeats a group it deems deterministic (no alternation, no
                // variable quantifier) with GroupCurly: the groups inside keep the values of
                // iterations it backs off from, and a back-reference's varying length is handled
                // its own way. Not reproduced: such a pattern is left to java.util.regex.
                throw new Unsupported("quantified fixed part with a group or a back-reference inside");
            }
            if (more() && (peek() == '*' || peek() == '+' || peek() == '?' || peek() == '{')) {
                throw new Unsupported("stacked quantifiers");
            }
            return new Repeat(atom, lo, hi, lazy);
        }

        private Node atom() {
            char c = s.charAt(pos++);
            switch (c) {
                case '(':
                    return group();
                case '[': {
                    long[] set = charClass();
                    return new CharSet(set[0], set[1]);
                }
                case '.':
                    return new Dot(dotall);
                case '^':
                    return new Assert(multiline ? MBOL : BEGIN);
                case '$':
                    return new Assert(multiline ? MDOLLAR : DOLLAR);
                case '\\':
                    return escape();
                case '*', '+', '?', '{':
                    throw new Unsupported("dangling quantifier");
                default:
                    return literal(c);
            }
        }

        private Node literal(char c) {
            if (c >= 0x80 && ci) {
                throw new Unsupported("case-insensitive non-ASCII");
            }
            if (ci && isAsciiLetter(c)) {
                return new Lit(lower(c), true);
            }
            return new Lit(c, false);
        }

        private Node group() {
            if (!more()) {
                throw new Unsupported("(");
            }
            if (peek() != '?') {
                int g = ++groups;
                Node body = alternation();
                expect(')');
                return new Group(g, body);
            }
            pos++;
            char k = s.charAt(pos++);
            switch (k) {
                case ':': {
                    Node body = alternation();
                    expect(')');
                    return new Group(0, body);
                }
                case '=', '!': {
                    Node body = alternation();
                    expect(')');
                    return look(k == '=' ? AHEAD : NOT_AHEAD, body);
                }
                case '<': {
                    char k2 = s.charAt(pos);
                    if (k2 == '=' || k2 == '!') {
                        pos++;
                        Node body = alternation();
                        expect(')');
                        return look(k2 == '=' ? BEHIND : NOT_BEHIND, body);
                    }
                    int close = s.indexOf('>', pos);
                    if (close < 0) {
                        throw new Unsupported("(?<");
                    }
                    String name = s.substring(pos, close);
                    pos = close + 1;
                    int g = ++groups;
                    names.put(name, g);
                    Node body = alternation();
                    expect(')');
                    return new Group(g, body);
                }
                default: {
                    pos--;
                    return flags();
                }
            }
        }

        private Node look(int kind, Node body) {
            if (body.captures) {
                throw new Unsupported("capture in a look-around");
            }
            if ((kind == BEHIND || kind == NOT_BEHIND) && (body.max == INF || containsBackRef(body))) {
                throw new Unsupported("unbounded look-behind");
            }
            return new Look(kind, body);
        }

        /** java.util.regex's TreeInfo.deterministic: no alternation, {@code ?} or variable count inside. */
        private static boolean javaDeterministic(Node n) {
            if (n instanceof Alt) {
                return false;
            }
            if (n instanceof Seq q) {
                return q.items.stream().allMatch(Parser::javaDeterministic);
            }
            if (n instanceof Group g) {
                return javaDeterministic(g.body);
            }
            if (n instanceof Repeat r) {
                return r.lo == r.hi && javaDeterministic(r.body);
            }
            return true; // characters, assertions, look-arounds, back-references
        }

        private static boolean containsBackRef(Node n) {
            if (n instanceof LateBackRef) {
                return true;
            }
            if (n instanceof Seq q) {
                return q.items.stream().anyMatch(Parser::containsBackRef);
            }
            if (n instanceof Alt a) {
                return a.branches.stream().anyMatch(Parser::containsBackRef);
            }
            if (n instanceof Group g) {
                return containsBackRef(g.body);
            }
            if (n instanceof Repeat r) {
                return containsBackRef(r.body);
            }
            if (n instanceof Look l) {
                return containsBackRef(l.body);
            }
            return false;
        }

        /** {@code (?flags)} or {@code (?flags:...)}; pos is after "(?". */
        private Node flags() {
            boolean on = true;
            boolean nCi = ci;
            boolean nDot = dotall;
            boolean nMl = multiline;
            while (more()) {
                char f = s.charAt(pos++);
                switch (f) {
                    case '-' -> on = false;
                    case 'i' -> nCi = on;
                    case 's' -> nDot = on;
                    case 'm' -> nMl = on;
                    case 'u' -> {
                        // Unicode case folding: on ASCII text the same as ASCII folding
                    }
                    case 'd' -> {
                        if (!on) {
                            throw new Unsupported("(?-d)");
                        }
                    }
                    case ')' -> {
                        ci = nCi;
                        dotall = nDot;
                        multiline = nMl;
                        return null;
                    }
                    case ':' -> {
                        boolean sCi = ci;
                        boolean sDot = dotall;
                        boolean sMl = multiline;
                        ci = nCi;
                        dotall = nDot;
                        multiline = nMl;
                        Node body = alternation();
                        expect(')');
                        ci = sCi;
                        dotall = sDot;
                        multiline = sMl;
                        return new Group(0, body);
                    }
                    default -> throw new Unsupported("flag " + f);
                }
            }
            throw new Unsupported("(?");
        }

        private void expect(char c) {
            if (!more() || s.charAt(pos) != c) {
                throw new Unsupported("expected " + c);
            }
            pos++;
        }

        private Node escape() {
            if (!more()) {
                throw new Unsupported("trailing \\");
            }
            char c = s.charAt(pos++);
            switch (c) {
                case 'd', 'D', 's', 'S', 'w', 'W': {
                    long[] set = predefined(c);
                    return new CharSet(set[0], set[1]);
                }
                case 'b':
                    return new Assert(WORDB);
                case 'B':
                    return new Assert(NWORDB);
                case 'A':
                    return new Assert(BEGIN);
                case 'z':
                    return new Assert(ENDZ);
                case 'Z':
                    return new Assert(DOLLAR);
                case 'k': {
                    expect('<');
                    int close = s.indexOf('>', pos);
                    if (close < 0) {
                        throw new Unsupported("\\k");
                    }
                    String name = s.substring(pos, close);
                    pos = close + 1;
                    if (ci) {
                        throw new Unsupported("case-insensitive back-reference");
                    }
                    int[] holder = new int[1];
                    namedRefs.add(new Object[] {holder, name});
                    return new LateBackRef(holder);
                }
                case '1', '2', '3', '4', '5', '6', '7', '8', '9': {
                    // Java's reading: more digits while they still name a group defined so far
                    int ref = c - '0';
                    while (more() && peek() >= '0' && peek() <= '9' && ref * 10 + (peek() - '0') <= groups) {
                        ref = ref * 10 + (s.charAt(pos++) - '0');
                    }
                    if (ci) {
                        throw new Unsupported("case-insensitive back-reference");
                    }
                    return new LateBackRef(new int[] {ref});
                }
                case 'Q': {
                    int end = s.indexOf("\\E", pos);
                    String lit = end < 0 ? s.substring(pos) : s.substring(pos, end);
                    pos = end < 0 ? s.length() : end + 2;
                    List<Node> items = new ArrayList<>();
                    for (int i = 0; i < lit.length(); i++) {
                        items.add(literal(lit.charAt(i)));
                    }
                    return items.size() == 1 ? items.get(0) : new Group(0, new Seq(items));
                }
                default:
                    return literal(escapedChar(c));
            }
        }

        /** A character escape (after the backslash); class escapes and assertions are handled by the callers. */
        private char escapedChar(char c) {
            switch (c) {
                case 't':
                    return '\t';
                case 'n':
                    return '\n';
                case 'r':
                    return '\r';
                case 'f':
                    return '\f';
                case 'a':
                    return '\u0007';
                case 'e':
                    return '\u001b';
                case 'x': {
                    if (more() && peek() == '{') {
                        int close = s.indexOf('}', pos);
                        int v = Integer.parseInt(s.substring(pos + 1, close), 16);
                        pos = close + 1;
                        if (v > 0xFFFF) {
                            throw new Unsupported("supplementary");
                        }
                        return (char) v;
                    }
                    int v = Integer.parseInt(s.substring(pos, pos + 2), 16);
                    pos += 2;
                    return (char) v;
                }
                case 'u': {
                    int v = Integer.parseInt(s.substring(pos, pos + 4), 16);
                    pos += 4;
                    if (Character.isSurrogate((char) v)) {
                        throw new Unsupported("surrogate");
                    }
                    return (char) v;
                }
                case '0': {
                    int v = 0;
                    int n = 0;
                    while (n < 3 && more() && peek() >= '0' && peek() <= '7' && v * 8 + (peek() - '0') <= 0377) {
                        v = v * 8 + (s.charAt(pos++) - '0');
                        n++;
                    }
                    if (n == 0) {
                        throw new Unsupported("\\0");
                    }
                    return (char) v;
                }
                case 'c': {
                    return (char) (s.charAt(pos++) ^ 64);
                }
                default:
                    if (isAsciiLetter(c) || (c >= '0' && c <= '9')) {
                        throw new Unsupported("escape \\" + c);
                    }
                    return c;
            }
        }

        /** {@code [...]} after the '['; returns the 128-bit membership over ASCII. */
        private long[] charClass() {
            boolean negate = false;
            if (more() && peek() == '^') {
                negate = true;
                pos++;
            }
            long lo = 0;
            long hi = 0;
            boolean first = true;
            while (true) {
                if (!more()) {
                    throw new Unsupported("unclosed class");
                }
                char c = s.charAt(pos);
                if (c == ']' && !first) {
                    pos++;
                    break;
                }
                if (c == ']') {
                    throw new Unsupported("] first in a class");
                }
                first = false;
                if (c == '&' && pos + 1 < s.length() && s.charAt(pos + 1) == '&') {
                    throw new Unsupported("class intersection");
                }
                if (c == '[') {
                    pos++;
                    long[] inner = charClass();
                    lo |= inner[0];
                    hi |= inner[1];
                    continue;
                }
                int from;
                if (c == '\\') {
                    pos++;
                    char e = s.charAt(pos++);
                    if ("dDsSwW".indexOf(e) >= 0) {
                        long[] p = predefined(e);
                        lo |= p[0];
                        hi |= p[1];
                        if (more() && peek() == '-' && pos + 1 < s.length() && s.charAt(pos + 1) != ']') {
                            throw new Unsupported("range from a class escape");
                        }
                        continue;
                    }
                    if (e == 'Q' || e == 'E' || e == 'p' || e == 'P' || e == 'b' || e == 'k') {
                        throw new Unsupported("\\" + e + " in a class");
                    }
                    from = escapedChar(e);
                } else {
                    pos++;
                    from = c;
                }
                int to = from;
                if (more() && peek() == '-' && pos + 1 < s.length() && s.charAt(pos + 1) != ']') {
                    pos++;
                    char t = s.charAt(pos++);
                    if (t == '[') {
                        throw new Unsupported("range to a class");
                    }
                    if (t == '\\') {
                        char e = s.charAt(pos++);
                        if ("dDsSwWQEpPbk".indexOf(e) >= 0) {
                            throw new Unsupported("range to \\" + e);
                        }
                        to = escapedChar(e);
                    } else {
                        to = t;
                    }
                    if (to < from) {
                        throw new Unsupported("reversed range");
                    }
                }
                if (ci && to >= 0x80) {
                    throw new Unsupported("case-insensitive non-ASCII class");
                }
                for (int ch = 0; ch < 128; ch++) {
                    boolean in = ch >= from && ch <= to;
                    if (!in && ci) {
                        int u = upper((char) ch);
                        int l = lower((char) ch);
                        in = (u >= from && u <= to) || (l >= from && l <= to);
                    }
                    if (in) {
                        if (ch < 64) {
                            lo |= 1L << ch;
                        } else {
                            hi |= 1L << (ch - 64);
                        }
                    }
                }
            }
            return negate ? new long[] {~lo, ~hi} : new long[] {lo, hi};
        }

        /** Java's {@code \d \s \w} (and negations) without UNICODE_CHARACTER_CLASS, over ASCII. */
        private static long[] predefined(char e) {
            long lo = 0;
            long hi = 0;
            for (int ch = 0; ch < 128; ch++) {
                boolean in = switch (Character.toLowerCase(e)) {
                    case 'd' -> ch >= '0' && ch <= '9';
                    case 's' -> ch == ' ' || (ch >= '\t' && ch <= '\r');
                    default -> ch == '_' || (ch >= '0' && ch <= '9') || isAsciiLetter((char) ch);
                };
                if (Character.isUpperCase(e)) {
                    in = !in;
                }
                if (in) {
                    if (ch < 64) {
                        lo |= 1L << ch;
                    } else {
                        hi |= 1L << (ch - 64);
                    }
                }
            }
            return new long[] {lo, hi};
        }
    }

    /** A back-reference by name, resolved after parsing. */
    static final class LateBackRef extends Node {
        final int[] holder;

        LateBackRef(int[] holder) {
            this.holder = holder;
            min = 0;
            max = INF;
        }
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    static char upper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }

    // ---------------------------------------------------------------------------------------
    static final class IntList {
        int[] a = new int[64];
        int n;

        int add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n] = v;
            return n++;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    static final class Emitter {
        final IntList code = new IntList();
        final List<char[]> strings = new ArrayList<>();
        final List<long[]> setList = new ArrayList<>();
        int loops;
        /** Where REPEAT and REPEATX instructions are, for {@link #follows}. */
        final List<Integer> repeats = new ArrayList<>();
        /** Where SPLIT instructions are: each gets the characters its first choice can start with. */
        final List<Integer> splits = new ArrayList<>();

        /**
         * Gives each quantifier the characters what follows it can start with (its last operand:
         * {@code set * 2 + 1 if it may also be the end}, or -1 when anything may follow), so
         * that backtracking only retries where the rest can begin.
         */
        void follows() {
            for (int at : splits) {
                long[] f = first(code.a[at + 1], 0);
                if (f != null && (f[0] != -1L || f[1] != -1L || f[2] == 0)) {
                    code.a[at + 3] = set(f[0], f[1]) * 2 + (int) f[2];
                }
            }
            for (int at : repeats) {
                boolean x = code.a[at] == REPEATX;
                long[] f = first(x ? code.a[at + 4] : at + 7, 0);
                if (f != null && (f[0] != -1L || f[1] != -1L || f[2] == 0)) {
                    code.a[at + (x ? 5 : 6)] = set(f[0], f[1]) * 2 + (int) f[2];
                }
            }
        }

        /** {lo, hi, may end} of the characters the program at {@code pc} can start with; null: any. */
        private long[] first(int pc, int depth) {
            if (depth > 40) {
                return null;
            }
            int[] c = code.a;
            switch (c[pc]) {
                case CHAR:
                    return bit(c[pc + 1]);
                case CHARI: {
                    long[] a = bit(c[pc + 1]);
                    long[] b = bit(upper((char) c[pc + 1]));
                    return new long[] {a[0] | b[0], a[1] | b[1], 0};
                }
                case STR:
                    return bit(strings.get(c[pc + 1])[0]);
                case SET: {
                    long[] st = setList.get(c[pc + 1]);
                    return new long[] {st[0], st[1], 0};
                }
                case ANY:
                    return new long[] {~(1L << '\n'), -1L, 0};
                case ANYALL:
                    return new long[] {-1L, -1L, 0};
                case DOLLAR, MDOLLAR:
                    return new long[] {1L << '\n', 0, 1};
                case ENDZ:
                    return new long[] {0, 0, 1};
                case OPEN, CLOSE:
                    return first(pc + 2, depth + 1);
                case BEGIN, MBOL, WORDB, NWORDB: // zero-width: what follows them still has to start here
                    return first(pc + 1, depth + 1);
                case LOOK:
                    return first(c[pc + 4], depth + 1);
                case JMP:
                    return first(c[pc + 1], depth + 1);
                case SPLIT:
                    return union(first(c[pc + 1], depth + 1), first(c[pc + 2], depth + 1));
                case REPEAT: {
                    int kind = c[pc + 1];
                    long[] item = switch (kind) {
                        case CHAR -> bit(c[pc + 2]);
                        case CHARI -> union(bit(c[pc + 2]), bit(upper((char) c[pc + 2])));
                        case SET -> new long[] {setList.get(c[pc + 2])[0], setList.get(c[pc + 2])[1], 0};
                        case ANY -> new long[] {~(1L << '\n'), -1L, 0};
                        default -> new long[] {-1L, -1L, 0};
                    };
                    return c[pc + 3] >= 1 ? item : union(item, first(pc + 7, depth + 1));
                }
                case LOOP: {
                    long[] body = first(pc + 6, depth + 1);
                    return c[pc + 2] >= 1 ? body : union(body, first(c[pc + 5], depth + 1));
                }
                default:
                    return null;
            }
        }

        private static long[] bit(int ch) {
            return ch < 64 ? new long[] {1L << ch, 0, 0} : ch < 128 ? new long[] {0, 1L << (ch - 64), 0} : new long[] {0, 0, 0};
        }

        private static long[] union(long[] a, long[] b) {
            return a == null || b == null ? null : new long[] {a[0] | b[0], a[1] | b[1], a[2] | b[2]};
        }

        int pc() {
            return code.n;
        }

        void op(int... v) {
            for (int x : v) {
                code.add(x);
            }
        }

        long[] sets() {
            long[] r = new long[setList.size() * 2];
            for (int i = 0; i < setList.size(); i++) {
                r[2 * i] = setList.get(i)[0];
                r[2 * i + 1] = setList.get(i)[1];
            }
            return r;
        }

        int set(long lo, long hi) {
            for (int i = 0; i < setList.size(); i++) {
                if (setList.get(i)[0] == lo && setList.get(i)[1] == hi) {
                    return i;
                }
            }
            setList.add(new long[] {lo, hi});
            return setList.size() - 1;
        }

        void emit(Node n) {
            if (n instanceof Lit l) {
                op(l.ci ? CHARI : CHAR, l.c);
            } else if (n instanceof CharSet c) {
                op(SET, set(c.lo, c.hi));
            } else if (n instanceof Dot d) {
                op(d.all ? ANYALL : ANY);
            } else if (n instanceof Assert a) {
                op(a.op);
            } else if (n instanceof Seq q) {
                emitSeq(q.items);
            } else if (n instanceof Alt a) {
                List<Integer> jumps = new ArrayList<>();
                for (int b = 0; b < a.branches.size(); b++) {
                    if (b < a.branches.size() - 1) {
                        int split = pc();
                        splits.add(split);
                        op(SPLIT, 0, 0, -1);
                        code.a[split + 1] = pc();
                        emit(a.branches.get(b));
                        jumps.add(pc());
                        op(JMP, 0);
                        code.a[split + 2] = pc();
                    } else {
                        emit(a.branches.get(b));
                    }
                }
                for (int j : jumps) {
                    code.a[j + 1] = pc();
                }
            } else if (n instanceof Group g) {
                if (g.number > 0) {
                    op(OPEN, g.number);
                    emit(g.body);
                    op(CLOSE, g.number);
                } else {
                    emit(g.body);
                }
            } else if (n instanceof Repeat r) {
                emitRepeat(r);
            } else if (n instanceof Look l) {
                int at = pc();
                op(LOOK, l.kind, l.body.min, l.body.max, 0);
                emit(l.body);
                op(l.kind == BEHIND || l.kind == NOT_BEHIND ? SUCCEED_AT : SUCCEED);
                code.a[at + 4] = pc();
            } else if (n instanceof LateBackRef b) {
                op(BACKREF, b.holder[0]);
            } else {
                throw new Unsupported(n.getClass().getSimpleName());
            }
        }

        /** Consecutive case-sensitive literals become one string. */
        private void emitSeq(List<Node> items) {
            int i = 0;
            while (i < items.size()) {
                int j = i;
                while (j < items.size() && items.get(j) instanceof Lit l && !l.ci) {
                    j++;
                }
                if (j - i >= 2) {
                    char[] lit = new char[j - i];
                    for (int k = i; k < j; k++) {
                        lit[k - i] = ((Lit) items.get(k)).c;
                    }
                    strings.add(lit);
                    op(STR, strings.size() - 1);
                    i = j;
                } else {
                    emit(items.get(i));
                    i++;
                }
            }
        }

        private static Node unwrap(Node n) {
            while (n instanceof Group g && g.number == 0) {
                n = g.body;
            }
            if (n instanceof Seq q && q.items.size() == 1) {
                return unwrap(q.items.get(0));
            }
            return n;
        }

        /** One character, possibly behind zero-width look-arounds, without captures. */
        private static boolean singleWidth(Node n) {
            n = unwrap(n);
            if (n.captures || n.min != 1 || n.max != 1) {
                return false;
            }
            if (n instanceof Lit || n instanceof CharSet || n instanceof Dot) {
                return true;
            }
            if (n instanceof Seq q) {
                for (Node x : q.items) {
                    if (!(x instanceof Look || x instanceof Assert || x.min == 1 && x.max == 1 && singleWidth(x))) {
                        return false;
                    }
                }
                return true;
            }
            return n instanceof Alt a && a.branches.stream().allMatch(Emitter::singleWidth);
        }

        private void emitRepeat(Repeat r) {
            Node body = unwrap(r.body);
            int lazy = r.lazy ? 1 : 0;
            if (body instanceof Lit || body instanceof CharSet || body instanceof Dot) {
                int kind;
                int arg = 0;
                if (body instanceof Lit l) {
                    kind = l.ci ? CHARI : CHAR;
                    arg = l.c;
                } else if (body instanceof CharSet c) {
                    kind = SET;
                    arg = set(c.lo, c.hi);
                } else {
                    kind = ((Dot) body).all ? ANYALL : ANY;
                }
                repeats.add(pc());
                op(REPEAT, kind, arg, r.lo, r.hi, lazy, -1);
                return;
            }
            if (singleWidth(body)) {
                int at = pc();
                repeats.add(at);
                op(REPEATX, r.lo, r.hi, lazy, 0, -1);
                emit(body);
                op(SUCCEED);
                code.a[at + 4] = pc();
                return;
            }
            if (r.lo == 0 && r.hi == 1) {
                // X? and X??: a choice between the part and nothing
                int split = pc();
                splits.add(split);
                op(SPLIT, 0, 0, -1);
                int bodyAt = pc();
                emit(r.body);
                int end = pc();
                code.a[split + 1] = r.lazy ? end : bodyAt;
                code.a[split + 2] = r.lazy ? bodyAt : end;
                return;
            }
            if (r.hi <= UNROLL && r.hi > 0) {
                // X{2,4} as XX(?:X(?:X)?)? (lazy: ?? each): the same choices in the same order as
                // java.util.regex's loop (its part cannot match empty), without the loop's bookkeeping
                int before = pc();
                for (int k = 0; k < r.lo; k++) {
                    emit(r.body);
                }
                List<Integer> ends = new ArrayList<>();
                for (int k = r.lo; k < r.hi; k++) {
                    int split = pc();
                    splits.add(split);
                    op(SPLIT, 0, 0, -1);
                    ends.add(split);
                    int bodyAt = pc();
                    emit(r.body);
                    code.a[split + (r.lazy ? 2 : 1)] = bodyAt;
                }
                int end = pc();
                for (int split : ends) {
                    code.a[split + (r.lazy ? 1 : 2)] = end;
                }
                if (end - before <= UNROLLED_SIZE) {
                    return;
                }
                // too long a program: back to the loop
                code.n = before;
                splits.removeIf(x -> x >= before);
                repeats.removeIf(x -> x >= before);
            }
            // the general loop: LOOP reg lo hi lazy exit, body, LOOPTAIL reg loopPc
            int reg = loops++;
            int at = pc();
            op(LOOP, reg, r.lo, r.hi, lazy, 0);
            emit(r.body);
            op(LOOPTAIL, reg, at);
            code.a[at + 5] = pc();
        }
    }
}
