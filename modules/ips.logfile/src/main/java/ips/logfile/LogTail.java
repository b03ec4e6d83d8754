package ips.logfile;

import ips.api.LineSink;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Follows one path across rotations. The open channel identifies the file being read (its inode,
 * through {@link BasicFileAttributes#fileKey()}); each wake-up compares it with what the path
 * names now:
 *
 * <ul>
 *   <li><b>renamed away or deleted</b> (the path is missing): the open channel is read to its end
 *       and kept, because the writer may still append to it, until the path names a file again;
 *   <li><b>replaced</b> (rename-and-create, delete-and-create: another inode): the old channel is
 *       read to its end and retired (still read while it grows, let go after a grace time), and the
 *       new file is read from its first byte;
 *   <li><b>truncated</b> (copytruncate, or in place: same inode, smaller, or its head no longer
 *       matches the fingerprint): the lines between the cursor and the truncation are read from
 *       the rotated copy (a sibling whose name starts with this one's and whose head matches), then
 *       the file is read again from its first byte.
 * </ul>
 *
 * <p>After a restart the saved position is used only if the file's head still matches the saved
 * fingerprint; otherwise the file was rotated while stopped: the rest of the old file is read from
 * its rotated copy, then the new file from its first byte. Owns no thread.
 */
final class LogTail {
    private static final System.Logger LOG = System.getLogger("ips.logfile");

    /** Where a newly opened file starts when there is no saved position. */
    enum Start {
        /** fail2ban's {@code head}: the first byte. */
        HEAD,
        /** fail2ban's {@code tail} (the default): after the last complete line. */
        TAIL,
        /** A file that appeared while following: all of it is new, so the first byte. */
        NEW
    }

    /** Filesystem timestamps are coarse (a kernel tick): how much older than a wake-up a missed file may look. */
    private static final long MTIME_SLACK_MILLIS = 1000;
    /**
     * The same after a restart, where it is the only guard against reading an old generation again:
     * no more than the kernel's timestamp granularity (a tick, 1–10 ms).
     */
    private static final long RESTART_MTIME_SLACK_MILLIS = 20;

    private final Path path;
    private final String source;
    private final TailContext ctx;
    private Start start;
    /** A saved (or remembered) position to apply when the file is next opened. */
    private ResumeFile.Entry resume;
    /** Where another tail stopped reading this file before it was renamed to this path. */
    private ReadCursor handedOver;
    /** The old file's position when it was rotated while stopped: its copy is drained first. */
    private ResumeFile.Entry rotatedWhileStopped;

    private FileChannel channel;
    private Object key;
    private final ReadCursor cursor = new ReadCursor(0, false);
    private int headLength;
    private long headChecksum;
    private long lastSize = -1;
    private boolean gone;
    private long lastGrowth;
    private final List<Retired> retired = new ArrayList<>(2);

    /**
     * Inodes of this path's generations that were read, or were there before we started: a sibling
     * with another inode is a generation that came and went between two wake-ups.
     */
    private final Set<Object> seenKeys = new HashSet<>();
    /** Wall-clock time of the last wake-up that found the path as expected. */
    private long lastConfirmedMillis = System.currentTimeMillis();

    private String problem;
    private long retryAt;

    /** A rotated-away file still read while it grows. */
    private static final class Retired {
        final FileChannel channel;
        final Object key;
        final ReadCursor cursor;
        long lastSize;
        long lastGrowth;

        Retired(FileChannel channel, Object key, ReadCursor cursor, long now) {
            this.channel = channel;
            this.key = key;
            this.cursor = cursor;
            this.lastSize = -1;
            this.lastGrowth = now;
        }
    }

    LogTail(Path path, Start start, ResumeFile.Entry resume, TailContext ctx) {
        this.path = path;
        this.source = path.toString();
        this.start = start;
        this.resume = resume;
        this.ctx = ctx;
    }

    Path path() {
        return path;
    }

    /** A tail for a file renamed to {@code path} from another followed path, read on from {@code cursor}. */
    static LogTail handedOver(Path path, ReadCursor cursor, TailContext ctx) {
        LogTail t = new LogTail(path, Start.NEW, null, ctx);
        t.handedOver = cursor;
        return t;
    }

    /**
     * Lets go of the file {@code key} if this tail reads it though its path names another file or
     * none (it was renamed to a path the source follows in its own right, such as {@code
     * auth.log.1} under {@code logpath = auth.log*}), and says where reading stood.
     *
     * @return the cursor in that file, or {@code null} when this tail does not hold it
     */
    ReadCursor handOver(Object key) {
        if (key == null) {
            return null;
        }
        if (channel != null && key.equals(this.key)) {
            Object now;
            try {
                now = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (IOException e) {
                now = null;
            }
            if (key.equals(now)) {
                return null; // still ours (or a hard link): not renamed
            }
            ReadCursor at = cursor.copy();
            closeQuietly(channel);
            channel = null;
            gone = false;
            start = Start.NEW;
            resume = null;
            cursor.reset();
            headLength = 0;
            headChecksum = 0;
            ctx.counters.rotation();
            return at;
        }
        for (Iterator<Retired> it = retired.iterator(); it.hasNext(); ) {
            Retired r = it.next();
            if (key.equals(r.key)) {
                closeQuietly(r.channel);
                it.remove();
                return r.cursor;
            }
        }
        return null;
    }

    boolean isOpen() {
        return channel != null;
    }

    /**
     * One file, open under its path, and nothing of an earlier generation to read: only writes to
     * the path's own name concern it ({@link FileLogSource}'s wake-ups).
     */
    boolean settled() {
        return channel != null && !gone && retired.isEmpty() && rotatedWhileStopped == null;
    }

    /** Nothing open and nothing to resume: the tail can be dropped when its path no longer matches. */
    boolean isIdle() {
        return channel == null && retired.isEmpty() && rotatedWhileStopped == null;
    }

    /** Where to resume after a restart, or {@code null} when there is nothing to say. */
    ResumeFile.Entry checkpointEntry() {
        if (channel != null) {
            return new ResumeFile.Entry(source, cursor.position, cursor.skipping, headLength, headChecksum, 0);
        }
        return resume;
    }

    /**
     * Opens the file if it is there and not open yet, positioned as its start or saved state say;
     * reads nothing. Called once when the source opens, so that {@code tail} means "from now".
     */
    void attach(long now) {
        BasicFileAttributes a = regularFileOrNull(now);
        if (channel == null && a != null) {
            open(now);
        } else if (channel == null) {
            start = Start.NEW; // not there yet: when it comes, every line of it is new
        }
        // rotated files already there are not read; after a restart, those written since the stop are
        long cutoff = rotatedWhileStopped != null && rotatedWhileStopped.savedMillis() > 0
                ? rotatedWhileStopped.savedMillis() - RESTART_MTIME_SLACK_MILLIS
                : Long.MAX_VALUE;
        for (Sibling s : siblings()) {
            if (s.attributes().lastModifiedTime().toMillis() < cutoff) {
                seenKeys.add(s.attributes().fileKey());
            }
        }
    }

    /** Reads whatever is new, following rotations. */
    int service(LineSink sink, long now) {
        int n = drainRetired(sink, now);
        BasicFileAttributes a = regularFileOrNull(now);
        if (channel == null) {
            if (a == null || (problem != null && now - retryAt < 0) || !open(now)) {
                return n;
            }
        } else if (a == null || (key != null && !key.equals(a.fileKey()))) {
            // renamed away or deleted: the rest of its backlog comes before any line of the new
            // file, so it is read whole, not in slices (a writer still appending to it is read later)
            n += readCurrent(sink, false, false, now);
            if (channel == null) {
                return n;
            }
            if (!gone) {
                ctx.counters.rotation();
            }
            if (a == null) {
                if (!gone) {
                    gone = true;
                    lastGrowth = now;
                } else if (grew()) {
                    lastGrowth = now;
                } else if (now - lastGrowth > ctx.timing.retireGrace()) {
                    n += letGo(sink, now);
                }
                return n;
            }
            retire(now);
            start = Start.NEW;
            if (!open(now)) {
                return n;
            }
            n += catchUpMissedGenerations(sink, now, MTIME_SLACK_MILLIS);
        } else if (a.size() != lastSize) {
            if (a.size() < cursor.position || !headStillMatches()) {
                n += truncated(sink, now);
            }
            lastSize = a.size();
        }
        if (rotatedWhileStopped != null) {
            ResumeFile.Entry old = rotatedWhileStopped;
            rotatedWhileStopped = null;
            n += drainRotatedCopy(sink, new ReadCursor(old.position(), old.skipping()), old.headLength(), old.headChecksum());
            if (old.savedMillis() > 0) {
                lastConfirmedMillis = old.savedMillis();
                n += catchUpMissedGenerations(sink, now, RESTART_MTIME_SLACK_MILLIS);
            }
        }
        n += readCurrent(sink, false, now);
        if (channel != null) {
            lastConfirmedMillis = System.currentTimeMillis();
        }
        return n;
    }

    void close() {
        closeQuietly(channel);
        channel = null;
        for (Retired r : retired) {
            closeQuietly(r.channel);
        }
        retired.clear();
    }

    // --- opening ---

    private boolean open(long now) {
        FileChannel ch = null;
        try {
            for (int attempt = 0; ch == null; attempt++) {
                Object before = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
                FileChannel candidate = FileChannel.open(path, StandardOpenOption.READ);
                BasicFileAttributes after = Files.readAttributes(path, BasicFileAttributes.class);
                if (before == null || before.equals(after.fileKey())) {
                    ch = candidate;
                    key = after.fileKey();
                    if (key != null) {
                        seenKeys.add(key);
                    }
                } else {
                    candidate.close(); // replaced between the two looks: look again
                    if (attempt == 3) {
                        return false;
                    }
                }
            }
            position(ch);
        } catch (NoSuchFileException e) {
            closeQuietly(ch);
            return false;
        } catch (IOException e) {
            closeQuietly(ch);
            report("cannot be read: " + e, now);
            return false;
        }
        channel = ch;
        gone = false;
        lastSize = -1;
        lastGrowth = now;
        start = Start.NEW;
        resume = null;
        clearProblem();
        return true;
    }

    private void position(FileChannel ch) throws IOException {
        headLength = 0;
        headChecksum = 0;
        if (handedOver != null) {
            ReadCursor at = handedOver;
            handedOver = null;
            if (ch.size() >= at.position) {
                cursor.position = at.position;
                cursor.skipping = at.skipping;
                return;
            }
        }
        if (resume != null) {
            ResumeFile.Entry r = resume;
            if (ch.size() >= r.position() && ctx.fingerprint.matches(ch, r.headLength(), r.headChecksum())) {
                cursor.position = r.position();
                cursor.skipping = r.skipping();
                headLength = r.headLength();
                headChecksum = r.headChecksum();
                return;
            }
            ctx.counters.rotation();
            rotatedWhileStopped = r;
            cursor.reset();
            return;
        }
        switch (start) {
            case HEAD, NEW -> cursor.reset();
            case TAIL -> tailPosition(ch);
        }
    }

    /** After the last newline: a partial last line is delivered whole once its newline comes. */
    private void tailPosition(FileChannel ch) throws IOException {
        long size = ch.size();
        int window = (int) Math.min(size, LineReader.MAX_LINE_BYTES);
        ByteBuffer last = ByteBuffer.allocate(window);
        while (last.hasRemaining()) {
            if (ch.read(last, size - window + last.position()) <= 0) {
                break;
            }
        }
        for (int i = last.position() - 1; i >= 0; i--) {
            if (last.get(i) == '\n') {
                cursor.position = size - window + i + 1;
                cursor.skipping = false;
                return;
            }
        }
        // no newline in the window: the whole file is one partial line, or we are inside a huge one
        cursor.position = window == size ? 0 : size;
        cursor.skipping = window != size;
    }

    // --- reading ---

    private int readCurrent(LineSink sink, boolean endOfLife, long now) {
        return readCurrent(sink, endOfLife, !endOfLife, now);
    }

    /**
     * @param inSlices stop after about {@link LineReader#MAX_LINES_PER_READ} lines (the poll
     *     returns, the next one goes on), for the file the path names; a file at its end of life,
     *     or one being replaced, is read to its end
     */
    private int readCurrent(LineSink sink, boolean endOfLife, boolean inSlices, long now) {
        try {
            int n = ctx.reader.read(channel, cursor, source, sink, endOfLife,
                    inSlices ? LineReader.MAX_LINES_PER_READ : Integer.MAX_VALUE);
            if (headLength < HeadFingerprint.HEAD_BYTES && cursor.position > headLength) {
                int len = (int) Math.min(cursor.position, HeadFingerprint.HEAD_BYTES);
                long crc = ctx.fingerprint.checksum(channel, len);
                if (crc >= 0) {
                    headLength = len;
                    headChecksum = crc;
                }
            }
            return n;
        } catch (IOException e) {
            // keep the position: the file is opened again later and, if it is still the same, resumed
            resume = checkpointEntry();
            closeQuietly(channel);
            channel = null;
            report("read failed: " + e, now);
            return 0;
        }
    }

    private boolean headStillMatches() {
        try {
            return ctx.fingerprint.matches(channel, headLength, headChecksum);
        } catch (IOException e) {
            return true; // the read that follows reports it
        }
    }

    private boolean grew() {
        try {
            long size = channel.size();
            boolean grew = size != lastSize;
            lastSize = size;
            return grew;
        } catch (IOException e) {
            return false;
        }
    }

    private int truncated(LineSink sink, long now) {
        ctx.counters.rotation();
        int n = 0;
        if (headLength > 0) {
            n = drainRotatedCopy(sink, cursor.copy(), headLength, headChecksum);
        }
        cursor.reset();
        headLength = 0;
        headChecksum = 0;
        return n + catchUpMissedGenerations(sink, now, MTIME_SLACK_MILLIS);
    }

    /**
     * Reads, from {@code from} to its end, the sibling that holds this file's old content: a
     * sibling (see {@link #siblings}) longer than the position and with the same head. The newest
     * such file wins. Every sibling with that head counts as seen.
     */
    private int drainRotatedCopy(LineSink sink, ReadCursor from, int headLen, long headCrc) {
        if (headLen == 0) {
            return 0; // nothing read yet: nothing to recognise the copy by, nor to resume in it
        }
        Sibling best = null;
        for (Sibling s : siblings()) {
            try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ)) {
                if (!ctx.fingerprint.matches(ch, headLen, headCrc)) {
                    continue;
                }
            } catch (IOException e) {
                continue;
            }
            seenKeys.add(s.attributes().fileKey());
            if (s.attributes().size() > from.position
                    && (best == null || s.attributes().lastModifiedTime().compareTo(best.attributes().lastModifiedTime()) > 0)) {
                best = s;
            }
        }
        if (best == null) {
            return 0;
        }
        try (FileChannel ch = FileChannel.open(best.path(), StandardOpenOption.READ)) {
            return ctx.reader.read(ch, from, source, sink, true);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: rotated copy {1} not read: {2}", path, best.path(), e);
            return 0;
        }
    }

    /**
     * After a rotation: reads, oldest first, the generations that came and went since the last
     * wake-up (the writer rotated twice while this thread slept): siblings never seen, modified
     * since the last wake-up. They are retired files from their first byte.
     */
    private int catchUpMissedGenerations(LineSink sink, long now, long slackMillis) {
        List<Sibling> missed = new ArrayList<>();
        Set<Object> present = new HashSet<>();
        for (Sibling s : siblings()) {
            Object k = s.attributes().fileKey();
            present.add(k);
            if (seenKeys.contains(k) || k.equals(key)) {
                continue;
            }
            if (s.attributes().lastModifiedTime().toMillis() < lastConfirmedMillis - slackMillis) {
                seenKeys.add(k); // older than the last wake-up: not a generation we missed
                continue;
            }
            missed.add(s);
        }
        missed.sort(Comparator.comparing((Sibling s) -> s.attributes().lastModifiedTime()).thenComparing(Sibling::path));
        for (Sibling s : missed) {
            try {
                FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ);
                seenKeys.add(s.attributes().fileKey());
                retired.add(new Retired(ch, s.attributes().fileKey(), new ReadCursor(0, false), now));
                ctx.counters.rotation();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "{0}: rotated file {1} not read: {2}", path, s.path(), e);
            }
        }
        present.add(key);
        for (Retired r : retired) {
            present.add(r.key);
        }
        seenKeys.retainAll(present);
        return missed.isEmpty() ? 0 : drainRetired(sink, now);
    }

    /** A file beside this one that may be one of its rotated generations. */
    private record Sibling(Path path, BasicFileAttributes attributes) {}

    /**
     * Regular files in the same directory whose name starts with this one's ({@code auth.log.1},
     * {@code auth.log-20261123}), not compressed, not followed in their own right, with an inode.
     */
    private List<Sibling> siblings() {
        Path dir = path.getParent();
        String name = path.getFileName().toString();
        List<Sibling> found = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
            for (Path p : all) {
                String fn = p.getFileName().toString();
                if (fn.equals(name) || !fn.startsWith(name) || isCompressed(fn) || ctx.followed.test(p)) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile() && a.fileKey() != null) {
                        found.add(new Sibling(p, a));
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (NoSuchFileException e) {
            return found;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: rotated files not searched: {1}", path, e);
        }
        return found;
    }

    private static boolean isCompressed(String name) {
        return name.endsWith(".gz") || name.endsWith(".bz2") || name.endsWith(".xz") || name.endsWith(".zst")
                || name.endsWith(".lz4") || name.endsWith(".Z") || name.endsWith(".zip");
    }

    private void retire(long now) {
        Retired r = new Retired(channel, key, cursor.copy(), now);
        retired.add(r);
        channel = null;
        cursor.reset();
        headLength = 0;
        headChecksum = 0;
    }

    private int drainRetired(LineSink sink, long now) {
        if (retired.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (Iterator<Retired> it = retired.iterator(); it.hasNext(); ) {
            Retired r = it.next();
            try {
                n += ctx.reader.read(r.channel, r.cursor, source, sink, false);
                long size = r.channel.size();
                if (size != r.lastSize) {
                    r.lastSize = size;
                    r.lastGrowth = now;
                } else if (now - r.lastGrowth > ctx.timing.retireGrace()) {
                    n += ctx.reader.read(r.channel, r.cursor, source, sink, true);
                    closeQuietly(r.channel);
                    it.remove();
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "{0}: rotated file no longer readable: {1}", path, e);
                closeQuietly(r.channel);
                it.remove();
            }
        }
        return n;
    }

    /** The path has been missing and the old file quiet for the grace time: deliver its last line, close. */
    private int letGo(LineSink sink, long now) {
        int n = readCurrent(sink, true, now);
        closeQuietly(channel);
        channel = null;
        gone = false;
        start = Start.NEW;
        resume = null;
        return n;
    }

    // --- problems: reported once, retried ---

    private BasicFileAttributes regularFileOrNull(long now) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null; // missing, or a dangling symlink: not an error, it may come
        } catch (IOException e) {
            report("cannot be examined: " + e, now);
            return null;
        }
        if (!a.isRegularFile()) {
            report("is not a regular file (directories, FIFOs and devices are never read)", now);
            return null;
        }
        return a;
    }

    private void report(String what, long now) {
        retryAt = now + ctx.timing.rescan();
        if (!what.equals(problem)) {
            problem = what;
            ctx.counters.readError();
            LOG.log(Level.WARNING, "{0} {1}; retrying every {2} ms", path, what, ctx.timing.rescan() / 1_000_000);
        }
    }

    private void clearProblem() {
        if (problem != null) {
            LOG.log(Level.INFO, "{0} is readable again", path);
            problem = null;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do: the descriptor is released either way
            }
        }
    }
}
