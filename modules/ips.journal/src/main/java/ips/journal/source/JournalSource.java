package ips.journal.source;

import ips.api.LineSink;
import ips.api.LogLine;
import ips.api.LogSource;
import ips.api.LogSourceSpec;
import ips.journal.sd.LibSystemd;
import ips.journal.sd.SdJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * The systemd journal as a {@link LogSource}: entries matching the jail's journalmatch, each turned
 * into the syslog-style text fail2ban's failregex sees (see {@link SyslogLine}), with the entry's own
 * time and its common fields ({@link EntryFields}).
 *
 * <p>Position: the saved cursor when there is one (the entry it names was delivered and is skipped);
 * otherwise {@code HEAD} reads everything, {@code TAIL} only what is appended after opening. Follow
 * mode sleeps in {@code sd_journal_wait} (inotify), never in a loop. Rotation and vacuuming
 * ({@code SD_JOURNAL_INVALIDATE}) re-seek to the last delivered cursor, so nothing is lost or repeated.
 *
 * <p>One thread polls; {@link #close} from another thread waits for a running poll to return.
 */
public final class JournalSource implements LogSource {

    private static final System.Logger LOG = System.getLogger("ips.journal");
    /**
     * The cursor is saved this often when it moved, in the background ({@link CursorFile#writeLater});
     * close() and checkpoint() save it before they return.
     */
    private static final long CHECKPOINT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    /**
     * At most this many lines per poll() (a caller's next poll continues at once, without waiting), so
     * a large backlog does not hold the polling thread, or the unsaved cursor, for long.
     */
    static final int MAX_LINES_PER_POLL = 65_536;
    /** systemd limits field names to 64 bytes; the '=' follows at most there. */
    private static final int MAX_KEY = 65;

    private final SdJournal journal;
    private final String description;
    private final CursorFile cursorFile;
    private final ReentrantLock lock = new ReentrantLock();
    private final StringBuilder text = new StringBuilder(256);
    private byte[] field = new byte[4096];
    /** Values of the lazily decoded fields of the entry being read. */
    private byte[] lazyBytes = new byte[1024];
    private int lazyUsed;

    /** Cursor of the last entry delivered (null before the first). */
    private String cursor;
    /** The cursor last saved or queued for saving. */
    private String savedCursor;
    /** {@link #savedCursor} went to the state writer and may not be on disk yet. */
    private boolean savedCursorQueued;
    /** The journal is positioned on an entry not yet delivered (resume after its cursor's entry vanished). */
    private boolean pendingCurrent;
    private int maxLinesPerPoll = MAX_LINES_PER_POLL;
    private long checkpointIntervalNanos = CHECKPOINT_INTERVAL_NANOS;
    private long lastCheckpointNanos = System.nanoTime();
    private long unreadableEntries;
    private boolean closed;
    /** {@link #stopWaiting} was called: polls read what is there and never wait. */
    private volatile boolean stopWaiting;
    /** The eventfd {@link #stopWaiting} wakes a waiting poll through: -1 none yet, -2 none possible. */
    private volatile int waker = -1;
    private final Object wakerLock = new Object();

    /** Reads the local system journal (not files or a directory the jail named). */
    private boolean systemJournal;

    private JournalSource(SdJournal journal, String description, CursorFile cursorFile) {
        this.journal = journal;
        this.description = description;
        this.cursorFile = cursorFile;
    }

    /** Opens the journal {@code spec} names: the local system journal, or its {@code paths}. */
    public static JournalSource open(LibSystemd lib, LogSourceSpec spec) throws IOException {
        List<List<String>> groups;
        try {
            groups = JournalMatch.parse(spec.journalMatch());
        } catch (IllegalArgumentException e) {
            throw new IOException("[" + spec.jail() + "] " + e.getMessage(), e);
        }
        String where;
        SdJournal journal;
        if (spec.paths().isEmpty()) {
            where = spec.journalFlags() == LogSourceSpec.DEFAULT_JOURNAL_FLAGS ? "system journal"
                    : "local journal (journalflags " + spec.journalFlags() + ")";
            journal = spec.journalFlags() == LogSourceSpec.DEFAULT_JOURNAL_FLAGS ? SdJournal.openSystem(lib)
                    : SdJournal.openSystem(lib, spec.journalFlags());
        } else {
            List<Path> paths = expand(spec.paths());
            if (paths.size() == 1 && Files.isDirectory(paths.getFirst())) {
                journal = SdJournal.openDirectory(lib, paths.getFirst());
            } else {
                for (Path p : paths) {
                    if (!Files.exists(p)) {
                        throw new IOException("[" + spec.jail() + "] journal path " + p + ": no such file or directory");
                    }
                    if (!Files.isRegularFile(p)) {
                        throw new IOException("[" + spec.jail() + "] journal path " + p
                                + " is not a file (give one directory, or journal files)");
                    }
                }
                journal = SdJournal.openFiles(lib, paths);
            }
            where = "journal " + paths.stream().map(Path::toString).collect(Collectors.joining(" "));
        }
        try {
            for (int g = 0; g < groups.size(); g++) {
                if (g > 0) {
                    journal.addDisjunction();
                }
                for (String term : groups.get(g)) {
                    journal.addMatch(term);
                }
            }
            String matches = groups.isEmpty() ? "all entries"
                    : groups.stream().map(t -> String.join(" ", t)).collect(Collectors.joining(" + "));
            CursorFile cursorFile = spec.stateDir() == null ? null : new CursorFile(spec.stateDir(), spec.jail());
            if (groups.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "[{0}] no journalmatch: every journal entry goes through the filter",
                        spec.jail());
            }
            if (cursorFile != null && watchedByJournal(cursorFile.path().getParent(), spec.paths())) {
                LOG.log(System.Logger.Level.WARNING, "[{0}] state directory {1} is a journal directory: every cursor"
                        + " save wakes the reader; keep state elsewhere", spec.jail(), spec.stateDir());
            }
            JournalSource source = new JournalSource(journal, where + " (" + matches + ")", cursorFile);
            source.systemJournal = spec.paths().isEmpty();
            source.position(spec.start(), spec.sinceMillis());
            return source;
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    private void position(LogSourceSpec.Start start, long sinceMillis) throws IOException {
        String saved = cursorFile == null ? null : cursorFile.read();
        if (saved != null) {
            if (seekTo(saved)) {
                savedCursor = saved;
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "{0}: saved cursor in {1} is not usable; starting at {2}",
                    description, cursorFile.path(), start);
        }
        if (start == LogSourceSpec.Start.HEAD) {
            journal.seekHead();
        } else if (sinceMillis != LogSourceSpec.NO_SINCE) {
            // fail2ban's systemd backend without a saved position: seek to now - findtime, so an
            // attack that began before the start is still counted
            journal.seekRealtime(Math.multiplyExact(sinceMillis, 1000L));
        } else {
            journal.seekTail();
            if (journal.previous()) {
                // on the last entry: later ones are new; its cursor is where a rotation or a
                // restart resumes, even before the first line arrives
                cursor = journal.cursor();
            } else {
                // nothing matches yet: everything that comes is new, and seek_tail on an empty
                // match set is unreliable (see filtersystemd.py): read from the head instead
                journal.seekHead();
            }
        }
    }

    /** Positions so that the next entry read is the first after {@code saved}. */
    private boolean seekTo(String saved) throws IOException {
        if (!journal.seekCursor(saved)) {
            return false;
        }
        if (journal.next()) {
            pendingCurrent = !journal.testCursor(saved);
        }
        cursor = saved;
        return true;
    }

    @Override
    public String description() {
        return description;
    }

    /** Where journald keeps the system journal: volatile, then persistent (one directory per machine id). */
    static final List<Path> SYSTEM_JOURNAL_DIRS = List.of(Path.of("/run/log/journal"), Path.of("/var/log/journal"));

    /**
     * For the system journal: nothing when a journal file can be read under
     * {@link #SYSTEM_JOURNAL_DIRS}; otherwise why not (no journald, or no permission), which
     * would leave the jail waiting for entries that never come.
     */
    @Override
    public List<String> notFollowed() {
        return systemJournal ? systemJournalProblems(SYSTEM_JOURNAL_DIRS) : List.of();
    }

    /** {@link #notFollowed} over the directories {@code roots}. */
    static List<String> systemJournalProblems(List<Path> roots) {
        List<String> unreadable = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> machines = Files.newDirectoryStream(root)) {
                for (Path m : machines) {
                    if (isJournalFile(m)) {
                        return List.of();
                    }
                    if (Files.isDirectory(m)) {
                        try (DirectoryStream<Path> files = Files.newDirectoryStream(m, "*.journal")) {
                            if (files.iterator().hasNext()) {
                                return List.of();
                            }
                        } catch (java.nio.file.AccessDeniedException e) {
                            unreadable.add(m.toString());
                        }
                    }
                }
            } catch (java.nio.file.AccessDeniedException e) {
                unreadable.add(root.toString());
            } catch (IOException | RuntimeException e) {
                unreadable.add(root + " (" + e.getMessage() + ")");
            }
        }
        String dirs = roots.stream().map(Path::toString).collect(Collectors.joining(" or "));
        if (!unreadable.isEmpty()) {
            return List.of("system journal: cannot read " + String.join(", ", unreadable)
                    + " (needs root, CAP_DAC_READ_SEARCH or the systemd-journal group); no entry will be read");
        }
        return List.of("system journal: no journal file under " + dirs + " (is systemd-journald running?)");
    }

    private static boolean isJournalFile(Path p) {
        return p.getFileName().toString().endsWith(".journal") && Files.isRegularFile(p);
    }

    /**
     * Ends a poll's wait at once: the wait polls the journal's descriptor together with an eventfd
     * that this writes to (sd_journal_wait itself cannot be woken from another thread).
     */
    @Override
    public void stopWaiting() {
        stopWaiting = true;
        synchronized (wakerLock) {
            if (waker >= 0) {
                journal.wake(waker);
            }
        }
    }

    /** The eventfd of this source, created on the first wait; -2 when none can be (then waits are not woken). */
    private int waker() {
        synchronized (wakerLock) {
            if (waker == -1) {
                try {
                    waker = journal.newWaker();
                } catch (IOException e) {
                    waker = -2;
                }
            }
            return waker;
        }
    }

    @Override
    public int poll(LineSink sink, long timeoutMillis) throws IOException, InterruptedException {
        lock.lock();
        try {
            checkOpen();
            int delivered = drain(sink);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
            while (delivered == 0) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || stopWaiting) {
                    break;
                }
                int w = waker();
                if (stopWaiting) {
                    break; // asked before the waker existed: it was not written to
                }
                int change = w >= 0 ? journal.await(Math.max(1, remaining / 1000), w)
                        : journal.await(Math.max(1, remaining / 1000));
                if (change == LibSystemd.SD_JOURNAL_INVALIDATE && cursor != null) {
                    seekTo(cursor); // files rotated, added or vacuumed: resume after the last delivered entry
                }
                delivered = drain(sink);
            }
            if (System.nanoTime() - lastCheckpointNanos >= checkpointIntervalNanos) {
                saveCursorLater(); // also when idle: the last lines of a burst are saved within the interval
            }
            return delivered;
        } finally {
            lock.unlock();
        }
    }

    private int drain(LineSink sink) throws IOException {
        int n = 0;
        if (pendingCurrent) {
            pendingCurrent = false;
            sink.accept(readEntry());
            n++;
        }
        while (n < maxLinesPerPoll && journal.next()) {
            sink.accept(readEntry());
            n++;
        }
        if (n > 0) {
            cursor = journal.cursor();
        }
        return n;
    }

    private LogLine readEntry() throws IOException {
        String[] values = new String[EntryFields.NAMES.length];
        int[] bounds = null; // of the fields decoded only when asked for, in lazyBytes
        lazyUsed = 0;
        journal.restartFields();
        int length;
        while ((length = journal.nextField()) > 0) {
            int copied = Math.min(length, field.length); // one copy for all but oversized fields
            journal.copyField(field, copied);
            int head = Math.min(copied, MAX_KEY);
            int eq = 0;
            while (eq < head && field[eq] != '=') {
                eq++;
            }
            int index = eq < head ? EntryFields.indexOf(field, eq) : -1;
            if (index < 0) {
                continue;
            }
            if (length > copied) {
                field = new byte[Math.max(length, field.length * 2)];
                journal.copyField(field, length);
            }
            int valueLength = length - eq - 1;
            if (index >= EntryFields.EAGER) {
                if (bounds == null) {
                    bounds = new int[2 * EntryFields.NAMES.length];
                }
                if (lazyUsed + valueLength > lazyBytes.length) {
                    lazyBytes = Arrays.copyOf(lazyBytes, Math.max(lazyUsed + valueLength, lazyBytes.length * 2));
                }
                System.arraycopy(field, eq + 1, lazyBytes, lazyUsed, valueLength);
                bounds[2 * index] = lazyUsed + 1; // 0 = absent
                bounds[2 * index + 1] = lazyUsed += valueLength;
                continue;
            }
            String value = new String(field, eq + 1, valueLength, StandardCharsets.UTF_8);
            String before = values[index];
            values[index] = before == null || index != EntryFields.MESSAGE ? value : before + " " + value;
        }
        if (length < 0) {
            unreadableEntries++; // a corrupt data object: keep what was read
        }
        long realtimeMicros = parseMicros(values[EntryFields.SOURCE_REALTIME]);
        if (realtimeMicros < 0) {
            realtimeMicros = journal.realtimeMicros();
        }
        long monotonic = isKernel(values) && values[EntryFields.SOURCE_MONOTONIC] == null ? journal.monotonicMicros() : 0;
        byte[] packed = bounds == null ? null : Arrays.copyOf(lazyBytes, lazyUsed);
        return new LogLine("journal", SyslogLine.format(values, monotonic, text), Math.floorDiv(realtimeMicros, 1000),
                EntryFields.view(values, packed, bounds), (int) Math.floorMod(realtimeMicros, 1000));
    }

    private static boolean isKernel(String[] values) {
        String ident = values[EntryFields.SYSLOG_IDENTIFIER];
        return "kernel".equals(ident == null || ident.isEmpty() ? values[EntryFields.COMM] : ident);
    }

    private static long parseMicros(String s) {
        if (s == null || s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** For tests: a smaller batch limit. */
    void maxLinesPerPoll(int limit) {
        this.maxLinesPerPoll = limit;
    }

    /** For tests: another interval between periodic cursor saves. */
    void checkpointInterval(long nanos) {
        this.checkpointIntervalNanos = nanos;
    }

    /** Entries with a field libsystemd could not read (delivered with the fields it could). */
    public long unreadableEntries() {
        return unreadableEntries;
    }

    /** Cursor of the last delivered entry, or the resumed one; {@code null} before any. */
    public String cursor() {
        return cursor;
    }

    /** The descriptor {@code sd_journal_wait} sleeps on. */
    public int fileDescriptor() throws IOException {
        lock.lock();
        try {
            checkOpen();
            return journal.fileDescriptor();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void checkpoint() throws IOException {
        lock.lock();
        try {
            if (!closed) {
                saveCursor();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Saves the cursor now if it changed since the last save, or may not have landed yet (queued). */
    private void saveCursor() throws IOException {
        lastCheckpointNanos = System.nanoTime();
        if (cursorFile != null && cursor != null && (savedCursorQueued || !cursor.equals(savedCursor))) {
            cursorFile.write(cursor);
            savedCursor = cursor;
            savedCursorQueued = false;
        }
    }

    /**
     * The periodic save, on the polling thread: a cursor that changed (or whose last save failed) is
     * queued for the shared state writer, so an entry that arrives meanwhile does not wait for an
     * fsync. A queued save that fails is logged by the writer and queued again here next time.
     */
    private void saveCursorLater() {
        lastCheckpointNanos = System.nanoTime();
        if (cursorFile != null && cursor != null && (!cursor.equals(savedCursor) || cursorFile.lastWriteFailed())) {
            cursorFile.writeLater(cursor);
            savedCursor = cursor;
            savedCursorQueued = true;
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                saveCursor();
            } finally {
                journal.close();
                synchronized (wakerLock) {
                    if (waker >= 0) {
                        journal.closeWaker(waker);
                    }
                    waker = -2;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException(description + " is closed");
        }
    }

    /** Whether libsystemd's inotify watch (the journal directories) covers {@code stateDir}. */
    private static boolean watchedByJournal(Path stateDir, List<String> paths) {
        Path state = stateDir.toAbsolutePath().normalize();
        List<Path> watched = new ArrayList<>(List.of(Path.of("/var/log/journal"), Path.of("/run/log/journal")));
        for (String p : paths) {
            Path path = Path.of(p).toAbsolutePath().normalize();
            watched.add(Files.isDirectory(path) ? path : path.getParent());
        }
        for (Path w : watched) {
            if (w != null && (state.equals(w) || state.getParent() != null && state.getParent().equals(w))) {
                return true;
            }
        }
        return false;
    }

    /** fail2ban globs {@code journalfiles}; a directory stays a directory. */
    static List<Path> expand(List<String> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String p : paths) {
            if (p.indexOf('*') < 0 && p.indexOf('?') < 0 && p.indexOf('[') < 0) {
                out.add(Path.of(p));
                continue;
            }
            Path glob = Path.of(p);
            Path dir = glob.getParent() == null ? Path.of(".") : glob.getParent();
            List<Path> found = new ArrayList<>();
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob.getFileName().toString())) {
                    ds.forEach(found::add);
                }
            }
            found.sort(null);
            out.addAll(found);
        }
        if (out.isEmpty()) {
            throw new IOException("no journal file matches " + paths);
        }
        return out;
    }
}
