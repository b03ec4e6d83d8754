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

    /** fail2ban's log line, byte for byte: {@code [sshd] Ban 203.0.113.7}. */
    public String logLine() {
        return "[" + ban.jail() + "] Ban " + ban.target();
    }
}
