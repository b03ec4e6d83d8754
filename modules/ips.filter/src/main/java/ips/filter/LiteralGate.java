package ips.filter;

import ips.filter.regex.BudgetedText;
import java.util.ArrayList;
import java.util.List;

/**
 * Which failregexes can possibly match a text: each failregex with a known set of required
 * literals ({@link ips.filter.regex.RequiredLiterals}) is only tried when one of them occurs.
 *
 * <p>One Wu-Manber pass finds them all: a window as long as the shortest literal ({@code m})
 * slides over the text, and the two characters at its end index a shift table that says how far
 * the window can jump before any literal's first {@code m} characters could end inside it. Only
 * blocks that end some literal's prefix (shift 0) are checked against the literals. With the
 * literals fail2ban's filters have (7 to 40 characters) most of a line is never read. The scan
 * stops early once every gated regex is a candidate.
 *
 * <p>A regex may also need other literals ({@link ips.filter.regex.RequiredLiterals#allOf}): up to
 * {@value #MAX_EXTRAS} of them (each at least {@value #MIN_EXTRA} characters) are then looked for
 * in the text of each line the scan lets through for it, e.g. sshd's {@code ^Received disconnect
 * from <HOST>...:\s*3: .*: Auth fail} is only tried on lines with {@code ": Auth fail"}, not on
 * every "Received disconnect from".
 */
final class LiteralGate {
    /** Literals shorter than this are not worth gating on. */
    static final int MIN_LITERAL = 3;

    /** More requirements checked per candidate regex: a search each, well below a regex's cost. */
    static final int MAX_EXTRAS = 2;
    /**
     * Shorter extra literals are not checked: words like {@code " from "} and {@code " for "} (sshd's
     * {@code Failed} and {@code Accepted} regexes) are in nearly every line that has the first
     * literal, so checking them would cost a search per line and reject nothing.
     */
    static final int MIN_EXTRA = 8;

    private final char[][] literals;
    /** Per regex (index < 64): its other requirements, each a set of literals one of which must occur. */
    private final char[][][][] extras;
    /** Per extra literal: Horspool's shift for each character below 256. */
    private final int[][][][] extraSkips;
    /** The regexes that have {@link #extras}. */
    private final long withExtras;
    private final long[] bits; // per literal: the regexes it satisfies
    private static final int SLOTS = 1 << 12;
    /** Window length: the shortest literal's. */
    private final int m;
    /** Per block hash: how far the window may move on (0: a literal prefix may end here). */
    private final byte[] shift = new byte[SLOTS];
    /** Per block hash with shift 0: the literals whose m-prefix ends with that block. */
    private final int[][] ending = new int[SLOTS][];
    /**
     * {@link #shift} and {@link #ending} for ASCII text held as bytes, by the block's two characters
     * (no hashing, and no block that merely shares a slot with a literal's stops the window; a
     * literal's block beyond ASCII cannot occur in ASCII text). Built on the first byte scan (only
     * test-filter's reader has bytes): 80 KB the daemon does not hold. A benign race may build it
     * twice; each is complete before it is published.
     */
    private static final int ASCII_SLOTS = 1 << 14;

    private record AsciiTables(byte[] shift, int[][] ending) {
    }

    private volatile AsciiTables ascii;

    private AsciiTables asciiTables() {
        AsciiTables t = ascii;
        if (t == null) {
            byte[] asciiShift = new byte[ASCII_SLOTS];
            int[][] asciiEnding = new int[ASCII_SLOTS][];
            wuManber(literals, m, asciiShift, asciiEnding, true);
            t = new AsciiTables(asciiShift, asciiEnding);
            ascii = t;
        }
        return t;
    }
    /** Regexes that are always tried (no literal known, or index >= 64). */
    private final long ungated;
    /** Every regex bit a literal can set: once all are found the scan stops. */
    private final long gatedAll;
    private final boolean allGated;
    private final boolean newlineFree;

