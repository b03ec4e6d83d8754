package ips.app.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The daemon's log, in fail2ban's line format so that existing log watchers (and fail2ban's own
 * {@code recidive} filter) keep working:
 * <pre>2026-11-23 18:20:17,123 fail2ban.actions        [1234]: NOTICE  [sshd] Ban 192.0.2.1</pre>
 * Written to stderr by default (the journal under systemd), or to fail2ban's {@code logtarget}.
 */
public final class EventLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private final PrintStream out;
    private final long pid;
    private volatile boolean debug;

    public EventLog(PrintStream out) {
        // Our own buffer: "Found" lines (one per failure, thousands a second under attack) are
        // written without a flush each; every other line, and the end of each batch, flushes.
        this.out = new PrintStream(new java.io.BufferedOutputStream(out, 1 << 16), false,
                java.nio.charset.StandardCharsets.UTF_8);
        this.pid = ownPid();
    }

    /** Writes out buffered lines (called after each batch of log lines). */
    public void flush() {
        synchronized (out) {
            out.flush();
        }
    }

    /** fail2ban's {@code logtarget}: STDERR, STDOUT, or a file path (SYSLOG and SYSTEMD-JOURNAL mean stderr here). */
    public static EventLog forTarget(String target) throws IOException {
        if (target == null || target.isBlank()) {
            return new EventLog(System.err);
        }
        String t = target.strip();
        switch (t.toUpperCase(java.util.Locale.ROOT)) {
            case "STDERR", "SYSLOG", "SYSTEMD-JOURNAL":
                return new EventLog(System.err);
            case "STDOUT":
                return new EventLog(System.out);
            default:
                Path p = Path.of(t);
                if (p.getParent() != null) {
                    Files.createDirectories(p.getParent());
                }
                return new EventLog(new PrintStream(Files.newOutputStream(p,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true,
                        java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The process id, read from {@code /proc/self} (ProcessHandle is off limits in production code). */
    private static long ownPid() {
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

    public void found(String jail, String id, String when) {
        line("fail2ban.filter", "INFO", "[" + jail + "] Found " + id + " - " + when, false);
    }

    public void info(String logger, String message) {
        line(logger, "INFO", message);
    }

    public void notice(String logger, String message) {
        line(logger, "NOTICE", message);
    }

    public void warning(String logger, String message) {
        line(logger, "WARNING", message);
    }

    public void error(String logger, String message) {
        line(logger, "ERROR", message);
    }

    public void debug(String logger, String message) {
        if (debug) {
            line(logger, "DEBUG", message);
        }
    }

    private void line(String logger, String level, String message) {
        line(logger, level, message, true);
    }

    private void line(String logger, String level, String message, boolean flush) {
        String text = TIME.format(LocalDateTime.now()) + " " + pad(logger, 24) + "[" + pid + "]: " + pad(level, 7) + " " + message;
        synchronized (out) {
            out.println(text);
            if (flush) {
                out.flush();
            }
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
