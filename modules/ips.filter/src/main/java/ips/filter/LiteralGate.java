package ips.filter;

import ips.filter.regex.BudgetedText;
import java.util.ArrayList;
import java.util.List;

/**
 * Which failregexes can possibly match a text: each failregex with a known set of required
 * literals ({@link ips.filter.regex.RequiredLiterals}) is only tried when one of them occurs. One
 * pass over the text with a first-character table finds them all.
 */
final class LiteralGate {
    /** Literals shorter than this are not worth gating on. */
    static final int MIN_LITERAL = 3;

    private final char[][] literals;
    private final long[] bits; // per literal: the regexes it satisfies
    /** Literal ids by a hash of their first two characters. */
    private final int[][] byPair = new int[PAIR_SLOTS][];
    private static final int PAIR_SLOTS = 1 << 12;
    /** Regexes that are always tried (no literal known, or index >= 64). */
    private final long ungated;
    private final boolean allGated;
    private final int count;

    LiteralGate(List<List<String>> perRegex) {
        count = perRegex.size();
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
        for (int i = 0; i < bits.length; i++) {
            bits[i] = b.get(i);
        }
        List<List<Integer>> tab = new ArrayList<>();
        for (int c = 0; c < PAIR_SLOTS; c++) {
            tab.add(null);
        }
        for (int i = 0; i < literals.length; i++) {
            int h = pair(literals[i][0], literals[i][1]);
            if (tab.get(h) == null) {
                tab.set(h, new ArrayList<>());
            }
            tab.get(h).add(i);
        }
        for (int c = 0; c < PAIR_SLOTS; c++) {
            byPair[c] = tab.get(c) == null ? null : tab.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
        ungated = un;
        allGated = all && count <= 64;
    }

    /** Every failregex is gated: a text with no literal can match none. */
    boolean allGated() {
        return allGated;
    }

    /** Bit i set: failregex i may match {@code t} (always set for i >= 64). */
    long candidates(BudgetedText t) {
        long found = ungated;
        int n = t.length();
        if (n < 2) {
            return found;
        }
        char next = t.at(0);
        for (int i = 0; i < n - 1; i++) {
            char c = next;
            next = t.at(i + 1);
            int[] ids = byPair[pair(c, next)];
            if (ids == null) {
                continue;
            }
            for (int id : ids) {
                if ((found & bits[id]) == bits[id]) {
                    continue;
                }
                char[] l = literals[id];
                if (i + l.length > n) {
                    continue;
                }
                int k = 0;
                while (k < l.length && t.at(i + k) == l[k]) {
                    k++;
                }
                if (k == l.length) {
                    found |= bits[id];
                }
            }
        }
        return found;
    }

    private static int pair(char a, char b) {
        return ((a * 0x9E37) ^ (b * 0x85EB)) & (PAIR_SLOTS - 1);
    }

    /** May failregex {@code i} match, given {@link #candidates}? */
    static boolean may(long candidates, int i) {
        return i >= 64 || (candidates & (1L << i)) != 0;
    }
}