    /** A gate on one requirement per failregex (null: none, always tried). */
    LiteralGate(List<List<String>> perRegex) {
        this(perRegex, null);
    }

    /**
     * A gate on every requirement of each failregex: per failregex null (none known) or a list of
     * requirements, the first of which the scan looks for ({@link ips.filter.regex.RequiredLiterals#allOf}).
     */
    static LiteralGate ofRequirements(List<List<List<String>>> perRegex) {
        List<List<String>> first = new ArrayList<>();
        for (List<List<String>> r : perRegex) {
            first.add(r == null ? null : r.get(0));
        }
        return new LiteralGate(first, perRegex);
    }

    private LiteralGate(List<List<String>> perRegex, List<List<List<String>>> requirements) {
        int count = perRegex.size();
        extras = new char[Math.min(count, 64)][][][];
        extraSkips = new int[extras.length][][][];
        long we = 0;
        for (int i = 0; requirements != null && i < extras.length; i++) {
            List<List<String>> r = requirements.get(i);
            List<List<String>> kept = new ArrayList<>();
            for (int j = 1; r != null && j < r.size() && kept.size() < MAX_EXTRAS; j++) {
                if (r.get(j).stream().allMatch(l -> l.length() >= MIN_EXTRA)) {
                    kept.add(r.get(j));
                }
            }
            if (kept.isEmpty()) {
                continue;
            }
            extras[i] = new char[kept.size()][][];
            extraSkips[i] = new int[kept.size()][][];
            for (int j = 0; j < kept.size(); j++) {
                List<String> alt = kept.get(j);
                extras[i][j] = new char[alt.size()][];
                extraSkips[i][j] = new int[alt.size()][];
                for (int a = 0; a < alt.size(); a++) {
                    extras[i][j][a] = alt.get(a).toCharArray();
                    extraSkips[i][j][a] = skipTable(extras[i][j][a]);
                }
            }
            we |= 1L << i;
        }
        withExtras = we;
        List<char[]> lits = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        long un = 0;
        boolean all = true;
        for (int i = 0; i < perRegex.size(); i++) {
            List<String> l = perRegex.get(i);
            if (l == null || i >= 64) {
                if (i < 64) {
                    un |= 1L << i;
                }
                all = false;
                continue;
            }
            for (String s : l) {
                int k = -1;
                for (int j = 0; j < lits.size(); j++) {
                    if (new String(lits.get(j)).equals(s)) {
                        k = j;
                    }
                }
                if (k < 0) {
                    lits.add(s.toCharArray());
                    b.add(1L << i);
                } else {
                    b.set(k, b.get(k) | (1L << i));
                }
            }
        }
        literals = lits.toArray(new char[0][]);
        bits = new long[b.size()];
        long g = 0;
        for (int i = 0; i < bits.length; i++) {
            bits[i] = b.get(i);
            g |= bits[i];
        }
        gatedAll = g;
        int min = Integer.MAX_VALUE;
        for (char[] l : literals) {
            min = Math.min(min, l.length);
        }
        m = literals.length == 0 ? 0 : Math.min(min, 100);
        wuManber(literals, m, shift, ending, false);

        ungated = un;
        allGated = all && count <= 64;
        boolean nlFree = true;
        for (char[] l : literals) {
            nlFree &= String.valueOf(l).indexOf('\n') < 0;
        }
        for (char[][][] e : extras) {
            for (int j = 0; e != null && j < e.length; j++) {
                for (char[] l : e[j]) {
                    nlFree &= String.valueOf(l).indexOf('\n') < 0;
                }
            }
        }
        newlineFree = nlFree;
    }

    /** Every failregex is gated: a text with no literal can match none. */
    boolean allGated() {
        return allGated;
    }

    /** Bit i set: failregex i may match {@code t} (always set for i >= 64). */
    long candidates(BudgetedText t) {
        return candidates(t.array(), 0, t.length());
    }

    /** No literal contains a line break, so a text's final {@code \n} never matters to the gate. */
    boolean newlineFree() {
        return newlineFree;
    }

