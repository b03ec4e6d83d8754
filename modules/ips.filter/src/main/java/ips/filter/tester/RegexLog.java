package ips.filter.tester;

import ips.filter.FilterWarnings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * fail2ban-regex's log ({@code -l LEVEL}, default {@code critical}): the filter's warnings and
 * errors ({@link FilterWarnings}) as fail2ban-regex's logger prints them on stdout,
 * <pre>2026-12-07 04:45:19,807 fail2ban.filter         [24115]: WARNINGW: [~jailless~] Found a match but no valid date/time found for ''.</pre>
 * that is Python logging's {@code "%(asctime)s %(name)-24s[%(process)d]: %(levelname)-7s"}
 * followed by fail2ban-regex's {@code "%(levelname)-1.1s: %(message)s"}. fail2ban's own INFO and
 * DEBUG messages (which files it loads, each line it works on) have no counterpart here.
 */
final class RegexLog {
    /** The jail name fail2ban-regex's filter has. */
    static final String JAILLESS = "~jailless~";

    /** Python logging's level names as {@code getattr(logging, NAME)} finds them, with fail2ban's. */
    private static final Map<String, Integer> LEVELS = Map.ofEntries(Map.entry("CRITICAL", 50), Map.entry("FATAL", 50),
            Map.entry("ERROR", 40), Map.entry("WARNING", 30), Map.entry("WARN", 30), Map.entry("NOTICE", 25),
            Map.entry("INFO", 20), Map.entry("MSG", 18), Map.entry("DEBUG", 10), Map.entry("TRACEDEBUG", 7),
            Map.entry("HEAVYDEBUG", 5), Map.entry("NOTSET", 0));
    private static final int WARNING = 30;
    private static final int ERROR = 40;

    /** Python logging's asctime; built on the first message (every run has a log, few print to it). */
    private static final class Asctime {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS", Locale.ROOT);
    }

    private final int threshold;
    /** This process's id, read on the first message; -1 before. */
    private long pid = -1;
    private java.time.zone.ZoneRules zone;

    private RegexLog(int threshold) {
        this.threshold = threshold;
    }

    /**
     * The log at {@code level} as fail2ban's {@code str2LogLevel} reads it (digits, or a level name
     * in any case), or null when it is no level. Level 0 ({@code notset}) leaves fail2ban's logger
     * at its parent's level, WARNING.
     */
    static RegexLog at(String level) {
        Integer n;
        if (!level.isEmpty() && level.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                n = Integer.valueOf(level);
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            n = LEVELS.get(level.toUpperCase(Locale.ROOT));
        }
        if (n == null) {
            return null;
        }
        return new RegexLog(n == 0 ? WARNING : n);
    }

    /** Nothing this tester logs is at or above the level: the run may skip what only a log would see. */
    boolean silent() {
        return threshold > ERROR;
    }

    /** Errors are logged: every line's date must be looked at, even on lines no failregex can match. */
    boolean errors() {
        return threshold <= ERROR;
    }

    /** Below INFO fail2ban-regex would also print fail2ban's own tracing, which this tester does not have. */
    boolean belowWarning() {
        return threshold < WARNING;
    }

    /** The filter's warnings, each line given to {@code lines} when its level is logged. */
    FilterWarnings warnings(Consumer<String> lines) {
        return new FilterWarnings(JAILLESS, (level, message) -> {
            int n = level.equals("ERROR") ? ERROR : WARNING;
            if (n >= threshold) {
                lines.accept(line(level, message, System.currentTimeMillis()));
            }
        }, true);
    }

    /** WARNING lines of fail2ban's {@code ipdns} logger (a host name's lookup) to {@code lines}, or null when not logged. */
    java.util.function.Consumer<String> dnsWarnings(Consumer<String> lines) {
        return WARNING >= threshold ? message -> lines.accept(line("fail2ban.ipdns", "WARNING", message, System.currentTimeMillis()))
                : null;
    }

    String line(String level, String message, long millis) {
        return line("fail2ban.filter", level, message, millis);
    }

    private String line(String name, String level, String message, long millis) {
        if (zone == null) {
            zone = ips.filter.date.TimeZones.system();
            pid = ownPid();
        }
        Instant t = Instant.ofEpochMilli(millis);
        return Asctime.FORMAT.format(LocalDateTime.ofInstant(t, zone.getOffset(t))) + " " + name + " ".repeat(24 - name.length())
                + "[" + pid + "]: " + level + " ".repeat(Math.max(0, 7 - level.length())) + level.charAt(0) + ": " + message;
    }

    /** This process's id, as the kernel names it in /proc (0 when it cannot be read). */
    private static long ownPid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
            return 0;
        }
    }
}
