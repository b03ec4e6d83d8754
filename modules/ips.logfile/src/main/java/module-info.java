/**
 * Follows log files for fail2ban's {@code backend = auto|polling|pyinotify} with {@code logpath}:
 * event-driven wake-ups ({@link java.nio.file.WatchService}, inotify on Linux), rename and
 * copytruncate rotation without losing or repeating a line, resume after restart from a position
 * plus a fingerprint of the file's head, globs. No native code.
 */
module ips.logfile {
    requires ips.api;

    exports ips.logfile;
    exports ips.logfile.bench;

    provides ips.api.LogSourceProvider with ips.logfile.FileLogSourceProvider;
}
