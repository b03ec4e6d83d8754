package ips.filter.date;

/**
 * fail2ban's {@code reGroupDictStrptime} (strptime.py) as a reusable accumulator: the template sets the
 * fields it matched, then {@link #resolve} applies fail2ban's rules (year-less dates in the future go to
 * last year, time-only dates in the future go to yesterday, two-digit years are 20xx, {@code %f} is
 * ignored, an explicit zone wins over the local zone).
 */
final class Strptime {

    static final int NONE = Integer.MIN_VALUE;

    private static final long MIN_SECOND = TimeContext.daysFromCivil(1, 1, 1) * TimeContext.SECONDS_PER_DAY;
    private static final long MAX_SECOND = (TimeContext.daysFromCivil(9999, 12, 31) + 1) * TimeContext.SECONDS_PER_DAY - 1;
    /** Python date.toordinal() of 1970-01-01. */
    private static final long ORDINAL_OF_EPOCH = 719_163L;

    int year;
    int month;
    int day;
    int hour;
    int minute;
    int second;
    int tzOffsetMinutes;
    int weekday;
    int julian;
    int weekOfYear;
    boolean weekStartsMonday;
    /** Set when a field conversion raised in fail2ban (unknown name, bad zone...). */
    boolean invalid;

    // Consecutive lines mostly share today and their date: the last conversions of each are kept.
    private long lastNowDay = Long.MIN_VALUE;
    private long lastNowYmd;
    private int lastYmd = -1;
    private long lastDays;

    void reset() {
        year = month = day = NONE;
        hour = minute = second = 0;
        tzOffsetMinutes = NONE;
        weekday = julian = weekOfYear = NONE;
        weekStartsMonday = false;
        invalid = false;
    }

    /** Epoch milliseconds, or {@link DateMatch#NO_TIME}. */
    long resolve(TimeContext ctx) {
        if (invalid) {
            return DateMatch.NO_TIME;
        }
        long nowLocal = ctx.nowLocalMillis();
        long nowDay = Math.floorDiv(nowLocal, 86_400_000L);
        if (nowDay != lastNowDay) {
            lastNowYmd = TimeContext.civilFromDays(nowDay);
            lastNowDay = nowDay;
        }
        long nowYmd = lastNowYmd;
        int y = year;
        int mo = month;
        int d = day;
        boolean assumeYear = false;
        if (y == NONE) {
            y = (int) (nowYmd / 10000);
            assumeYear = true;
        }
        if (mo == NONE || d == NONE) {
            int jul = julian;
            if (jul == NONE && weekOfYear != NONE && weekday != NONE) {
                if (y < 1 || y > 9999) {
                    return DateMatch.NO_TIME;
                }
                jul = julianFromWeek(y, weekOfYear, weekday, weekStartsMonday);
            }
            if (jul != NONE) {
                if (y < 1 || y > 9999) {
                    return DateMatch.NO_TIME;
                }
                long ordinal = (jul - 1L) + TimeContext.daysFromCivil(y, 1, 1) + ORDINAL_OF_EPOCH;
                if (ordinal < 1 || ordinal > TimeContext.daysFromCivil(9999, 12, 31) + ORDINAL_OF_EPOCH) {
                    return DateMatch.NO_TIME;
                }
                long ymd = TimeContext.civilFromDays(ordinal - ORDINAL_OF_EPOCH);
                y = (int) (ymd / 10000);
                mo = (int) (ymd / 100 % 100);
                d = (int) (ymd % 100);
            }
        }
        boolean assumeToday = false;
        if (mo == NONE && d == NONE) {
            mo = (int) (nowYmd / 100 % 100);
            d = (int) (nowYmd % 100);
            assumeToday = true;
        }
        if (mo == NONE || d == NONE) {
            return DateMatch.NO_TIME; // TypeError in fail2ban: datetime() without month or day
        }
        if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > TimeContext.lengthOfMonth(y, mo)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return DateMatch.NO_TIME;
        }
        int ymd = y * 10000 + mo * 100 + d;
        if (ymd != lastYmd) {
            lastDays = TimeContext.daysFromCivil(y, mo, d);
            lastYmd = ymd;
        }
        long naive = lastDays * TimeContext.SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
        if (tzOffsetMinutes != NONE) {
            naive -= tzOffsetMinutes * 60L;
            if (naive < MIN_SECOND || naive > MAX_SECOND) {
                return DateMatch.NO_TIME; // OverflowError
            }
        }
        if (assumeToday && naive * 1000L > nowLocal) {
            naive -= TimeContext.SECONDS_PER_DAY;
            if (naive < MIN_SECOND) {
                return DateMatch.NO_TIME;
            }
        }
        if (assumeYear && naive * 1000L > nowLocal + 86_400_000L) {
            // date_result.replace(year=year-1, month=month, day=day): keeps the (zone-shifted) time of day
            long secOfDay = Math.floorMod(naive, TimeContext.SECONDS_PER_DAY);
            int py = y - 1;
            if (py < 1 || d > TimeContext.lengthOfMonth(py, mo)) {
                return DateMatch.NO_TIME;
            }
            naive = TimeContext.daysFromCivil(py, mo, d) * TimeContext.SECONDS_PER_DAY + secOfDay;
        }
        long epochSecond = tzOffsetMinutes != NONE ? naive : ctx.utcOfLocal(naive);
        return epochSecond * 1000L;
    }

    /** _strptime._calc_julian_from_U_or_W. */
    private static int julianFromWeek(int year, int weekOfYear, int dayOfWeek, boolean weekStartsMonday) {
        // date(year, 1, 1).weekday(): Monday == 0; 1970-01-01 was a Thursday (3)
        int firstWeekday = (int) Math.floorMod(TimeContext.daysFromCivil(year, 1, 1) + 3, 7);
        if (!weekStartsMonday) {
            firstWeekday = (firstWeekday + 1) % 7;
            dayOfWeek = (dayOfWeek + 1) % 7;
        }
        int week0Length = (7 - firstWeekday) % 7;
        if (weekOfYear == 0) {
            return 1 + dayOfWeek - firstWeekday;
        }
        int daysToWeek = week0Length + 7 * (weekOfYear - 1);
        return 1 + daysToWeek + dayOfWeek;
    }
}
