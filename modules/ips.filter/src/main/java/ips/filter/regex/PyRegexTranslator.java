package ips.filter.regex;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Translates a Python 3.11 {@code re} pattern (as fail2ban compiles it) into an equivalent {@code
 * java.util.regex} pattern, to be compiled with {@link #JAVA_FLAGS} (plus {@code MULTILINE} when
 * fail2ban compiles it multi-line).
 *
 * <p>What differs and how it is bridged:
 *
 * <ul>
 *   <li>Group names: Python allows {@code alt_user1}, Java only letters and digits. Every named group
 *       gets the Java name {@code n<i>}; {@link Translation#names()} keeps the Python names.
 *   <li>{@code (?P<name>…)}, {@code (?P=name)}, numbered back-references (renumbered).
 *   <li>Conditionals {@code (?(g)yes|no)}: Java has none. Group {@code g} gets an empty marker group
 *       at its end; the conditional becomes {@code (?:\k<m>yes|(?!\k<m>)no)}: a back-reference to a
 *       group that did not participate fails in Java, and one to an empty group matches empty.
 *   <li>{@code {,m}}, a {@code {} that is no quantifier, {@code [} and {@code &} inside a class,
 *       {@code ]} first in a class, {@code \Z}, {@code \v}, {@code \b} in a class, octal escapes.
 *   <li>Unicode classes: Python's {@code \d \w \s} on {@code str} are Unicode; they are spelled out
 *       explicitly ({@code \s} includes {@code \x1c-\x1f} as in Python). With {@code asciiInput} the
 *       pattern is only ever run on ASCII text, so ASCII spellings are exact and faster.
 *   <li>Multi-line {@code ^} matches after a final {@code \n} in Python but not in Java: it becomes
 *       {@code (?<![^\n])}.
 * </ul>
 */
public final class PyRegexTranslator {
    /** Flags every translated pattern is compiled with: {@code .} and {@code $} see only {@code \n}. */
    public static final int JAVA_FLAGS = java.util.regex.Pattern.UNIX_LINES;

    private static final String U_SPACE =
            "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
    private static final String A_SPACE = "\\t-\\r\\x1c-\\x20";
    private static final String U_WORD = "\\p{L}\\p{N}_";
    private static final String A_WORD = "a-zA-Z0-9_";
    private static final String U_DIGIT = "\\p{Nd}";
    private static final String A_DIGIT = "0-9";

    /**
     * The translated pattern.
     *
     * @param java the Java regex text
     * @param names Python group names, in order of definition
     * @param javaGroups the Java group number of each name (parallel to {@code names})
     * @param groupCount number of Java capturing groups
     */
    public record Translation(String java, List<String> names, int[] javaGroups, int groupCount) {
        /** Java group number for a Python group name, or -1. */
        public int group(String name) {
            int i = names.indexOf(name);
            return i < 0 ? -1 : javaGroups[i];
        }
    }

    private final String src;
    private final boolean multiline;
    private boolean ascii;
    private final boolean asciiInput;
    private final StringBuilder out = new StringBuilder();
    private int pos;
    private int pyGroups;
    private int javaGroups;
    private final List<String> names = new ArrayList<>();
    private final List<Integer> nameGroups = new ArrayList<>();
    private final Map<Integer, Integer> pyToJava = new HashMap<>();
    private final Map<String, Integer> nameToPy = new HashMap<>();
    /** Python groups (by number or name) a conditional tests. */
    private final Set<String> condTargets = new HashSet<>();
    /** Marker group name per Python group number. */
    private final Map<Integer, String> markers = new HashMap<>();
    private int markerCount;
    private final Deque<Frame> stack = new ArrayDeque<>();

    private static final class Frame {
        final int pyGroup; // > 0 for a capturing group
        final String condMarker; // non-null for a conditional
        boolean condBar;

        Frame(int pyGroup, String condMarker) {
            this.pyGroup = pyGroup;
            this.condMarker = condMarker;
        }
    }

    private PyRegexTranslator(String src, boolean multiline, boolean asciiInput) {
        this.src = src;
        this.multiline = multiline;
        this.asciiInput = asciiInput;
    }

    /**
     * Translates {@code python}.
     *
     * @param multiline fail2ban compiled it with {@code re.MULTILINE}
     * @param asciiInput the pattern will only see ASCII text (use ASCII classes, exact there)
     * @throws PatternSyntaxException when Python would reject the pattern in a way we detect
     */
    public static Translation translate(String python, boolean multiline, boolean asciiInput) {
        PyRegexTranslator t = new PyRegexTranslator(python, multiline, asciiInput);
        t.scanConditionals();
        t.run();
        int[] g = new int[t.nameGroups.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = t.nameGroups.get(i);
        }
        return new Translation(t.out.toString(), List.copyOf(t.names), g, t.javaGroups);
    }

    private PatternSyntaxException error(String what) {
        return new PatternSyntaxException(what, src, Math.min(pos, src.length()));
    }

    /** Finds every {@code (?(x)} so the groups they test get marker groups. */
    private void scanConditionals() {
        int i = 0;
        while ((i = src.indexOf("(?(", i)) >= 0) {
            if (!escaped(i)) {
                int e = src.indexOf(')', i + 3);
                if (e > 0) {
                    condTargets.add(src.substring(i + 3, e));
                }
            }
            i += 3;
        }
    }

    private boolean escaped(int i) {
        int n = 0;
        while (i - 1 - n >= 0 && src.charAt(i - 1 - n) == '\\') {
            n++;
        }
        return (n & 1) == 1;
    }

    private void run() {
        ascii = asciiInput;
        int n = src.length();
        while (pos < n) {
            char c = src.charAt(pos);
            switch (c) {
                case '\\' -> escapeOutside();
                case '[' -> charClass();
                case '(' -> open();
                case ')' -> close();
                case '|' -> bar();
                case '{' -> brace();
                case '}' -> {
                    out.append("\\}");
                    pos++;
                }
                case '^' -> {
                    out.append(multiline ? "(?<![^\\n])" : "^");
                    pos++;
                }
                default -> {
                    out.append(c);
                    pos++;
                }
            }
        }
        if (!stack.isEmpty()) {
            throw error("missing ), unterminated subpattern");
        }
    }

    private void bar() {
        Frame f = stack.peek();
        if (f != null && f.condMarker != null) {
            if (f.condBar) {
                throw error("conditional backref with more than two branches");
            }
            f.condBar = true;
            out.append(")|(?!\\k<").append(f.condMarker).append(">)(?:");
        } else {
            out.append('|');
        }
        pos++;
    }

    private void brace() {
        // Python: {m}, {m,}, {,n}, {m,n} are quantifiers; anything else is a literal '{'.
        int i = pos + 1;
        int n = src.length();
        int loStart = i;
        while (i < n && isDigit(src.charAt(i))) {
            i++;
        }
        String lo = src.substring(loStart, i);
        String hi;
        boolean comma = false;
        if (i < n && src.charAt(i) == ',') {
            comma = true;
            i++;
            int hs = i;
            while (i < n && isDigit(src.charAt(i))) {
                i++;
            }
            hi = src.substring(hs, i);
        } else {
            hi = lo;
        }
        if (i < n && src.charAt(i) == '}' && !(lo.isEmpty() && !comma)) {
            out.append('{').append(lo.isEmpty() ? "0" : lo);
            if (comma) {
                out.append(',').append(hi);
            }
            out.append('}');
            pos = i + 1;
        } else {
            out.append("\\{");
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void open() {
        int n = src.length();
        if (pos + 1 < n && src.charAt(pos + 1) == '?') {
            if (pos + 2 >= n) {
                throw error("unexpected end of pattern");
            }
            char k = src.charAt(pos + 2);
            switch (k) {
                case 'P' -> {
                    if (pos + 3 < n && src.charAt(pos + 3) == '<') {
                        int e = src.indexOf('>', pos + 4);
                        if (e < 0) {
                            throw error("missing >, unterminated name");
                        }
                        String name = src.substring(pos + 4, e);
                        checkName(name);
                        if (nameToPy.containsKey(name)) {
                            throw error("redefinition of group name '" + name + "'");
                        }
                        int py = ++pyGroups;
                        int jv = ++javaGroups;
                        pyToJava.put(py, jv);
                        nameToPy.put(name, py);
                        names.add(name);
                        nameGroups.add(jv);
                        out.append("(?<n").append(names.size() - 1).append('>');
                        stack.push(new Frame(py, null));
                        pos = e + 1;
                        return;
                    }
                    if (pos + 3 < n && src.charAt(pos + 3) == '=') {
                        int e = src.indexOf(')', pos + 4);
                        if (e < 0) {
                            throw error("missing ), unterminated name");
                        }
                        String name = src.substring(pos + 4, e);
                        Integer py = nameToPy.get(name);
                        if (py == null) {
                            throw error("unknown group name '" + name + "'");
                        }
                        out.append("(?:\\").append(pyToJava.get(py)).append(')');
                        pos = e + 1;
                        return;
                    }
                    throw error("unknown extension ?P");
                }
                case ':', '=', '!', '>' -> {
                    out.append("(?").append(k);
                    stack.push(new Frame(0, null));
                    pos += 3;
                }
                case '<' -> {
                    if (pos + 3 < n && (src.charAt(pos + 3) == '=' || src.charAt(pos + 3) == '!')) {
                        out.append("(?<").append(src.charAt(pos + 3));
                        stack.push(new Frame(0, null));
                        pos += 4;
                        return;
                    }
                    throw error("unknown extension ?<");
                }
                case '#' -> {
                    int e = src.indexOf(')', pos + 3);
                    if (e < 0) {
                        throw error("missing ), unterminated comment");
                    }
                    pos = e + 1;
                }
                case '(' -> conditional();
                default -> flags();
            }
            return;
        }
        int py = ++pyGroups;
        int jv = ++javaGroups;
        pyToJava.put(py, jv);
        out.append('(');
        stack.push(new Frame(py, null));
        pos++;
    }

    private static void checkName(String name) {
        if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
            throw new PatternSyntaxException("bad character in group name '" + name + "'", name, 0);
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                throw new PatternSyntaxException("bad character in group name '" + name + "'", name, i);
            }
        }
    }

    private void conditional() {
        int e = src.indexOf(')', pos + 3);
        if (e < 0) {
            throw error("missing ), unterminated name");
        }
        String ref = src.substring(pos + 3, e);
        Integer py;
        if (!ref.isEmpty() && ref.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            py = ref.length() > 6 ? 0 : Integer.parseInt(ref);
            if (py == 0 || py > pyGroups + 1000) {
                throw error("bad group number");
            }
        } else {
            py = nameToPy.get(ref);
            if (py == null) {
                throw error("unknown group name '" + ref + "'");
            }
        }
        String marker = markers.get(py);
        if (marker == null) {
            // the group is defined later (or is still open): Python tests it as unset there
            marker = "m" + (markerCount++);
            markers.put(py, marker);
            // a marker defined nowhere would not compile: define it as a group that never matches
            out.append("(?:(?!)(?<").append(marker).append(">))?");
            javaGroups++;
        }
        out.append("(?:\\k<").append(marker).append(">(?:");
        stack.push(new Frame(0, marker));
        pos = e + 1;
    }

    private void flags() {
        int n = src.length();
        int i = pos + 2;
        StringBuilder on = new StringBuilder();
        StringBuilder off = new StringBuilder();
        boolean minus = false;
        while (i < n) {
            char c = src.charAt(i);
            if (c == ')' || c == ':') {
                break;
            }
            if (c == '-') {
                minus = true;
            } else if ("aiLmsux".indexOf(c) >= 0) {
                if (c == 'a') {
                    if (!minus) {
                        ascii = true;
                    }
                } else if (c == 'u' || c == 'L') {
                    // Unicode is the default for str patterns; locale makes no sense here
                } else {
                    (minus ? off : on).append(c == 'i' ? "iu" : String.valueOf(c));
                }
            } else {
                throw error("unknown flag");
            }
            i++;
        }
        if (i >= n) {
            throw error("missing -, : or )");
        }
        char end = src.charAt(i);
        out.append("(?").append(on);
        if (!off.isEmpty()) {
            out.append('-').append(off);
        }
        if (end == ':') {
            out.append(':');
            stack.push(new Frame(0, null));
        } else {
            out.append(')');
        }
        pos = i + 1;
    }

    private void close() {
        Frame f = stack.poll();
        if (f == null) {
            throw error("unbalanced parenthesis");
        }
        if (f.condMarker != null) {
            out.append(')');
            if (!f.condBar) {
                out.append("|(?!\\k<").append(f.condMarker).append(">)");
            }
            out.append(')');
        } else {
            if (f.pyGroup > 0 && isCondTarget(f.pyGroup)) {
                String marker = markers.get(f.pyGroup);
                if (marker == null) {
                    marker = "m" + (markerCount++);
                    markers.put(f.pyGroup, marker);
                    out.append("(?<").append(marker).append(">)");
                    javaGroups++;
                }
            }
            out.append(')');
        }
        pos++;
    }

    private boolean isCondTarget(int py) {
        if (condTargets.contains(Integer.toString(py))) {
            return true;
        }
        for (Map.Entry<String, Integer> e : nameToPy.entrySet()) {
            if (e.getValue() == py && condTargets.contains(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    private String space() {
        return ascii ? A_SPACE : U_SPACE;
    }

    private String word() {
        return ascii ? A_WORD : U_WORD;
    }

    private String digit() {
        return ascii ? A_DIGIT : U_DIGIT;
    }

    private void escapeOutside() {
        int n = src.length();
        if (pos + 1 >= n) {
            throw error("bad escape (end of pattern)");
        }
        char c = src.charAt(pos + 1);
        pos += 2;
        switch (c) {
            case 'd' -> out.append('[').append(digit()).append(']');
            case 'D' -> out.append("[^").append(digit()).append(']');
            case 'w' -> out.append('[').append(word()).append(']');
            case 'W' -> out.append("[^").append(word()).append(']');
            case 's' -> out.append('[').append(space()).append(']');
            case 'S' -> out.append("[^").append(space()).append(']');
            case 'Z' -> out.append("\\z");
            case 'A', 'b', 'B' -> out.append('\\').append(c);
            default -> {
                if (c >= '1' && c <= '9') {
                    backrefOrOctal(c);
                } else {
                    literalEscape(c, false);
                }
            }
        }
    }

    private void backrefOrOctal(char first) {
        int n = src.length();
        // Python: up to 3 octal digits form an octal escape when the first is 0-7 and there are 3
        if (pos + 1 < n && isOctal(first) && isOctal(src.charAt(pos)) && isOctal(src.charAt(pos + 1))) {
            int v = (first - '0') * 64 + (src.charAt(pos) - '0') * 8 + (src.charAt(pos + 1) - '0');
            if (v > 0377) {
                throw error("octal escape value outside of range 0-0o377");
            }
            pos += 2;
            appendCodePoint(v);
            return;
        }
        int g = first - '0';
        if (pos < n && isDigit(src.charAt(pos))) {
            g = g * 10 + (src.charAt(pos) - '0');
            pos++;
        }
        Integer j = pyToJava.get(g);
        if (j == null) {
            throw error("invalid group reference " + g);
        }
        out.append("(?:\\").append(j).append(')');
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    private void appendCodePoint(int cp) {
        out.append("\\x{").append(Integer.toHexString(cp)).append('}');
    }

    /** An escape that stands for one character (shared by classes and the outside). */
    private void literalEscape(char c, boolean inClass) {
        int n = src.length();
        switch (c) {
            case 'n' -> out.append("\\n");
            case 't' -> out.append("\\t");
            case 'r' -> out.append("\\r");
            case 'f' -> out.append("\\f");
            case 'a' -> out.append("\\x07");
            case 'v' -> out.append("\\x0B");
            case '0' -> {
                int v = 0;
                int k = 0;
                while (k < 2 && pos < n && isOctal(src.charAt(pos))) {
                    v = v * 8 + (src.charAt(pos) - '0');
                    pos++;
                    k++;
                }
                appendCodePoint(v);
            }
            case 'x' -> {
                if (pos + 2 > n || !isHex(src, pos, 2)) {
                    throw error("incomplete escape \\x");
                }
                appendCodePoint(Integer.parseInt(src.substring(pos, pos + 2), 16));
                pos += 2;
            }
            case 'u' -> {
                if (pos + 4 > n || !isHex(src, pos, 4)) {
                    throw error("incomplete escape \\u");
                }
                appendCodePoint(Integer.parseInt(src.substring(pos, pos + 4), 16));
                pos += 4;
            }
            case 'U' -> {
                if (pos + 8 > n || !isHex(src, pos, 8)) {
                    throw error("incomplete escape \\U");
                }
                long v = Long.parseLong(src.substring(pos, pos + 8), 16);
                if (v > 0x10FFFF) {
                    throw error("bad escape \\U");
                }
                appendCodePoint((int) v);
                pos += 8;
            }
            case 'N' -> {
                int e = src.indexOf('}', pos);
                if (pos >= n || src.charAt(pos) != '{' || e < 0) {
                    throw error("missing {");
                }
                out.append("\\N").append(src, pos, e + 1);
                pos = e + 1;
            }
            default -> {
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                    throw error("bad escape \\" + c);
                }
                if (Character.isLetterOrDigit(c)) {
                    out.append(c);
                } else {
                    out.append('\\').append(c);
                }
            }
        }
    }

    private static boolean isHex(String s, int from, int len) {
        for (int i = from; i < from + len; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private void charClass() {
        int n = src.length();
        pos++;
        out.append('[');
        if (pos < n && src.charAt(pos) == '^') {
            out.append('^');
            pos++;
        }
        int start = pos;
        boolean any = false;
        while (true) {
            if (pos >= n) {
                throw error("unterminated character set");
            }
            char c = src.charAt(pos);
            if (c == ']' && pos != start) {
                out.append(']');
                pos++;
                break;
            }
            if (c == '\\') {
                if (pos + 1 >= n) {
                    throw error("bad escape (end of pattern)");
                }
                char e = src.charAt(pos + 1);
                pos += 2;
                switch (e) {
                    case 'd' -> out.append(digit());
                    case 'D' -> out.append("[^").append(digit()).append(']');
                    case 'w' -> out.append(word());
                    case 'W' -> out.append("[^").append(word()).append(']');
                    case 's' -> out.append(space());
                    case 'S' -> out.append("[^").append(space()).append(']');
                    case 'b' -> out.append("\\x08");
                    default -> {
                        if (e >= '1' && e <= '7') {
                            int v = e - '0';
                            int k = 0;
                            while (k < 2 && pos < n && isOctal(src.charAt(pos))) {
                                v = v * 8 + (src.charAt(pos) - '0');
                                pos++;
                                k++;
                            }
                            appendCodePoint(v);
                        } else {
                            literalEscape(e, true);
                        }
                    }
                }
            } else if (c == '[' || c == '&' || c == ']' || c == '^') {
                out.append('\\').append(c);
                pos++;
            } else {
                out.append(c);
                pos++;
            }
            any = true;
        }
        if (!any) {
            throw error("unterminated character set");
        }
    }
}
