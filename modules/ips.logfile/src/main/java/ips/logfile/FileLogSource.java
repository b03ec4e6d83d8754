package ips.logfile;

import ips.api.LineSink;
import ips.api.LogSource;
import ips.api.LogSourceSpec;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * fail2ban's file backend for one jail: follows every file its {@code logpath} entries name, wakes
 * on directory events, never loses or repeats a line across rotations, and resumes after a restart
 * where it stopped. One thread calls {@link #poll}; counters may be read from any thread.
 *
 * <p>Wake-ups come from a {@link java.nio.file.WatchService} on each directory that holds a
 * followed file (inotify on Linux, read by one JDK thread per source); a rescan every two seconds
 * catches what events cannot (a directory created later under a glob, a filesystem without
 * events). Positions go to {@code <stateDir>/logfile-<jail>.state} on {@link #checkpoint()} and on
 * {@link #close()} (written before they return), and every five seconds when they changed (handed
 * to the shared state writer thread, {@link ips.api.StateFile#writeLater}, so the reading thread
 * never waits for an fsync); after a crash, lines read since the last save are delivered again,
 * none is lost. A source closed before its first poll (opened by a reload that was then refused)
 * read nothing and saves nothing: what is on disk, or its absence, stays as it was.
 *
 * <p>Known limits: lines written to a file that is both created and deleted (not renamed) between
 * two wake-ups cannot be read by anyone; a copytruncate copy is found only beside the file (not in
 * logrotate's {@code olddir}); generations rotated away while stopped are recognised by their
 * modification time (after the saved stop time): when the file was rotated while stopped, a
 * rotated file that someone else touched after the stop is read too. Generations that came and
 * went between two wake-ups are read oldest first by modification time, which the kernel keeps at
 * tick precision: rotations within a few milliseconds of each other may come out of order (each
 * line still exactly once).
 */
public final class FileLogSource implements LogSource {
    private static final System.Logger LOG = System.getLogger("ips.logfile");

    private final String description;
    private final List<LogPath> logPaths;
    private final Map<Path, LogTail> tails = new LinkedHashMap<>();
    private final LogfileCounters counters = new LogfileCounters();
    private final TailContext ctx;
    private final DirectoryWatch watch;
    private final ResumeFile resumeFile;
    private final Map<String, ResumeFile.Entry> saved;
    /** The positions last saved or queued for saving. */
    private List<ResumeFile.Entry> lastSaved = List.of();
    /** {@link #lastSaved} went to the state writer and may not be on disk yet. */
    private boolean lastSavedQueued;
    private boolean rescanDue;
    private long nextRescan;
    private long nextCheckpoint;
    private boolean closed;
    /** {@link #poll} ran at least once: there are positions of this source's own to save. */
    private boolean polled;

    /** Opens the files {@code spec.paths()} name (they need not exist yet) and positions them. */
    public FileLogSource(LogSourceSpec spec) throws IOException {
        this(spec, TailContext.Timing.DEFAULT);
    }

    FileLogSource(LogSourceSpec spec, TailContext.Timing timing) throws IOException {
        this(spec, timing, () -> java.nio.file.FileSystems.getDefault().newWatchService());
    }

    /** As {@link #FileLogSource(LogSourceSpec, TailContext.Timing)}, with the directory watch {@code inotify} makes. */
    FileLogSource(LogSourceSpec spec, TailContext.Timing timing, java.util.concurrent.Callable<java.nio.file.WatchService> inotify)
            throws IOException {
        Objects.requireNonNull(spec, "spec");
        if (spec.paths().isEmpty()) {
            throw new IllegalArgumentException("jail " + spec.jail() + ": no logpath");
        }
        LogTail.Start defaultStart = spec.start() == LogSourceSpec.Start.HEAD ? LogTail.Start.HEAD : LogTail.Start.TAIL;
        List<LogPath> parsed = new ArrayList<>();
        for (String entry : spec.paths()) {
            parsed.add(LogPath.parse(entry, defaultStart));
        }
        this.logPaths = List.copyOf(parsed);
        this.description = "file " + String.join(", ", spec.paths());
        this.ctx = new TailContext(counters, timing, tails::containsKey, spec.encoding());
        this.resumeFile = spec.stateDir() == null ? null : new ResumeFile(spec.stateDir(), spec.jail());
        this.saved = loadSaved();
        this.watch = new DirectoryWatch(spec.jail(), inotify);
        long now = System.nanoTime();
        try {
            rescan(now, true);
        } catch (RuntimeException e) {
            watch.close();
            throw e;
        }
        this.nextRescan = now + timing.rescan();
        // the first periodic save comes with the first poll, before any traffic: its one-time
        // work (loading the save path's classes, starting the state writer) then delays no line
        this.nextCheckpoint = now;
    }

    @Override
    public String description() {
        return description;
    }

    /**
     * The files followed now (open), in logpath order: fail2ban's "File list". Any thread: the
     * polling thread changes {@link #tails} only under its lock.
     */
    public List<Path> files() {
        List<Path> open = new ArrayList<>();
        synchronized (tails) {
            for (LogTail t : tails.values()) {
                if (t.isOpen()) {
                    open.add(t.path());
                }
            }
        }
        return open;
    }

    @Override
    public List<String> followed() {
        return files().stream().map(Path::toString).toList();
    }

    @Override
    public List<String> notFollowed() {
        List<String> out = new ArrayList<>();
        for (LogPath lp : logPaths) {
            List<Path> named = lp.expand();
            boolean reading = false;
            for (Path p : named) {
                LogTail t = tails.get(p);
                reading |= t != null && t.isOpen();
            }
            // a file that is there but cannot be read is reported by its tail, with the reason
            if (!reading && lp.isGlob() && named.isEmpty()) {
                out.add(lp.pattern() + ": no file matches; read once one appears");
            } else if (!reading && !lp.isGlob() && !Files.exists(lp.pattern())) {
                out.add(lp.pattern() + ": no such file; read once it appears");
            }
        }
        return out;
    }

    public LogfileCounters counters() {
        return counters;
    }

    public long linesRead() {
        return counters.linesRead();
    }

    public long longLinesCut() {
        return counters.longLinesCut();
    }

    public long rotationsSeen() {
        return counters.rotationsSeen();
    }

    public long readErrors() {
        return counters.readErrors();
    }

    /**
     * Ends a poll's wait by closing the directory watch (a WatchService wait cannot be woken
     * otherwise, and interrupting the polling thread would close the files it reads). The source
     * still reads what is in its files; it only stops noticing changes by itself.
     */
    @Override
    public void stopWaiting() {
        try {
            watch.close();
        } catch (IOException e) {
            // the wait then ends at its timeout
        }
    }

    private long servicePasses;

    @Override
    public int poll(LineSink sink, long timeoutMillis) throws IOException, InterruptedException {
        if (closed) {
            throw new IOException(description + ": closed");
        }
        polled = true;
        long now = System.nanoTime();
        long deadline = now + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        int n = serviceAll(sink, now);
        while (n == 0) {
            now = System.nanoTime();
            if (deadline - now <= 0 || watch.isClosed()) {
                break; // closed by stopWaiting (or close): polls read what is there and never wait
            }
            long wait = Math.min(deadline - now, nextRescan - now);
            int events = watch.await(Math.max(wait, 1), this::wakesFor);
            if ((events & DirectoryWatch.STRUCTURE) != 0) {
                rescanDue = true;
            }
            now = System.nanoTime();
            if (events == 0 && deadline - now > 0 && nextRescan - now > 0 && !watch.isClosed()) {
                continue; // only files nobody here follows were written: wait on
            }
            n = serviceAll(sink, now);
        }
        return n;
    }

    @Override
    public void checkpoint() throws IOException {
        checkpoint(false);
    }

    /**
     * Saves positions now if they changed since the last save, or may not have landed yet (queued),
     * or always when {@code stopping}.
     */
    private void checkpoint(boolean stopping) throws IOException {
        if (resumeFile == null || !polled) {
            return;
        }
        List<ResumeFile.Entry> entries = positions();
        if (stopping || lastSavedQueued || !entries.equals(lastSaved)) {
            resumeFile.save(entries, System.currentTimeMillis());
            lastSaved = entries;
            lastSavedQueued = false;
        }
    }

    /**
     * The periodic save, on the reading thread: positions that changed (or whose last save failed)
     * are queued for the shared state writer, so a line that arrives meanwhile does not wait for an
     * fsync. A queued save that fails is logged by the writer and queued again here next time.
     */
    private void checkpointLater() {
        if (resumeFile == null) {
            return;
        }
        List<ResumeFile.Entry> entries = positions();
        if (!entries.equals(lastSaved) || resumeFile.lastSaveFailed()) {
            resumeFile.saveLater(entries, System.currentTimeMillis());
            lastSaved = entries;
            lastSavedQueued = true;
        }
    }

    private List<ResumeFile.Entry> positions() {
        List<ResumeFile.Entry> entries = new ArrayList<>(tails.size());
        for (LogTail t : tails.values()) {
            ResumeFile.Entry e = t.checkpointEntry();
            if (e != null) {
                entries.add(e);
            }
        }
        return entries;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            checkpoint(true); // stamps the stop time: what is rotated away after it was written while stopped
        } finally {
            for (LogTail t : tails.values()) {
                t.close();
            }
            watch.close();
        }
    }

    /**
     * Whether a modification of {@code name} in a watched directory may concern a followed file:
     * its name is a followed path's, or some tail is between two generations of its file (a
     * rotated-away file, read under whatever name it has now, or a rotated copy to drain), when
     * every write in the directory still wakes the reader.
     */
    private boolean wakesFor(Path name) {
        for (LogTail t : tails.values()) {
            if (!t.settled() || name.equals(t.path().getFileName())) {
                return true;
            }
        }
        return false;
    }

    /** Passes over the followed files so far (tests: what a write to another file costs). */
    long servicePasses() {
        return servicePasses;
    }

    private int serviceAll(LineSink sink, long now) throws IOException {
        servicePasses++;
        if (rescanDue || now - nextRescan >= 0) {
            rescan(now, false);
            nextRescan = now + ctx.timing.rescan();
        }
        int n = 0;
        for (LogTail t : tails.values()) {
            n += t.service(sink, now);
        }
        if (now - nextCheckpoint >= 0) {
            nextCheckpoint = now + ctx.timing.checkpoint();
            checkpointLater();
        }
        return n;
    }

    /** Expands the globs again, follows new files and watches their directories. */
    private void rescan(long now, boolean first) {
        rescanDue = false;
        Set<Path> matched = new HashSet<>();
        for (LogPath lp : logPaths) {
            watch.watch(lp.base());
            for (Path p : lp.expand()) {
                matched.add(p);
                if (tails.containsKey(p)) {
                    continue;
                }
                ReadCursor renamedFrom = first ? null : takeOver(p);
                LogTail tail = renamedFrom != null
                        ? LogTail.handedOver(p, renamedFrom, ctx)
                        : new LogTail(p, first ? lp.start() : LogTail.Start.NEW, saved.get(p.toString()), ctx);
                synchronized (tails) {
                    tails.put(p, tail);
                }
                tail.attach(now);
            }
        }
        for (Iterator<LogTail> it = tails.values().iterator(); it.hasNext(); ) {
            LogTail t = it.next();
            if (t.isIdle() && !matched.contains(t.path())) {
                synchronized (tails) {
                    it.remove(); // a glob's file that went away and was let go
                }
            } else if (t.path().getParent() != null) {
                watch.watch(t.path().getParent());
            }
        }
    }

    /** If {@code p} is a file another tail was reading under its old name, that tail's cursor. */
    private ReadCursor takeOver(Path p) {
        Object key;
        try {
            key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
        for (LogTail t : tails.values()) {
            ReadCursor c = t.handOver(key);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private Map<String, ResumeFile.Entry> loadSaved() {
        if (resumeFile == null) {
            return Map.of();
        }
        try {
            return resumeFile.load();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}; starting without saved positions", e.getMessage());
            return Map.of();
        }
    }
}
