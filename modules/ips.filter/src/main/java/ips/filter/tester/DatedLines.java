package ips.filter.tester;

import ips.filter.FilterMatcher;
import ips.filter.LineDater;
import ips.filter.LineScreen;
import ips.filter.ScreenedLine;
import ips.filter.date.DateMatch;
import ips.filter.regex.BudgetedText;
import ips.filter.regex.BulkChars;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A two-stage pipeline for test-filter: a reader thread splits the log into lines and runs the date
 * detector on each (in file order, exactly once per line, as the matcher would), while the caller's
 * thread runs the regexes. The matcher gets {@link #dater()}, which replays the reader's answer for
 * the current line, so results are identical to the single-threaded run.
 *
 * <p>A batch owns the bytes it was read into: an ASCII line (nearly every log line) stays there
 * as bytes, found with one pass that looks for the line end and for non-ASCII bytes together; the
 * reader dates it and runs the literal gate on those bytes through a view, and only the matcher
 * widens it to characters, and only when the gate let it through. A non-ASCII line is decoded as
 * UTF-8 with replacement characters (Python's {@code decode('utf-8', 'replace')}) and kept as
 * characters. Lines are split on {@code \n} only.
 *
 * <p>With a {@link LineScreen}, the reader thread also does the stateless regex work of the lines
 * of a batch ({@link #screened()}) whenever the matcher thread is behind (three or more batches
 * waiting), which balances the work over both threads; the matcher does the rest itself.
 */
final class DatedLines implements AutoCloseable {
    /** Lines per batch at most. */
    private static final int LINES = 2048;
    /** Bytes a batch reads at once; a longer line grows its batch's buffer. */
    private static final int CHUNK = 1 << 18;
    private static final int BATCHES = 6;
    /** The reader screens a batch when at least this many full batches are waiting. */
    private static final int SCREEN_WHEN_WAITING = 3;
    /** The longest date head a repeated date answer is compared on. */
    private static final int HEAD = 56;

    /** When the reader leaves a batch's literal gate to the matcher thread. */
    enum GateHandOver {
        /** When the matcher had taken every earlier batch as the reader finished this one's predecessor. */
        WHEN_MATCHER_WAITS,
        /** Always (tests: the matcher's gate gives the reader's answers). */
        ALWAYS
    }

    /**
     * Which lines the caller wants: every line (fail2ban's sample tests), or fail2ban-regex's: blank
     * and comment lines skipped, and an unterminated last line left unread.
     */
    enum Mode { EVERY_LINE, SKIP_BLANK_AND_COMMENTS }

    private static final class Batch {
        byte[] bytes = new byte[CHUNK];
        /** Decoded non-ASCII lines. */
        char[] chars = new char[0];
        int charsUsed;
        final int[] start = new int[LINES];
        final int[] len = new int[LINES];
        /** The line is in {@link #chars} (decoded), not in {@link #bytes}. */
        final boolean[] decoded = new boolean[LINES];
        final int[] ds = new int[LINES];
        final int[] de = new int[LINES];
        final long[] dt = new long[LINES];
        final boolean[] dw = new boolean[LINES];
        final boolean[] found = new boolean[LINES];
        final ScreenedLine[] screened = new ScreenedLine[LINES];
        boolean screening;
        /** The reader ran the literal gate on this batch's lines; else the matcher runs it. */
        boolean gated;
        int n;
        boolean last;
        /** On the last batch: the input ended in a line without its end, left unread. */
        boolean unterminated;
        Throwable error;

        private void date(boolean f, DateMatch dm) {
            found[n] = f;
            if (f) {
                ds[n] = dm.start;
                de[n] = dm.end;
                dt[n] = dm.epochMillis;
                dw[n] = dm.wholeSeconds;
            }
        }

        void addBytes(int from, int length, boolean f, DateMatch dm) {
            start[n] = from;
            len[n] = length;
            decoded[n] = false;
            date(f, dm);
            n++;
        }

        void addChars(BudgetedText line, boolean f, DateMatch dm) {
            int l = line.length();
            if (charsUsed + l > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, charsUsed + l));
            }
            line.getChars(0, l, chars, charsUsed);
            start[n] = charsUsed;
            len[n] = l;
            decoded[n] = true;
            charsUsed += l;
            date(f, dm);
            n++;
        }
    }

    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(BATCHES);
    private final Thread reader;
    private volatile boolean closed;
    private final boolean gating;
    /** The matcher thread's own gate, for the batches the reader hands over ungated (or null). */
    private final LineScreen matcherGate;
    private final GateHandOver handOver;
    private final DateMatch gateDate = new DateMatch();
    private final boolean fullScreen;
    private Batch cur;
    private int idx;
    private int skippedPrefMatched;
    /** In a batch the reader left ungated: the lines up to here are gated ({@link #skipMissed} gates ahead). */
    private int gatedThrough;
    private final BudgetedText line = new BudgetedText();
    private final CharView charView = new CharView();
    private final AsciiView asciiView = new AsciiView();

    /** A decoded line in a batch, read in place. */
    private static final class CharView implements CharSequence {
        private char[] a;
        private int off;
        private int len;

        void set(char[] a, int off, int len) {
            this.a = a;
            this.off = off;
            this.len = len;
        }

        @Override
        public int length() {
            return len;
        }

        @Override
        public char charAt(int i) {
            if (i < 0 || i >= len) {
                throw new IndexOutOfBoundsException(i);
            }
            return a[off + i];
        }

        @Override
        public CharSequence subSequence(int s, int e) {
            return new String(a, off + s, e - s);
        }

        @Override
        public String toString() {
            return new String(a, off, len);
        }
    }

    /** An ASCII line in a batch's bytes, read in place as characters. */
    /** Longs read from byte arrays in little-endian order ({@link Reader#split}). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A_0A0A_0A0A_0A0AL;
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    static final class AsciiView implements BulkChars {
        private byte[] b;
        private int off;
        private int len;

        void set(byte[] b, int off, int len) {
            this.b = b;
            this.off = off;
            this.len = len;
        }

        @Override
        public int length() {
            return len;
        }

        @Override
        public char charAt(int i) {
            if (i < 0 || i >= len) {
                throw new IndexOutOfBoundsException(i);
            }
            return (char) b[off + i];
        }

        @Override
        public void getChars(int from, int to, char[] dst, int at) {
            if (from < 0 || to > len || from > to) {
                throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + len);
            }
            byte[] a = b;
            int base = off;
            for (int i = from; i < to; i++) {
                dst[at++] = (char) a[base + i];
            }
        }

        @Override
        public CharSequence subSequence(int s, int e) {
            return new String(b, off + s, e - s, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    DatedLines(InputStream in, LineDater detector, Mode mode) {
        this(in, detector, mode, null, null, false);
    }

    /**
     * {@code screen} null: no screening (the matcher does all the regex work). Otherwise the reader
     * runs the literal gate on every line, so the matcher skips the lines no failregex can match;
     * with {@code fullScreen} it also does the regex searches of whole batches whenever the matcher
     * is behind. {@code matcherGate}, a second screen of the same filter for the caller's thread (or
     * null), takes the literal gate over from the reader for the batches it hands out while the
     * matcher waits for work: a filter whose lines nearly all fail the gate (nginx-http-auth) leaves
     * the matcher idle and the reader with the whole scan otherwise.
     */
    DatedLines(InputStream in, LineDater detector, Mode mode, LineScreen screen, LineScreen matcherGate,
            boolean fullScreen) {
        this(in, detector, mode, screen, matcherGate, fullScreen, GateHandOver.WHEN_MATCHER_WAITS);
    }

    DatedLines(InputStream in, LineDater detector, Mode mode, LineScreen screen, LineScreen matcherGate,
            boolean fullScreen, GateHandOver handOver) {
        this(in, StandardCharsets.UTF_8, detector, mode, screen, matcherGate, fullScreen, handOver);
    }

    /**
     * As above, with the lines that are not ASCII decoded from {@code charset} (fail2ban-regex's
     * {@code -e}), which must agree with ASCII on ASCII bytes ({@link #asciiCompatible}).
     */
    DatedLines(InputStream in, java.nio.charset.Charset charset, LineDater detector, Mode mode, LineScreen screen,
            LineScreen matcherGate, boolean fullScreen, GateHandOver handOver) {
        if (!asciiCompatible(charset)) {
            throw new IllegalArgumentException(charset + " does not write ASCII as ASCII");
        }
        this.charset = charset;
        this.handOver = handOver;
        for (int i = 0; i < BATCHES; i++) {
            empty.add(new Batch());
        }
        this.gating = screen != null;
        this.matcherGate = screen == null ? null : matcherGate;
        this.fullScreen = fullScreen && screen != null;
        reader = Thread.ofPlatform().daemon().name("test-filter-reader")
                .start(() -> new Reader(in, detector, mode, screen).run());
    }

    /** Non-ASCII lines are decoded from this. */
    private final java.nio.charset.Charset charset;

    /** Every ASCII byte decodes to the same character, and no other byte to a line end. */
    static boolean asciiCompatible(java.nio.charset.Charset charset) {
        byte[] all = new byte[128];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        String ascii = new String(all, StandardCharsets.ISO_8859_1);
        if (!new String(all, charset).equals(ascii)) {
            return false;
        }
        byte[] high = new byte[128];
        for (int i = 0; i < high.length; i++) {
            high[i] = (byte) (128 + i);
        }
        return new String(high, charset).indexOf('\n') < 0;
    }

    private Batch take() throws InterruptedException {
        Batch b = empty.take();
        b.n = 0;
        b.charsUsed = 0;
        b.screening = false;
        b.gated = matcherGate == null || handOver != GateHandOver.ALWAYS;
        return b;
    }

    /** The reader thread: splits, decodes, dates and screens lines into batches. */
    private final class Reader {
        private final InputStream in;
        private final LineDater detector;
        private final Mode mode;
        private final LineScreen screen;
        private final DateMatch dm = new DateMatch();
        private final AsciiView view = new AsciiView();
        /** Non-ASCII lines (and ASCII ones the full screen searches) as characters. */
        private final BudgetedText text = new BudgetedText();
        private final CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private Batch b;
        /** The batch's bytes: [pos, lim) are read and not yet split; [pos, scan) hold no line end. */
        private int pos;
        private int scan;
        private int lim;
        /** OR of the bytes in [pos, scan): negative when the line so far has a non-ASCII byte. */
        private int hi;
        private boolean eof;
        private boolean unterminated;
        /**
         * The date detector's answer for the last line holds for the next one when that one begins
         * with the same {@code repeat} bytes, kept in {@link #head} ({@link LineDater#repeatable()}):
         * consecutive lines of a log share their date (1M bench lines have 50,074 distinct ones),
         * and comparing a few words costs less than recognising the date again.
         */
        private int repeat;
        private final byte[] head = new byte[HEAD + 8];

        Reader(InputStream in, LineDater detector, Mode mode, LineScreen screen) {
            this.in = in;
            this.detector = detector;
            this.mode = mode;
            this.screen = screen;
        }

        void run() {
            try {
                b = take();
                while (!closed && split()) {
                    // split() hands out full batches as it goes
                }
                b.last = true;
                b.unterminated = unterminated;
                full.put(b);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException | Error e) {
                if (b == null) {
                    b = new Batch();
                }
                b.error = e;
                b.last = true;
                try {
                    full.put(b);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Handles the next line (reading more when needed); false at the end of the input. */
        private boolean split() throws IOException, InterruptedException {
            byte[] a = b.bytes;
            int i = scan;
            int h = hi;
            int end = lim;
            // eight bytes at a time: a word without a line end only adds its high bits to h
            long high = 0;
            while (i + 8 <= end) {
                long w = (long) LONGS.get(a, i);
                long x = w ^ NEWLINES;
                long zero = (x - ONES) & ~x & HIGH_BITS; // lowest set bit: the first '\n'
                if (zero != 0) {
                    int nl = i + firstMarked(zero);
                    while (i < nl) {
                        h |= a[i++];
                    }
                    break;
                }
                high |= w;
                i += 8;
            }
            if ((high & HIGH_BITS) != 0) {
                h |= Byte.MIN_VALUE;
            }
            while (i < end) {
                byte c = a[i];
                if (c == '\n') {
                    break;
                }
                h |= c;
                i++;
            }
            if (i < end) {
                int from = pos;
                pos = i + 1;
                scan = pos;
                hi = 0;
                line(from, i, h < 0);
                return true;
            }
            scan = i;
            hi = h;
            if (eof) {
                if (pos < lim && mode == Mode.SKIP_BLANK_AND_COMMENTS && a[lim - 1] != '\r') {
                    // fail2ban-regex reads a file line by line and waits for each line's end: an
                    // unterminated last line (one still being written) is not read at all
                    // (FileContainer.readline with waitForLineEnd, 1.0.2); a trailing '\r' ends it
                    pos = lim;
                    scan = lim;
                    hi = 0;
                    unterminated = true;
                    return false;
                }
                if (pos < lim) {
                    int from = pos;
                    pos = lim;
                    scan = lim;
                    hi = 0;
                    line(from, lim, h < 0);
                    return true;
                }
                return false;
            }
            fill();
            return true;
        }

        /**
         * The index of the lowest byte whose high bit is set in {@code marks} (only high bits set):
         * {@code numberOfTrailingZeros(marks) >>> 3} without the call it is in C1 code (a JFR hot
         * spot): the lowest mark shifted to bit 8k, times bytes 7..0, leaves k in the top byte.
         */
        private static int firstMarked(long marks) {
            return (int) ((((marks & -marks) >>> 7) * 0x0001_0203_0405_0607L) >>> 56);
        }

        /** Reads more bytes, moving the unsplit tail to a fresh batch (or the buffer's start). */
        private void fill() throws IOException, InterruptedException {
            if (lim == b.bytes.length) {
                if (b.n > 0) {
                    handOff();
                } else if (pos > 0) {
                    moveTail(b.bytes, b);
                }
                if (lim == b.bytes.length) {
                    b.bytes = Arrays.copyOf(b.bytes, b.bytes.length * 2);
                }
            }
            int n = in.read(b.bytes, lim, b.bytes.length - lim);
            if (n < 0) {
                eof = true;
            } else {
                lim += n;
            }
        }

        private void moveTail(byte[] from, Batch to) {
            int tail = lim - pos;
            if (to.bytes.length < tail) {
                to.bytes = new byte[Math.max(CHUNK, tail)];
            }
            System.arraycopy(from, pos, to.bytes, 0, tail);
            scan -= pos;
            lim = tail;
            pos = 0;
        }

        /** One line, the bytes [from, to) of the batch. */
        private void line(int from, int to, boolean nonAscii) throws IOException, InterruptedException {
            byte[] a = b.bytes;
            if (mode == Mode.SKIP_BLANK_AND_COMMENTS) {
                while (to > from && a[to - 1] == '\r') {
                    to--;
                }
                if (to == from || a[from] == '#') {
                    return;
                }
            }
            if (nonAscii) {
                decode(a, from, to);
                boolean f = detector.find(text, dm);
                repeat = 0;
                if (b.screening) {
                    b.screened[b.n] = screen.screen(text, f, dm);
                } else if (screen != null && b.gated) {
                    b.screened[b.n] = screen.gate(text, f, dm);
                }
                b.addChars(text, f, dm);
            } else {
                int n = to - from;
                view.set(a, from, n);
                boolean f;
                int r = repeat;
                if (r > 0 && n >= r && sameHead(a, from, r)) {
                    f = detector.repeat(view, dm);
                } else {
                    f = detector.find(view, dm);
                    r = f ? detector.repeatable() : 0;
                    if (r > HEAD) {
                        r = 0;
                    } else if (r > 0) {
                        System.arraycopy(a, from, head, 0, r);
                    }
                }
                repeat = r;
                if (b.screening) {
                    b.screened[b.n] = screen.screen(view, a, from, f, dm);
                } else if (screen != null && b.gated) {
                    b.screened[b.n] = screen.gate(view, a, from, f, dm);
                }
                b.addBytes(from, to - from, f, dm);
            }
            if (b.n == LINES) {
                handOff();
            }
        }

        /**
         * Queues the current batch and goes on in a fresh one, which the reader screens when the
         * matcher has fallen behind (three or more batches waiting, this one included: with two, since
         * the matcher also gates the batches it waited for, 1M sshd lines took 0.70-0.71 s against
         * 0.68 s, 3 batches of 6-8 runs alternated).
         */
        private void handOff() throws InterruptedException {
            Batch next = take();
            moveTail(b.bytes, next);
            boolean matcherWaits = full.isEmpty() || handOver == GateHandOver.ALWAYS;
            full.put(b);
            next.screening = fullScreen && full.size() >= SCREEN_WHEN_WAITING;
            next.gated = next.screening || matcherGate == null || !matcherWaits;
            b = next;
        }

        /** The bytes {@code a[from, from + r)} are {@link #head}'s first r. */
        private boolean sameHead(byte[] a, int from, int r) {
            byte[] h = head;
            int k = 0;
            for (; k + 8 <= r; k += 8) {
                if ((long) LONGS.get(a, from + k) != (long) LONGS.get(h, k)) {
                    return false;
                }
            }
            for (; k < r; k++) {
                if (a[from + k] != h[k]) {
                    return false;
                }
            }
            return true;
        }

        private void decode(byte[] a, int from, int to) {
            try {
                decoder.reset();
                CharBuffer cb = decoder.decode(ByteBuffer.wrap(a, from, to - from));
                text.clear().append(cb);
            } catch (java.nio.charset.CharacterCodingException e) {
                text.clear().append(new String(a, from, to - from, charset));
            }
        }
    }

    /** The next line (valid until the next call), or null at the end. */
    CharSequence next() throws IOException {
        while (true) {
            if (cur != null && idx + 1 < cur.n) {
                idx++;
                if (!cur.gated && idx > gatedThrough) {
                    gate(idx);
                }
                boolean miss = gating && ScreenedLine.missed(cur.screened[idx]);
                if (cur.decoded[idx]) {
                    if (miss) {
                        // the matcher only reads the date text of a line no regex can match
                        charView.set(cur.chars, cur.start[idx], cur.len[idx]);
                        return charView;
                    }
                    line.clear().append(cur.chars, cur.start[idx], cur.len[idx]);
                    return line;
                }
                if (miss) {
                    asciiView.set(cur.bytes, cur.start[idx], cur.len[idx]);
                    return asciiView;
                }
                line.clear().appendAscii(cur.bytes, cur.start[idx], cur.len[idx]);
                return line;
            }
            if (cur != null && cur.last) {
                if (cur.error != null) {
                    throw cur.error instanceof IOException io ? io : new IOException(cur.error);
                }
                return null;
            }
            if (cur != null) {
                cur.last = false;
                cur.unterminated = false;
                empty.add(cur);
            }
            try {
                cur = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            idx = -1;
            gatedThrough = -1;
        }
    }

    /**
     * After {@link #next()} returned null: the input ended in a line without its end, which
     * {@link Mode#SKIP_BLANK_AND_COMMENTS} leaves unread as fail2ban-regex does.
     */
    boolean leftUnterminatedLine() {
        return cur != null && cur.last && cur.unterminated;
    }

    /** Runs the literal gate on line {@code i} of a batch the reader left ungated. */
    private void gate(int i) {
        Batch c = cur;
        boolean f = c.found[i];
        if (f) {
            gateDate.start = c.ds[i];
            gateDate.end = c.de[i];
            gateDate.epochMillis = c.dt[i];
            gateDate.wholeSeconds = c.dw[i];
        }
        if (c.decoded[i]) {
            charView.set(c.chars, c.start[i], c.len[i]);
            c.screened[i] = matcherGate.gate(charView, f, gateDate);
        } else {
            asciiView.set(c.bytes, c.start[i], c.len[i]);
            c.screened[i] = matcherGate.gate(asciiView, c.bytes, c.start[i], f, gateDate);
        }
        gatedThrough = i;
    }

    /**
     * After {@link #next()} returned a line the literal gate rejects: passes over the lines right
     * after it in its batch that the gate rejects too (gating them on this thread where the reader
     * left them ungated), hands them to {@code m} in one call ({@link FilterMatcher#skipMissed}) and
     * returns how many; {@code next()} goes on after them. Each is a line no failregex can match,
     * so it only counts, and its date is the last date for the lines after it.
     */
    int skipMissed(FilterMatcher m) {
        Batch c = cur;
        skippedPrefMatched = 0;
        if (!gating || c.screening || !ScreenedLine.missed(c.screened[idx])) {
            return 0;
        }
        int j = idx + 1;
        int dated = -1;
        int prefs = 0;
        int n = c.n;
        boolean ungated = !c.gated;
        while (j < n) {
            if (ungated) {
                gate(j);
            }
            ScreenedLine s = c.screened[j];
            if (!ScreenedLine.missed(s)) {
                break;
            }
            if (s == ScreenedLine.MISS_PREF) {
                prefs++;
            }
            if (c.found[j] && c.de[j] > c.ds[j] && c.dt[j] != DateMatch.NO_TIME) {
                dated = j;
            }
            j++;
        }
        int k = j - idx - 1;
        if (k == 0) {
            return 0;
        }
        boolean lastPref = c.screened[j - 1] == ScreenedLine.MISS_PREF;
        if (dated < 0) {
            m.skipMissed(k, lastPref, null, 0, 0, 0);
        } else if (c.decoded[dated]) {
            charView.set(c.chars, c.start[dated], c.len[dated]);
            m.skipMissed(k, lastPref, charView, c.ds[dated], c.de[dated], c.dt[dated], c.dw[dated]);
        } else {
            asciiView.set(c.bytes, c.start[dated], c.len[dated]);
            m.skipMissed(k, lastPref, asciiView, c.ds[dated], c.de[dated], c.dt[dated], c.dw[dated]);
        }
        skippedPrefMatched = prefs;
        idx = j - 1;
        return k;
    }

    /**
     * How many of the lines the last {@link #skipMissed} passed over the prefregex matches ({@link
     * ScreenedLine#MISS_PREF}; with screens {@link LineScreen#countingPrefregex counting} it).
     */
    int skippedPrefMatched() {
        return skippedPrefMatched;
    }

    /** The reader thread's screening of the current line, or null (not screened). */
    ScreenedLine screened() {
        return gating || cur.screening ? cur.screened[idx] : null;
    }

    /** Replays the reader thread's date answer for the current line. */
    LineDater dater() {
        return (text, out) -> {
            if (!cur.found[idx]) {
                return false;
            }
            out.start = cur.ds[idx];
            out.end = cur.de[idx];
            out.epochMillis = cur.dt[idx];
            out.wholeSeconds = cur.dw[idx];
            return true;
        };
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
    }
}