    /** {@link #candidates(BudgetedText)} of the text {@code a[start, end)}. */
    long candidates(char[] a, int start, int end) {
        return extrasMet(scan(a, start, end), a, null, start, end);
    }

    private long scan(char[] a, int start, int end) {
        long found = ungated;
        if (m < 2 || end - start < m) {
            return found; // no literal fits (m is at least MIN_LITERAL when there are literals)
        }
        long want = found | gatedAll;
        // the tables in locals: C1, the daemon's compiler, reloads fields in every iteration
        final byte[] shift = this.shift;
        final int[][] ending = this.ending;
        final char[][] literals = this.literals;
        final long[] bits = this.bits;
        int i = start + m - 1;
        while (i < end) {
            int h = block(a[i - 1], a[i]);
            int s = shift[h];
            if (s > 0) {
                i += s;
                continue;
            }
            int[] ids = ending[h];
            if (ids != null) {
                int from = i - m + 1;
                for (int id : ids) {
                    if ((found & bits[id]) == bits[id]) {
                        continue;
                    }
                    char[] l = literals[id];
                    if (from + l.length > end) {
                        continue;
                    }
                    int k = 0;
                    while (k < l.length && a[from + k] == l[k]) {
                        k++;
                    }
                    if (k == l.length) {
                        found |= bits[id];
                    }
                }
                if (found == want) {
                    return found;
                }
            }
            i++;
        }
        return found;
    }

    /**
     * {@link #candidates(char[], int, int)} of ASCII text held as the bytes {@code a[start, end)}
     * (each byte is the character of the same value), so a line need not be widened to be gated.
     */
    long candidates(byte[] a, int start, int end) {
        return extrasMet(scan(a, start, end), null, a, start, end);
    }

    private long scan(byte[] a, int start, int end) {
        long found = ungated;
        if (m < 2 || end - start < m) {
            return found;
        }
        long want = found | gatedAll;
        AsciiTables tables = asciiTables();
        final byte[] shift = tables.shift();
        final int[][] ending = tables.ending();
        int i = start + m - 1;
        while (i < end) {
            // ASCII bytes (a byte beyond it, never passed here, would alias one: a shorter shift, no false hit)
            int h = ((a[i - 1] & 0x7f) << 7) | (a[i] & 0x7f);
            int s = shift[h];
            if (s > 0) {
                i += s;
                continue;
            }
            int[] ids = ending[h];
            if (ids != null) {
                int from = i - m + 1;
                for (int id : ids) {
                    if ((found & bits[id]) == bits[id]) {
                        continue;
                    }
                    char[] l = literals[id];
                    if (from + l.length > end) {
                        continue;
                    }
                    int k = 0;
                    while (k < l.length && a[from + k] == l[k]) {
                        k++;
                    }
                    if (k == l.length) {
                        found |= bits[id];
                    }
                }
                if (found == want) {
                    return found;
                }
            }
            i++;
        }
        return found;
    }

    /** {@code found} without the regexes whose extra requirements the text does not meet. */
    private long extrasMet(long found, char[] chars, byte[] bytes, int start, int end) {
        long check = found & withExtras;
        while (check != 0) {
            int r = Long.numberOfTrailingZeros(check);
            check &= check - 1;
            if (!hasExtras(r, chars, bytes, start, end)) {
                found &= ~(1L << r);
            }
        }
        return found;
    }

    /**
     * Every extra requirement of regex {@code r} is met in the text {@code [start, end)}, which is
     * either {@code chars} or, for ASCII text, {@code bytes} (the other one null). Few lines get
     * here (only candidates of regexes with extras), so one copy of the code reads both.
     */
    private boolean hasExtras(int r, char[] chars, byte[] bytes, int start, int end) {
        char[][][] need = extras[r];
        int[][][] skips = extraSkips[r];
        for (int j = 0; j < need.length; j++) {
            char[][] alternatives = need[j];
            boolean met = false;
            for (int k = 0; k < alternatives.length && !met; k++) {
                met = contains(chars, bytes, start, end, alternatives[k], skips[j][k]);
            }
            if (!met) {
                return false;
            }
        }
        return true;
    }

