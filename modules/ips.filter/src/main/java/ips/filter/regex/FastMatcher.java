package ips.filter.regex;

import static ips.filter.regex.FastRegex.*;

import java.util.regex.MatchResult;

/**
 * Runs a {@link FastRegex} on an ASCII {@link BudgetedText}: a recursive backtracker that recurses
 * only where it may have to come back (a choice, a group boundary, a quantifier's next try) and
 * otherwise walks the program in a loop. Its steps count against the line's budget; a search that
 * would spend more than what is left, or recurse deeper than {@link #MAX_DEPTH}, is given to {@code
 * java.util.regex} instead ({@code fallback}), which then decides exactly as before.
 */
public final class FastMatcher implements RegexMatcher {
    /** Recursion depth at which a search is handed to {@code java.util.regex}. */
    static final int MAX_DEPTH = 1000;

    private static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super("fast regex gives up", null, false, false);
        }
    }

    private final FastRegex re;
    private final int[] code;
    private final char[][] strings;
    private final int[] caps;
    private final int[] local;
    private final int[] count;
    private final int[] begin;
    private final RegexMatcher fallback;
    private RegexMatcher last;

    /**
     * Undo log of the captures and group starts set since the last choice ({@code slot >= 0}:
     * {@code caps[slot]}, else {@code local[~slot]}): a failed choice restores them, so groups
     * need no recursion of their own.
     */
    private int[] trailSlot = new int[64];
    private int[] trailOld = new int[64];
    private int trail;
    private final long[] sets;

    private char[] s;
    private int n;
    private long steps;
    private int lookBehindTo;
    private int matchEnd;
    private String text; // the matched text as a String, made on the first group() call

    /** Searches handed to java.util.regex (tests and the bench read it). */
    long fallbacks;

    FastMatcher(FastRegex re) {
        this(re, null);
    }

    FastMatcher(FastRegex re, java.util.regex.Pattern jdk) {
        this.re = re;
        this.code = re.code;
        this.strings = re.strings;
        this.sets = re.sets;
        this.caps = new int[2 * (re.groupCount + 1)];
        this.local = new int[re.groupCount + 1];
        this.count = new int[re.loops];
        this.begin = new int[re.loops];
        this.fallback = jdk == null ? null : RegexMatcher.jdk(jdk);
    }

    @Override
    public boolean search(BudgetedText t, boolean anchored) {
        if (!t.isAscii()) {
            throw new IllegalArgumentException("FastMatcher runs on ASCII text only");
        }
        last = this;
        text = null;
        s = t.array();
        n = t.length();
        java.util.Arrays.fill(caps, -1);
        long budget = t.remaining();
        steps = budget;
        try {
            boolean found = anchored ? at(0) : find();
            t.spend(budget - steps);
            return found;
        } catch (GiveUp | StackOverflowError e) {
            if (fallback == null) {
                throw BudgetedText.BudgetExceeded.INSTANCE;
            }
            fallbacks++;
            java.util.Arrays.fill(caps, -1);
            last = fallback;
            return fallback.search(t, anchored);
        }
    }

    private boolean at(int i) {
        trail = 0;
        if (run(0, i, 0)) {
            caps[0] = i;
            caps[1] = matchEnd;
            return true;
        }
        undo(0);
        return false;
    }

    private void set(int slot, int value) {
        int t = trail;
        if (t == trailSlot.length) {
            trailSlot = java.util.Arrays.copyOf(trailSlot, t * 2);
            trailOld = java.util.Arrays.copyOf(trailOld, t * 2);
        }
        if (slot >= 0) {
            trailOld[t] = caps[slot];
            caps[slot] = value;
        } else {
            trailOld[t] = local[~slot];
            local[~slot] = value;
        }
        trailSlot[t] = slot;
        trail = t + 1;
    }

    private void undo(int mark) {
        for (int t = trail - 1; t >= mark; t--) {
            int slot = trailSlot[t];
            if (slot >= 0) {
                caps[slot] = trailOld[t];
            } else {
                local[~slot] = trailOld[t];
            }
        }
        trail = mark;
    }

    private boolean inSet(int set, char ch) {
        long w = ch < 64 ? sets[2 * set] : ch < 128 ? sets[2 * set + 1] : 0;
        return (w >>> (ch & 63) & 1) != 0;
    }

    private boolean find() {
        final int guard = n - re.minLength;
        final char[] s = this.s;
        if (re.startsAtBegin) {
            return guard >= 0 && at(0);
        }
        int fc = re.firstChar;
        for (int i = 0; i <= guard; i++) {
            if (fc >= 0) {
                int from = i;
                while (i <= guard && s[i] != fc) {
                    i++;
                }
                steps -= (i - from) >> 4; // the scan, cheap per character
                if (i > guard) {
                    return false;
                }
            }
            if (at(i)) {
                return true;
            }
        }
        return false;
    }

    private boolean run(int pc, int i, int depth) {
        // a call walks forward through the program (every way back is a recursion), so one step
        // per call bounds its work
        if (depth > MAX_DEPTH || --steps < 0) {
            throw GiveUp.INSTANCE;
        }
        final int[] c = code;
        final char[] s = this.s;
        final int n = this.n;
        for (;;) {
            switch (c[pc]) {
                case CHAR:
                    if (i < n && s[i] == c[pc + 1]) {
                        i++;
                        pc += 2;
                        continue;
                    }
                    return false;
                case CHARI:
                    if (i < n && lower(s[i]) == c[pc + 1]) {
                        i++;
                        pc += 2;
                        continue;
                    }
                    return false;
                case STR: {
                    char[] lit = strings[c[pc + 1]];
                    int len = lit.length;
                    if (i + len > n) {
                        return false;
                    }
                    for (int k = 0; k < len; k++) {
                        if (s[i + k] != lit[k]) {
                            return false;
                        }
                    }
                    i += len;
                    pc += 2;
                    continue;
                }
                case SET:
                    if (i < n && inSet(c[pc + 1], s[i])) {
                        i++;
                        pc += 2;
                        continue;
                    }
                    return false;
                case ANY:
                    if (i < n && s[i] != '\n') {
                        i++;
                        pc++;
                        continue;
                    }
                    return false;
                case ANYALL:
                    if (i < n) {
                        i++;
                        pc++;
                        continue;
                    }
                    return false;
                case BEGIN:
                    if (i == 0) {
                        pc++;
                        continue;
                    }
                    return false;
                case MBOL: // UnixCaret: never at the very end, else at the start or after \n
                    if (i < n && (i == 0 || s[i - 1] == '\n')) {
                        pc++;
                        continue;
                    }
                    return false;
                case DOLLAR: // UnixDollar, not multi-line: at the end or before a final \n
                    if (i == n || (i == n - 1 && s[i] == '\n')) {
                        pc++;
                        continue;
                    }
                    return false;
                case MDOLLAR:
                    if (i == n || s[i] == '\n') {
                        pc++;
                        continue;
                    }
                    return false;
                case ENDZ:
                    if (i == n) {
                        pc++;
                        continue;
                    }
                    return false;
                case WORDB:
                case NWORDB: {
                    boolean left = i > 0 && word(s[i - 1]);
                    boolean right = i < n && word(s[i]);
                    if ((left != right) == (c[pc] == WORDB)) {
                        pc++;
                        continue;
                    }
                    return false;
                }
                case SPLIT: {
                    int fs = c[pc + 3];
                    if (fs < 0 || canFollow(fs, i)) {
                        int mark = trail;
                        if (run(c[pc + 1], i, depth + 1)) {
                            return true;
                        }
                        undo(mark);
                    }
                    pc = c[pc + 2];
                    continue;
                }
                case JMP:
                    pc = c[pc + 1];
                    continue;
                case OPEN: // GroupHead: remember where the group starts, for its tail
                    set(~c[pc + 1], i);
                    pc += 2;
                    continue;
                case CLOSE: { // GroupTail: set the group (undone when backing off, see trail)
                    int g = c[pc + 1];
                    set(2 * g, local[g]);
                    set(2 * g + 1, i);
                    pc += 2;
                    continue;
                }
                case REPEAT:
                    return repeat(pc, i, depth);
                case REPEATX:
                    return repeatX(pc, i, depth);
                case LOOP:
                    return loop(pc, i, depth);
                case LOOPTAIL:
                    return loopTail(pc, i, depth);
                case LOOK:
                    if (!look(pc, i, depth)) {
                        return false;
                    }
                    pc = c[pc + 4];
                    continue;
                case BACKREF: {
                    int g = c[pc + 1];
                    int j = caps[2 * g];
                    if (j < 0) {
                        return false;
                    }
                    int len = caps[2 * g + 1] - j;
                    if (i + len > n) {
                        return false;
                    }
                    steps -= len >> 3; // the text's length, not the pattern's, bounds this compare
                    for (int k = 0; k < len; k++) {
                        if (s[i + k] != s[j + k]) {
                            return false;
                        }
                    }
                    i += len;
                    pc += 2;
                    continue;
                }
                case MATCH:
                    matchEnd = i;
                    return true;
                case SUCCEED:
                    return true;
                case SUCCEED_AT:
                    return i == lookBehindTo;
                default:
                    throw new IllegalStateException("opcode " + c[pc] + " at " + pc);
            }
        }
    }

    /** LOOP: java.util.regex's Prolog and Loop.matchInit (a quantified part that is no single character). */
    private boolean loop(int pc, int i, int depth) {
        final int[] c = code;
        int r = c[pc + 1];
        int lo = c[pc + 2];
        int hi = c[pc + 3];
        boolean lazy = c[pc + 4] != 0;
        int exit = c[pc + 5];
        int saveCount = count[r];
        int saveBegin = begin[r];
        boolean ret;
        if (0 < lo) {
            count[r] = 1;
            begin[r] = i;
            ret = run(pc + 6, i, depth + 1);
        } else if (!lazy) {
            count[r] = 1;
            begin[r] = i;
            int mark = trail;
            ret = run(pc + 6, i, depth + 1);
            if (!ret) {
                undo(mark);
                count[r] = saveCount;
                begin[r] = saveBegin;
                ret = run(exit, i, depth + 1);
            }
        } else {
            int mark = trail;
            ret = run(exit, i, depth + 1);
            if (!ret && 0 < hi) {
                undo(mark);
                count[r] = 1;
                begin[r] = i;
                ret = run(pc + 6, i, depth + 1);
            }
        }
        count[r] = saveCount;
        begin[r] = saveBegin;
        return ret;
    }

    /** LOOPTAIL: Loop.match or LazyLoop.match, after one pass of the part. */
    private boolean loopTail(int pc, int i, int depth) {
        final int[] c = code;
        int r = c[pc + 1];
        int loop = c[pc + 2];
        int lo = c[loop + 2];
        int hi = c[loop + 3];
        boolean lazy = c[loop + 4] != 0;
        int exit = c[loop + 5];
        int body = loop + 6;
        int cnt = count[r];
        int beg = begin[r];
        if (i > beg) {
            if (cnt < lo) {
                count[r] = cnt + 1;
                begin[r] = i;
                boolean b = run(body, i, depth + 1);
                count[r] = cnt;
                begin[r] = beg;
                return b;
            }
            if (lazy) {
                int mark = trail;
                if (run(exit, i, depth + 1)) {
                    return true;
                }
                undo(mark);
                if (cnt < hi) {
                    count[r] = cnt + 1;
                    begin[r] = i;
                    boolean b = run(body, i, depth + 1);
                    count[r] = cnt;
                    begin[r] = beg;
                    return b;
                }
                return false;
            }
            if (cnt < hi) {
                count[r] = cnt + 1;
                begin[r] = i;
                int mark = trail;
                boolean b = run(body, i, depth + 1);
                count[r] = cnt;
                begin[r] = beg;
                if (b) {
                    return true;
                }
                undo(mark);
            }
        }
        return run(exit, i, depth + 1);
    }

    /** LOOK: whether the look-around at {@code pc} holds at {@code i}. */
    private boolean look(int pc, int i, int depth) {
        final int[] c = code;
        int kind = c[pc + 1];
        boolean ok;
        if (kind == AHEAD || kind == NOT_AHEAD) {
            ok = run(pc + 5, i, depth + 1);
        } else {
            int min = c[pc + 2];
            int max = c[pc + 3];
            int save = lookBehindTo;
            lookBehindTo = i;
            ok = false;
            int from = Math.max(i - max, 0);
            for (int j = i - min; !ok && j >= from; j--) {
                ok = run(pc + 5, j, depth + 1);
            }
            lookBehindTo = save;
        }
        return ok != (kind == NOT_AHEAD || kind == NOT_BEHIND);
    }

    /** A quantified single character: greedy takes all it can then gives back one at a time. */
    private boolean repeat(int pc, int i, int depth) {
        final int[] c = code;
        final char[] s = this.s;
        int kind = c[pc + 1];
        int arg = c[pc + 2];
        int lo = c[pc + 3];
        int hi = c[pc + 4];
        boolean lazy = c[pc + 5] != 0;
        int follow = c[pc + 6];
        int next = pc + 7;
        int limit = hi == INF || hi > n - i ? n : i + hi;
        if (!lazy) {
            int j = i;
            switch (kind) {
                case SET: {
                    // inSet with the set's words in locals: C1 (the daemon's only compiler) keeps
                    // neither the call nor the field loads out of this loop by itself
                    final long w0 = sets[2 * arg];
                    final long w1 = sets[2 * arg + 1];
                    while (j < limit) {
                        char ch = s[j];
                        long w = ch < 64 ? w0 : ch < 128 ? w1 : 0;
                        if ((w >>> (ch & 63) & 1) == 0) {
                            break;
                        }
                        j++;
                    }
                    break;
                }
                case ANY:
                    while (j < limit && s[j] != '\n') {
                        j++;
                    }
                    break;
                case ANYALL:
                    j = limit;
                    break;
                case CHAR:
                    while (j < limit && s[j] == arg) {
                        j++;
                    }
                    break;
                default: // CHARI
                    while (j < limit && lower(s[j]) == arg) {
                        j++;
                    }
                    break;
            }
            steps -= (j - i) >> 2;
            int least = i + lo;
            if (j < least) {
                return false;
            }
            // only positions where what follows can start (canFollow, with the set's words in locals)
            int mark = trail;
            if (follow < 0) {
                for (int k = j; k >= least; k--) {
                    if (run(next, k, depth + 1)) {
                        return true;
                    }
                    undo(mark);
                }
                return false;
            }
            final int n = this.n;
            final long f0 = sets[2 * (follow >> 1)];
            final long f1 = sets[2 * (follow >> 1) + 1];
            for (int k = j; k >= least; k--) {
                if (k < n) {
                    char ch = s[k];
                    long w = ch < 64 ? f0 : ch < 128 ? f1 : 0;
                    if ((w >>> (ch & 63) & 1) == 0) {
                        continue;
                    }
                } else if ((follow & 1) == 0) {
                    continue;
                }
                if (run(next, k, depth + 1)) {
                    return true;
                }
                undo(mark);
            }
            return false;
        }
        return lazily(i, lo, hi, follow, next, kind, arg, depth);
    }

    /** A quantified single-width part with look-arounds (such as {@code (?:(?! from ).)*?}). */
    private boolean repeatX(int pc, int i, int depth) {
        final int[] c = code;
        int lo = c[pc + 1];
        int hi = c[pc + 2];
        boolean lazy = c[pc + 3] != 0;
        int next = c[pc + 4];
        int follow = c[pc + 5];
        int item = pc + 6;
        int limit = hi == INF || hi > n - i ? n : i + hi;
        if (!lazy) {
            int j = i;
            while (j < limit && run(item, j, depth + 1)) {
                j++;
            }
            int least = i + lo;
            int mark = trail;
            for (int k = j; k >= least; k--) {
                if ((follow < 0 || canFollow(follow, k)) && run(next, k, depth + 1)) {
                    return true;
                }
                undo(mark);
            }
            return false;
        }
        return lazily(i, lo, hi, follow, next, REPEATX, item, depth);
    }

    /**
     * A lazy quantifier: the least it must take, then what follows, then one more each time what
     * follows fails. {@code kind} and {@code arg}: a single character ({@link #one}), or {@code
     * REPEATX} and the part's program.
     */
    private boolean lazily(int i, int lo, int hi, int follow, int next, int kind, int arg, int depth) {
        int k = i;
        int got = 0;
        while (got < lo) {
            if (k < n && takes(kind, arg, k, depth)) {
                k++;
                got++;
            } else {
                return false;
            }
        }
        int mark = trail;
        for (;;) {
            if ((follow < 0 || canFollow(follow, k)) && run(next, k, depth + 1)) {
                return true;
            }
            undo(mark);
            if (--steps < 0) {
                throw GiveUp.INSTANCE;
            }
            if (got >= hi || k >= n || !takes(kind, arg, k, depth)) {
                return false;
            }
            k++;
            got++;
        }
    }

    private boolean takes(int kind, int arg, int k, int depth) {
        return kind == REPEATX ? run(arg, k, depth + 1) : one(kind, arg, s[k]);
    }

    /** Whether what follows a quantifier ({@code follow}: set * 2 + may end) can start at {@code k}. */
    private boolean canFollow(int follow, int k) {
        return k < n ? inSet(follow >> 1, s[k]) : (follow & 1) != 0;
    }

    private boolean one(int kind, int arg, char ch) {
        return switch (kind) {
            case SET -> inSet(arg, ch);
            case ANY -> ch != '\n';
            case ANYALL -> true;
            case CHAR -> ch == arg;
            default -> lower(ch) == arg;
        };
    }

    private static boolean word(char ch) {
        return ch == '_' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    }

    // ------------------------------------------------------------------ MatchResult
    @Override
    public MatchResult snapshot() {
        if (last != this) {
            return last.snapshot();
        }
        return new Snapshot(caps.clone(), new String(s, 0, n));
    }

    @Override
    public int start() {
        return last != this ? last.start() : caps[0];
    }

    @Override
    public int start(int group) {
        return last != this ? last.start(group) : caps[2 * check(group)];
    }

    @Override
    public int end() {
        return last != this ? last.end() : caps[1];
    }

    @Override
    public int end(int group) {
        return last != this ? last.end(group) : caps[2 * check(group) + 1];
    }

    @Override
    public String group() {
        return group(0);
    }

    @Override
    public String group(int group) {
        if (last != this) {
            return last.group(group);
        }
        int st = caps[2 * check(group)];
        return st < 0 ? null : new String(s, st, caps[2 * group + 1] - st);
    }

    @Override
    public int groupCount() {
        return re.groupCount;
    }

    private int check(int group) {
        if (group < 0 || group > re.groupCount) {
            throw new IndexOutOfBoundsException("No group " + group);
        }
        return group;
    }

    /** A finished match that outlives the matcher's next search. */
    private record Snapshot(int[] caps, String text) implements MatchResult {
        @Override
        public int start() {
            return caps[0];
        }

        @Override
        public int start(int group) {
            return caps[2 * group];
        }

        @Override
        public int end() {
            return caps[1];
        }

        @Override
        public int end(int group) {
            return caps[2 * group + 1];
        }

        @Override
        public String group() {
            return group(0);
        }

        @Override
        public String group(int group) {
            int st = caps[2 * group];
            return st < 0 ? null : text.substring(st, caps[2 * group + 1]);
        }

        @Override
        public int groupCount() {
            return caps.length / 2 - 1;
        }
    }
}
