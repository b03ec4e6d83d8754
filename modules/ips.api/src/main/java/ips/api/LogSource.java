package ips.api;

import java.io.IOException;

/**
 * A stream of log lines: followed files or the systemd journal. One thread polls it; it owns no
 * thread of its own.
 */
public interface LogSource extends AutoCloseable {

    /** What it reads, for messages: paths or journal matches. */
    String description();

    /**
     * Delivers the lines available now to {@code sink}; when there is none, waits up to {@code
     * timeoutMillis} for more (event-driven, never a busy loop) and delivers what came. A large
     * backlog is delivered in slices of some tens of thousands of lines, one per poll, so that the
     * caller can act on each slice (commit its bans, notice a stop) before polling again.
     *
     * @return the number of lines delivered
     */
    int poll(LineSink sink, long timeoutMillis) throws IOException, InterruptedException;

    /**
     * Ends the wait of a {@link #poll} in progress at once, and lets no later poll wait: the source
     * is about to be closed (the daemon stops or reloads). Safe from any thread while another one
     * polls; lines already available are still delivered, and the position stays exact. By default
     * nothing: a poll then ends at its timeout.
     */
    default void stopWaiting() {}

    /**
     * What this source names but cannot read now, one sentence each, saying what it does about it
     * ({@code "/var/log/auth.log: no such file; read once it appears"}); empty when it reads
     * everything it names. fail2ban refuses a jail whose logpath matches no file ("Have not found
     * any log file"); the daemon warns at start and {@code check-config} lists them. Call it
     * before the first poll, or from the polling thread. By default nothing.
     */
    default java.util.List<String> notFollowed() {
        return java.util.List.of();
    }

    /**
     * The files it reads now, as paths (fail2ban's "File list" and {@code get JAIL logpath} name the
     * files a logpath's glob matched, not the glob); empty when it reads no file (the journal). Any
     * thread may call it. By default nothing.
     */
    default java.util.List<String> followed() {
        return java.util.List.of();
    }

    /** Saves the resume position now (also done periodically and on close). */
    void checkpoint() throws IOException;

    @Override
    void close() throws IOException;
}
