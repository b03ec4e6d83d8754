package ips.app.ops;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The daemon's log, in fail2ban's line format so that existing log watchers (and fail2ban's own
 * {@code recidive} filter) keep working:
 * <pre>2026-11-23 18:20:17,123 fail2ban.actions        [1234]: NOTICE  [sshd] Ban 192.0.2.1</pre>
 * Written to stderr by default (the journal under systemd), or to fail2ban's {@code logtarget}.
 */
public final class EventLog {
    private final LogTime time = new LogTime(null); // the system zone, looked up on the first line
    private final OutputStream out;
    /** The logtarget file, when the log goes to one: reopened when logrotate moves it. */
    private final LogFile file;
    /** The last failure to reopen the logtarget file (said once, not every second), or null. */
    private String reopenProblem;
    /** The logtarget file this log should have written but could not open (it writes to stderr), or null. */
    private volatile String unwritableTarget;
    /** {@link #emit}'s buffers for a line's characters and its ASCII bytes; guarded by {@link #out}. */
    private byte[] ascii = new byte[256];
    private char[] chars = new char[256];
    private final long pid;
    private volatile boolean debug;
    /**
     * The queues of the jails that read this daemon's own log instead of the unwritable logtarget
     * ({@link #ownLines}), by jail; each line written is copied to them, DEBUG lines excepted.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, OwnLogSource.Lines> copies =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean copying;
    /**
     * Lines copied since the last {@link #flush}, handed to the jails' queues at the flush: they
     * see the lines when a file would have got them, in batches (one wake-up per batch, not per
     * line: a burst logs thousands). Guarded by {@link #out}.
     */
    private final java.util.ArrayList<String> pendingCopies = new java.util.ArrayList<>();

    /**
     * Each line starts with its syslog priority ({@code <3>} ERROR … {@code <7>} DEBUG) for the
     * journal, which reads such a prefix on a service's stdout/stderr stream and files the line at
     * that priority ({@code journalctl -p warning} then shows our warnings and errors); the rest of
     * the line is fail2ban's as ever. Only when stderr is the journal's stream ({@link #stderrIsJournal}).
     */
    private final boolean journalPriorities;

    public EventLog(OutputStream out) {
        this(out, null, false);
    }

    /**
     * Tests: a log on {@code out} whose lines carry the journal's priority prefix, and that could
     * not open {@code unwritableTarget} (or null) as {@link #forTargetOrStderr} finds it.
     */
    static EventLog forTest(OutputStream out, boolean journalPriorities, String unwritableTarget) {
        EventLog log = new EventLog(out, null, journalPriorities);
        log.unwritableTarget = unwritableTarget;
        return log;
    }

    /** The log on stderr: with the journal's priority prefixes when stderr is the journal's stream. */
    static EventLog stderr() {
        return new EventLog(System.err, null, stderrIsJournal(System.getenv("JOURNAL_STREAM"), Path.of("/proc/self/fd/2")));
    }

