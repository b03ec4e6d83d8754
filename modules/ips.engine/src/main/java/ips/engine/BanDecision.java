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

    /** fail2ban's MyTime.seconds2str: at most three groups, rounded the way it rounds them ("1h 5m", "6s"). */
    static String seconds2str(long seconds) {
        long s = seconds;
        StringBuilder r = new StringBuilder();
        if (s >= 31_536_000) {
            threeUnits(r, Math.rint(s / 86400.0), 365, "y", 7, "w", "d");
        } else if (s >= 604_800) {
            threeUnits(r, Math.rint(s / 3600.0), 168, "w", 24, "d", "h");
        } else if (s >= 86_400) {
            threeUnits(r, Math.rint(s / 60.0), 1440, "d", 60, "h", "m");
        } else if (s >= 3595) {
            s = (long) Math.rint(s / 10.0);
            r.append(s / 360).append("h ");
            s %= 360;
            if (s >= 6) {
                r.append(s / 6).append("m ");
            }
        } else {
            if (s >= 60) {
                r.append(s / 60).append("m ");
                s %= 60;
            }
            if (s != 0) {
                r.append(s).append("s ");
            } else if (seconds == 0) {
                r.append("0 ");
            }
        }
        return r.substring(0, r.length() - 1);
    }

    /**
     * One of seconds2str's long forms: {@code rounded} (a count of the smallest unit) as so many
     * of the big unit, then the middle unit when there are enough, then the rest when not 0.
     */
    private static void threeUnits(StringBuilder r, double rounded, long big, String bigName, long mid, String midName,
            String smallName) {
        long v = (long) rounded;
        r.append(v / big).append(bigName).append(' ');
        v %= big;
        if (v >= mid) {
            r.append(v / mid).append(midName).append(' ');
            v %= mid;
        }
        if (v != 0) {
            r.append(v).append(smallName).append(' ');
        }
    }

    /** fail2ban's log line, byte for byte: {@code [sshd] Ban 203.0.113.7}. */
    public String logLine() {
        return "[" + ban.jail() + "] Ban " + ban.target();
    }
}
