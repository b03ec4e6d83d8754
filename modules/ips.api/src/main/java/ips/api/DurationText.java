package ips.api;

/**
 * A duration as fail2ban writes one in its log ({@code MyTime.seconds2str}): at most three groups,
 * rounded the way it rounds them ("1h 5m", "2d 7h 15m", "59s"). Used by the ban lines of {@code
 * bantime.increment} and by the filter's timing warnings, both byte for byte as fail2ban's.
 */
public final class DurationText {
    private DurationText() {}

    /** {@code MyTime.seconds2str(seconds)}; half-way cases round to even, as Python's {@code round}. */
    public static String of(long seconds) {
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
}