    /**
     * systemd's rule for "is my stderr the journal": {@code JOURNAL_STREAM} holds the device and
     * inode numbers ({@code DEV:INO}) of the stream systemd connected, and {@code fd} (stderr, seen
     * through /proc) has the same ones. An inherited variable with stderr redirected elsewhere does
     * not count.
     */
    static boolean stderrIsJournal(String journalStream, Path fd) {
        if (journalStream == null) {
            return false;
        }
        int colon = journalStream.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            long dev = Long.parseUnsignedLong(journalStream.substring(0, colon).strip());
            long ino = Long.parseUnsignedLong(journalStream.substring(colon + 1).strip());
            Object d = Files.getAttribute(fd, "unix:dev");
            Object i = Files.getAttribute(fd, "unix:ino");
            return d instanceof Long dl && i instanceof Long il && dl == dev && il == ino;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException
                | SecurityException e) {
            return false;
        }
    }

    private EventLog(OutputStream out, LogFile file, boolean journalPriorities) {
        this.journalPriorities = journalPriorities;
        this.file = file;
        // Our own buffer: "Found", "Ban" and "Unban" lines (thousands a second under attack) are
        // written without a flush each; every other line, and the end of each batch, flushes.
        // Lines are built as text and written as bytes: no Writer and encoder per line, which
        // mattered most in the first burst after a start, when every call is interpreted.
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.pid = ownPid();
    }

    /** Writes out buffered lines (called after each batch of log lines). */
    public void flush() {
        synchronized (out) {
            try {
                out.flush();
            } catch (IOException e) {
                // as PrintStream: a log that cannot be written does not stop the daemon
            }
            publishCopies();
        }
    }

    /** Hands the lines copied since the last flush to the jails reading this log; holding {@link #out}. */
    private void publishCopies() {
        if (pendingCopies.isEmpty()) {
            return;
        }
        for (OwnLogSource.Lines l : copies.values()) {
            l.addAll(pendingCopies);
        }
        pendingCopies.clear();
    }

    /** fail2ban's {@code logtarget}: STDERR, STDOUT, or a file path (SYSLOG and SYSTEMD-JOURNAL mean stderr here). */
    public static EventLog forTarget(String target) throws IOException {
        if (target == null || target.isBlank()) {
            return stderr();
        }
        String t = target.strip();
        switch (t.toUpperCase(java.util.Locale.ROOT)) {
            case "STDERR", "SYSLOG", "SYSTEMD-JOURNAL":
                return stderr();
            case "STDOUT":
                return new EventLog(System.out);
            default:
                LogFile f = new LogFile(Path.of(t));
                return new EventLog(f, f, false);
        }
    }

    /**
     * As {@link #forTarget}, but a logtarget file that cannot be opened for writing does not stop
     * the daemon: the log goes to stderr (the journal under systemd) and {@code problem} receives
     * why, to be logged once the log is in use. The usual case is the packaged service reading
     * {@code /etc/fail2ban}: Debian's fail2ban.conf names {@code /var/log/fail2ban.log}, which the
     * service's unprivileged user may not write.
     */
    public static EventLog forTargetOrStderr(String target, java.util.function.Consumer<String> problem) {
        try {
            return forTarget(target);
        } catch (IOException | RuntimeException e) {
            problem.accept("logtarget " + target.strip() + " cannot be opened for writing (" + reason(e)
                    + "); logging to stderr instead (the journal under systemd)");
            EventLog stderr = stderr();
            stderr.unwritableTarget = Path.of(target.strip()).toAbsolutePath().normalize().toString();
            return stderr;
        }
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** The logtarget file that could not be opened ({@link #forTargetOrStderr}), or null. */
    public String unwritableTarget() {
        return unwritableTarget;
    }

    /**
     * A source of this daemon's own log lines for {@code jail}, whose logpath is the logtarget this
     * log could not open ({@link #unwritableTarget}): from now on every line logged, DEBUG lines
     * excepted, is copied to the jail's queue, which a later call for the same jail (a reload)
     * reads on. See {@link OwnLogSource}.
     */
    public OwnLogSource ownLines(String jail) {
        String target = unwritableTarget;
        if (target == null) {
            throw new IllegalStateException("this log writes its logtarget: a jail reads it as a file");
        }
        return ownLines(jail, target);
    }

    /**
     * As {@link #ownLines(String)}, for a jail that looks for fail2ban's log elsewhere (the journal
     * of fail2ban.service, which Portcullis replaces); {@code description} is what the jail's
     * status shows it reads.
     */
    public OwnLogSource ownLines(String jail, String description) {
        OwnLogSource.Lines lines = copies.computeIfAbsent(jail, k -> new OwnLogSource.Lines(OwnLogSource.CAPACITY));
        copying = true;
        return new OwnLogSource(description, jail, lines, this);
    }

    /** Stops copying lines for the jails not in {@code jails} (they no longer read this log, after a reload). */
    public void keepOwnLinesFor(java.util.Collection<String> jails) {
        copies.keySet().retainAll(jails);
        copying = !copies.isEmpty();
    }

    /**
     * For a file logtarget: opens it again if logrotate moved or removed it (the daemon calls this
     * every second); with {@code always}, opens it again in any case (fail2ban-client's
     * {@code flushlogs}, which logrotate's postrotate may run). Lines buffered so far go to the
     * file they were written for. Returns true when the log was reopened; false for stderr.
     */
    public boolean reopen(boolean always) {
        if (file == null) {
            return false;
        }
        boolean reopened;
        synchronized (out) {
            try {
                out.flush();
            } catch (IOException e) {
                // the old file: nothing more to do for it
            }
            try {
                if (always) {
                    file.reopen();
                    reopened = true;
                } else {
                    reopened = file.reopenIfMoved();
                }
                reopenProblem = null;
            } catch (IOException e) {
                reopened = false;
                String problem = "cannot reopen log file " + file.path() + ": " + reason(e)
                        + "; writing on to the file open before, trying again each second";
                if (!problem.equals(reopenProblem)) {
                    reopenProblem = problem;
                    line("portcullis.server", "ERROR", problem);
                }
            }
        }
        if (reopened) {
            info("portcullis.server", "log file " + file.path() + " reopened");
        }
        return reopened;
    }

    /** The process id, read from {@code /proc/self} (ProcessHandle is off limits in production code). */
    public static long ownPid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
            return 0;
        }
    }

    public void setDebug(boolean on) {
        this.debug = on;
    }

    public void ban(String jail, String target) {
        line("fail2ban.actions", "NOTICE", "[" + jail + "] Ban " + target);
    }

    public void restoreBan(String jail, String target) {
        line("fail2ban.actions", "NOTICE", "[" + jail + "] Restore Ban " + target);
    }

    public void unban(String jail, String target) {
        line("fail2ban.actions", "NOTICE", "[" + jail + "] Unban " + target);
    }

    /** fail2ban's "Found" line; {@code whenMillis} is the failure's own time, shown in local time to the second. */
    public void found(String jail, String id, long whenMillis) {
        StringBuilder b = head("fail2ban.filter", "INFO", jail.length() + id.length() + 32);
        b.append('[').append(jail).append("] Found ").append(id).append(" - ").append(time.seconds(whenMillis));
        emit(b, false);
    }

    /** fail2ban's line for a failure of an ignored address, buffered as "Found" lines are: {@code [sshd] Ignore 192.0.2.1 by ip}. */
    public void ignored(String jail, String address, String why) {
        StringBuilder b = head("fail2ban.filter", "INFO", jail.length() + address.length() + why.length() + 16);
        b.append('[').append(jail).append("] Ignore ").append(address).append(" by ").append(why);
        emit(b, false);
    }

    public void info(String logger, String message) {
        line(logger, "INFO", message);
    }

    public void notice(String logger, String message) {
        line(logger, "NOTICE", message);
    }

    /**
     * A ban or unban line (NOTICE), buffered like "Found" lines: a commit of 1000 bans writes its
     * lines with one write instead of 1000. Flushed by the reader after its commit, by the
     * control verbs, and at the latest by the next poll of any reader (every 500 ms).
     */
    public void action(String logger, String message) {
        line(logger, "NOTICE", message, false);
    }

    public void warning(String logger, String message) {
        line(logger, "WARNING", message);
    }

    public void error(String logger, String message) {
        line(logger, "ERROR", message);
    }

    public void debug(String logger, String message) {
        if (debug) {
            // not copied to the jails reading this log (OwnLogSource): they would feed themselves
            emit(head(logger, "DEBUG", message.length()).append(message), true, false);
        }
    }

    private void line(String logger, String level, String message) {
        line(logger, level, message, true);
    }

    private void line(String logger, String level, String message, boolean flush) {
        emit(head(logger, level, message.length()).append(message), flush);
    }

    /**
     * Each thread's line builder, reused: a burst logs thousands of "Found" and "Ban" lines, and a
     * builder per line was a tenth of what a reader allocated (young collections in the burst).
     * One that grew past {@link #KEPT_BUILDER} for a long line is dropped after it.
     */
    private static final ThreadLocal<StringBuilder> BUILDER = ThreadLocal.withInitial(() -> new StringBuilder(256));
    private static final int KEPT_BUILDER = 4096;

    /** The thread's builder, holding the line's time, logger, pid and level, with room for {@code room} more characters. */
    private StringBuilder head(String logger, String level, int room) {
        StringBuilder b = BUILDER.get();
        b.setLength(0);
        b.ensureCapacity(80 + room); // the head is ~66 chars with a 7-digit pid, plus the newline
        if (journalPriorities) {
            b.append('<').append(priority(level)).append('>');
        }
        time.appendMillis(b, System.currentTimeMillis()).append(' ');
        return b.append(tail(logger, level));
    }

    /** syslog's priority of fail2ban's level names (Python logging's, NOTICE included). */
    private static char priority(String level) {
        return switch (level) {
            case "CRITICAL" -> '2';
            case "ERROR" -> '3';
            case "WARNING" -> '4';
            case "NOTICE" -> '5';
            case "DEBUG" -> '7';
            default -> '6';
        };
    }

    /** A head's text after its time, for one logger and level: {@code "fail2ban.filter         [pid]: INFO    "}. */
    private record Tail(String logger, String level, String text) {}

    /** The last two heads' tails (a burst alternates "Found" and "Ban" lines); racy, but each is immutable. */
    private Tail tail1 = new Tail("", "", ""), tail2 = tail1;

    private String tail(String logger, String level) {
        Tail t = tail1;
        if (t.logger == logger && t.level == level) {
            return t.text;
        }
        Tail u = tail2;
        if (u.logger == logger && u.level == level) {
            tail1 = u;
            tail2 = t;
            return u.text;
        }
        StringBuilder b = new StringBuilder(48);
        pad(b, logger, 24).append('[').append(pid).append("]: ");
        Tail n = new Tail(logger, level, pad(b, level, 7).append(' ').toString());
        tail2 = t;
        tail1 = n;
        return n.text;
    }

    private void emit(StringBuilder line, boolean flush) {
        emit(line, flush, true);
    }

    private void emit(StringBuilder line, boolean flush, boolean copy) {
        line.append('\n');
        int n = line.length();
        synchronized (out) {
            try {
                // ASCII (nearly every line) is copied straight into a reused buffer; anything else
                // is encoded as UTF-8. No String and byte[] per line: a burst writes thousands.
                byte[] a = ascii.length >= n ? ascii : (ascii = new byte[Math.max(n, 2 * ascii.length)]);
                // the characters in one bulk copy: charAt per character is a call and two checks
                // each under C1, the daemon's only compiler
                char[] cs = chars.length >= n ? chars : (chars = new char[a.length]);
                line.getChars(0, n, cs, 0);
                int i = 0;
                while (i < n) {
                    char c = cs[i];
                    if (c >= 0x80) {
                        break;
                    }
                    a[i++] = (byte) c;
                }
                if (i == n) {
                    out.write(a, 0, n);
                } else {
                    out.write(line.toString().getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // as PrintStream: a log that cannot be written does not stop the daemon
            }
            if (copy && copying) { // under the lock: every jail gets the lines in the order written
                pendingCopies.add(line.substring(journalPriorities ? 3 : 0, n - 1)); // without the journal's "<N>"
                if (pendingCopies.size() >= OwnLogSource.SLICE) {
                    publishCopies();
                }
            }
            if (flush) {
                flush();
            }
        }
        if (line.capacity() > KEPT_BUILDER) {
            BUILDER.remove();
        }
    }

    private static StringBuilder pad(StringBuilder b, String s, int width) {
        b.append(s);
        for (int i = s.length(); i < width; i++) {
            b.append(' ');
        }
        return b;
    }
}
