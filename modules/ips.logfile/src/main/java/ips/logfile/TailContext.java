package ips.logfile;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.function.Predicate;

/** What the tails of one source share: the read buffer, the fingerprinter, counters and timings. */
final class TailContext {
    final LineReader reader;
    final HeadFingerprint fingerprint = new HeadFingerprint();
    final LogfileCounters counters;
    final Timing timing;
    /** Paths that the source follows in their own right: never drained as someone's rotated copy. */
    final Predicate<Path> followed;

    TailContext(LogfileCounters counters, Timing timing, Predicate<Path> followed, Charset encoding) {
        this.reader = new LineReader(counters, encoding);
        this.counters = counters;
        this.timing = timing;
        this.followed = followed;
    }

    /**
     * How long things wait, in nanoseconds.
     *
     * @param retireGrace how long a renamed-away or deleted file that no longer grows is still read
     *     (a daemon may write to it until it reopens its log) before it is let go
     * @param rescan how often globs are expanded again and unreadable files retried, besides the
     *     directory events that trigger it at once
     * @param checkpoint how often positions are saved when they changed
     */
    record Timing(long retireGrace, long rescan, long checkpoint) {
        static final Timing DEFAULT = new Timing(5_000_000_000L, 2_000_000_000L, 5_000_000_000L);
    }
}
