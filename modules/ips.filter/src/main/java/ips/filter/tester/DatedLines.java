package ips.filter.tester;

import ips.filter.LineDater;
import ips.filter.LineScreen;
import ips.filter.ScreenedLine;
import ips.filter.date.DateMatch;
import ips.filter.regex.BudgetedText;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A two-stage pipeline for test-filter: a reader thread splits the log into lines and runs the date
 * detector on each (in file order, exactly once per line, as the matcher would), while the caller's
 * thread runs the regexes. The matcher gets {@link #dater()}, which replays the reader's answer for
 * the current line, so results are identical to the single-threaded run.
 *
 * <p>With a {@link LineScreen}, the reader thread also does the stateless regex work of the lines
 * of a batch ({@link #screened()}) whenever the matcher thread is behind (two or more batches
 * waiting), which balances the work over both threads; the matcher does the rest itself.
 */
final class DatedLines implements AutoCloseable {
    private static final int BATCH = 1024;
    private static final int BATCHES = 6;
    /** The reader screens a batch when at least this many full batches are waiting. */
    private static final int SCREEN_WHEN_WAITING = 2;

    /** Which lines the caller wants (fail2ban-regex skips blank and comment lines). */
    enum Mode { EVERY_LINE, SKIP_BLANK_AND_COMMENTS }

    private static final class Batch {
        char[] chars = new char[BATCH * 128];
        int used;
        final int[] start = new int[BATCH];
        final int[] len = new int[BATCH];
        final int[] ds = new int[BATCH];
        final int[] de = new int[BATCH];
        final long[] dt = new long[BATCH];
        final boolean[] found = new boolean[BATCH];
        final ScreenedLine[] screened = new ScreenedLine[BATCH];
        boolean screening;
        int n;
        boolean last;
        Throwable error;

        void add(CharSequence line, boolean f, DateMatch dm) {
            int l = line.length();
            if (used + l > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, used + l));
            }
            if (line instanceof BudgetedText bt) {
                bt.getChars(0, l, chars, used);
            } else {
                for (int i = 0; i < l; i++) {
                    chars[used + i] = line.charAt(i);
                }
            }
            start[n] = used;
            len[n] = l;
            found[n] = f;
            if (f) {
                ds[n] = dm.start;
                de[n] = dm.end;
                dt[n] = dm.epochMillis;
            }
            used += l;
            n++;
        }
    }

    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(BATCHES);
    private final Thread reader;
    private volatile boolean closed;
    private final boolean gating;
    private final boolean fullScreen;
    private Batch cur;
    private int idx;
    private final BudgetedText line = new BudgetedText();
    private final CharView view = new CharView();

    /** A line in a batch, read in place. */
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

    DatedLines(InputStream in, LineDater detector, Mode mode) {
        this(in, detector, mode, null, false);
    }

    /**
     * {@code screen} null: no screening (the matcher does all the regex work). Otherwise the reader
     * runs the literal gate on every line, so the matcher skips the lines no failregex can match;
     * with {@code fullScreen} it also does the regex searches of whole batches whenever the matcher
     * is behind.
     */
    DatedLines(InputStream in, LineDater detector, Mode mode, LineScreen screen, boolean fullScreen) {
        for (int i = 0; i < BATCHES; i++) {
            empty.add(new Batch());
        }
        this.gating = screen != null;
        this.fullScreen = fullScreen && screen != null;
        reader = Thread.ofPlatform().daemon().name("test-filter-reader").start(() -> read(in, detector, mode, screen));
    }

    private Batch take() throws InterruptedException {
        Batch b = empty.take();
        b.n = 0;
        b.used = 0;
        b.screening = false;
        return b;
    }

    private void read(InputStream in, LineDater detector, Mode mode, LineScreen screen) {
        LineReader r = new LineReader(in);
        DateMatch dm = new DateMatch();
        Batch b = null;
        try {
            b = take();
            b.screening = fullScreen && full.size() >= SCREEN_WHEN_WAITING;
            CharSequence l;
            while (!closed && (l = r.next()) != null) {
                if (mode == Mode.SKIP_BLANK_AND_COMMENTS) {
                    int n = l.length();
                    while (n > 0 && (l.charAt(n - 1) == '\r' || l.charAt(n - 1) == '\n')) {
                        n--;
                    }
                    if (n == 0 || l.charAt(0) == '#') {
                        continue;
                    }
                    if (n != l.length()) {
                        l = l.subSequence(0, n);
                    }
                }
                boolean f = detector.find(l, dm);
                if (b.screening) {
                    b.screened[b.n] = screen.screen(l, f, dm);
                } else if (screen != null) {
                    b.screened[b.n] = screen.gate(l, f, dm);
                }
                b.add(l, f, dm);
                if (b.n == BATCH) {
                    full.put(b);
                    b = take();
                    b.screening = fullScreen && full.size() >= SCREEN_WHEN_WAITING;
                }
            }
            b.last = true;
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

    /** The next line (valid until the next call), or null at the end. */
    CharSequence next() throws IOException {
        while (true) {
            if (cur != null && idx + 1 < cur.n) {
                idx++;
                if (gating && cur.screened[idx] == ScreenedLine.MISS) {
                    // the matcher only reads the date text of a line no regex can match
                    view.set(cur.chars, cur.start[idx], cur.len[idx]);
                    return view;
                }
                line.clear().append(cur.chars, cur.start[idx], cur.len[idx]);
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
                empty.add(cur);
            }
            try {
                cur = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            idx = -1;
        }
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
            return true;
        };
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
    }
}
