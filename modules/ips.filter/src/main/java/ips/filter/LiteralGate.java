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
 */
final class LiteralGate {
    /** Literals shorter than this are not worth gating on. */
    static final int MIN_LITERAL = 3;

    private final char[][] literals;
    private final long[] bits; // per literal: the regexes it satisfies
    private static final int SLOTS = 1 << 12;
    /** Window length: the shortest literal's. */
    private final int m;
    /** Per block hash: how far the window may move on (0: a literal prefix may end here). */
    private final byte[] shift = new byte[SLOTS];
    /** Per block hash with shift 0: the literals whose m-prefix ends with that block. */
    private final int[][] ending = new int[SLOTS][];
    /** Regexes that are always tried (no literal known, or index >= 64). */
    private final long ungated;
    /** Every regex bit a literal can set: once all are found the scan stops. */
    private final long gatedAll;
    private final boolean allGated;
    private final boolean newlineFree;

    LiteralGate(List<List<String>> perRegex) {
        int count = perRegex.size();
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
        java.util.Arrays.fill(shift, (byte) Math.max(1, m - 1));
        List<List<Integer>> tab = new ArrayList<>();
        for (int c = 0; c < SLOTS; c++) {
            tab.add(null);
        }
        for (int id = 0; id < literals.length; id++) {
            char[] l = literals[id];
            for (int j = 1; j < m; j++) {
                int h = block(l[j - 1], l[j]);
                int sh = m - 1 - j;
                if (sh < shift[h]) {
                    shift[h] = (byte) sh;
                }
            }
            int h = block(l[m - 2], l[m - 1]);
            if (tab.get(h) == null) {
                tab.set(h, new ArrayList<>());
            }
            tab.get(h).add(id);
        }
        for (int c = 0; c < SLOTS; c++) {
            ending[c] = tab.get(c) == null ? null : tab.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
        ungated = un;
        allGated = all && count <= 64;
        boolean nlFree = true;
        for (char[] l : literals) {
            for (char c : l) {
                if (c == '\n') {
                    nlFree = false;
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
        long found = ungated;
        if (m < 2 || end - start < m) {
            return found; // no literal fits (m is at least MIN_LITERAL when there are literals)
        }
        long want = found | gatedAll;
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
        long found = ungated;
        if (m < 2 || end - start < m) {
            return found;
        }
        long want = found | gatedAll;
        int i = start + m - 1;
        while (i < end) {
            int h = block((char) a[i - 1], (char) a[i]);
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

    private static int block(char a, char b) {
        return ((a * 0x9E37) ^ (b * 0x85EB)) & (SLOTS - 1);
    }

    /** May failregex {@code i} match, given {@link #candidates}? */
    static boolean may(long candidates, int i) {
        return i >= 64 || (candidates & (1L << i)) != 0;
    }
}
