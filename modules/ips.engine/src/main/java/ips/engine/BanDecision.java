package ips.engine;

import ips.api.Ban;

/**
 * A ban the engine decided, with why.
 *
 * @param ban the jail, target and expiry
 * @param banTimeMillis the ban's length after {@code bantime.increment} (negative: permanent)
 * @param banCount how many times the target has been banned in the jail, this ban included
 * @param failures the failure count that triggered it (0 for manual, recidive and restore)
 * @param reason why
 */
public record BanDecision(Ban ban, long banTimeMillis, int banCount, int failures, Reason reason) {
    public enum Reason {
        /** maxretry failures within findtime. */
        FAILURES,
        /** Enough addresses of one prefix were banned that the prefix is banned. */
        AGGREGATE,
        /** Banned repeatedly in other jails. */
        RECIDIVE,
        /** An operator's {@code ban} command. */
        MANUAL
    }

    /**
     * fail2ban's observer line for a ban that {@code bantime.increment} made longer than the jail's
     * {@code bantime} ({@code baseBanTimeMillis}), byte for byte: {@code [sshd] Increase Ban
     * 192.0.2.1 (2 # 6s -> 2026-12-06 23:11:35)}, the end in local time; null for any other ban.
     */
    public String increaseLine(long baseBanTimeMillis, java.time.ZoneId zone) {
        if (banTimeMillis == baseBanTimeMillis || baseBanTimeMillis < 0) {
            return null;
        }
        String length;
        String end;
        if (banTimeMillis < 0 || ban.expiresAtMillis() == Ban.PERMANENT) {
            length = "permanent";
            end = "infinite";
        } else {
            length = seconds2str(banTimeMillis / 1000);
            end = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                    .format(java.time.Instant.ofEpochMilli(ban.expiresAtMillis()).atZone(zone));
        }
        return "[" + ban.jail() + "] Increase Ban " + ban.target() + " (" + banCount + " # " + length + " -> " + end + ")";
    }

    /** fail2ban's MyTime.seconds2str ({@link ips.api.DurationText}). */
    static String seconds2str(long seconds) {
        return ips.api.DurationText.of(seconds);
    }

    /** fail2ban's log line, byte for byte: {@code [sshd] Ban 203.0.113.7}. */
    public String logLine() {
        return "[" + ban.jail() + "] Ban " + ban.target();
    }
}