    /**
     * Horspool's search: the window's last character says how far it can move ({@link #skipTable}), so
     * with these literals (8+ characters) most of the text is never read.
     */
    private static boolean contains(char[] chars, byte[] bytes, int start, int end, char[] lit, int[] skip) {
        int m = lit.length;
        char lastChar = lit[m - 1];
        int i = start + m - 1;
        if (chars != null) {
            while (i < end) {
                char c = chars[i];
                if (c == lastChar && matchesAt(chars, i - m + 1, lit)) {
                    return true;
                }
                i += c < 256 ? skip[c] : 1;
            }
        } else {
            while (i < end) {
                int c = bytes[i] & 0xff;
                if (c == lastChar && matchesAt(bytes, i - m + 1, lit)) {
                    return true;
                }
                i += skip[c];
            }
        }
        return false;
    }

    private static boolean matchesAt(char[] a, int from, char[] lit) {
        for (int k = 0; k < lit.length - 1; k++) {
            if (a[from + k] != lit[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAt(byte[] a, int from, char[] lit) {
        for (int k = 0; k < lit.length - 1; k++) {
            if ((a[from + k] & 0xff) != lit[k]) {
                return false;
            }
        }
        return true;
    }

    /** Horspool's table: the distance from a character's last place before the end to the end, else the length. */
    private static int[] skipTable(char[] lit) {
        int m = lit.length;
        int[] t = new int[256];
        java.util.Arrays.fill(t, m);
        for (int k = 0; k < m - 1; k++) {
            if (lit[k] < 256) {
                t[lit[k]] = m - 1 - k;
            }
        }
        // a character from 256 on moves the window by 1 (chars only); one the literal has beyond 255 never matches a byte
        return t;
    }

    /**
     * Fills Wu-Manber's tables for window {@code m}: per block, how far the window may move, and
     * the literals whose m-prefix ends with it. {@code ascii}: blocks indexed by their two
     * characters ({@link #asciiBlock}), a literal's block beyond ASCII left out (it cannot occur in
     * ASCII text); else hashed ({@link #block}).
     */
    private static void wuManber(char[][] literals, int m, byte[] shift, int[][] ending, boolean ascii) {
        java.util.Arrays.fill(shift, (byte) Math.max(1, m - 1));
        List<List<Integer>> tab = new ArrayList<>();
        for (int c = 0; c < ending.length; c++) {
            tab.add(null);
        }
        for (int id = 0; id < literals.length && m >= 2; id++) {
            char[] l = literals[id];
            for (int j = 1; j < m; j++) {
                int h = blockOf(l[j - 1], l[j], ascii);
                if (h >= 0 && m - 1 - j < shift[h]) {
                    shift[h] = (byte) (m - 1 - j);
                }
            }
            int h = blockOf(l[m - 2], l[m - 1], ascii);
            if (h >= 0) {
                if (tab.get(h) == null) {
                    tab.set(h, new ArrayList<>());
                }
                tab.get(h).add(id);
            }
        }
        for (int c = 0; c < ending.length; c++) {
            ending[c] = tab.get(c) == null ? null : tab.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static int blockOf(char a, char b, boolean ascii) {
        if (!ascii) {
            return block(a, b);
        }
        return a < 0x80 && b < 0x80 ? asciiBlock(a, b) : -1;
    }

    private static int asciiBlock(char a, char b) {
        return (a << 7) | b;
    }

    private static int block(char a, char b) {
        return ((a * 0x9E37) ^ (b * 0x85EB)) & (SLOTS - 1);
    }

    /** May failregex {@code i} match, given {@link #candidates}? */
    static boolean may(long candidates, int i) {
        return i >= 64 || (candidates & (1L << i)) != 0;
    }
}
