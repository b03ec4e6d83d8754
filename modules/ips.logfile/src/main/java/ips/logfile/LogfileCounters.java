package ips.logfile;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a file source has counted, for metrics. Written by the polling thread only (a batch at a
 * time, never per line), readable from any thread.
 */
public final class LogfileCounters {
    private final AtomicLong linesRead = new AtomicLong();
    private final AtomicLong longLinesCut = new AtomicLong();
    private final AtomicLong rotationsSeen = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();

    /** Lines delivered (a cut line counts once). */
    public long linesRead() {
        return linesRead.get();
    }

    /** Lines longer than {@link #maxLineBytes()} that were delivered cut to that length. */
    public long longLinesCut() {
        return longLinesCut.get();
    }

    /** Renames, deletions and truncations (in place or copytruncate) seen, also while stopped. */
    public long rotationsSeen() {
        return rotationsSeen.get();
    }

    /** Problems reported: a path that cannot be opened or read, or is not a regular file. */
    public long readErrors() {
        return readErrors.get();
    }

    /** The longest line delivered whole, in bytes; longer lines are cut to it. */
    public static int maxLineBytes() {
        return LineReader.MAX_LINE_BYTES;
    }

    void addLines(long lines, long cut) {
        if (lines != 0) {
            linesRead.lazySet(linesRead.get() + lines);
        }
        if (cut != 0) {
            longLinesCut.lazySet(longLinesCut.get() + cut);
        }
    }

    void rotation() {
        rotationsSeen.lazySet(rotationsSeen.get() + 1);
    }

    void readError() {
        readErrors.lazySet(readErrors.get() + 1);
    }

    @Override
    public String toString() {
        return "lines=" + linesRead() + " cut=" + longLinesCut() + " rotations=" + rotationsSeen()
                + " readErrors=" + readErrors();
    }
}
