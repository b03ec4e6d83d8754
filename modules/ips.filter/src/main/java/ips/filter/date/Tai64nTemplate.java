package ips.filter.date;

/**
 * fail2ban's {@code DateTai64n}: {@code @} and 24 hex digits; as in fail2ban the seconds are hex digits
 * 2..17 of the match (the 2^62 label is dropped, TAI-UTC leap seconds are not removed) and the
 * nanoseconds are ignored.
 */
final class Tai64nTemplate extends DateTemplate {

    private Tai64nTemplate(Regex regex) throws DatePatternException {
        super(regex, "TAI64N");
    }

    static Tai64nTemplate of(boolean lineBegin) throws DatePatternException {
        return new Tai64nTemplate(setRegex("@[0-9a-f]{24}", "TAI64N", lineBegin ? BEGIN_LINE : BEGIN_NONE, true));
    }

    /** fail2ban's {@code int(seconds_since_epoch, 16)}: a Python int ({@link DateMatch#wholeSeconds}). */
    @Override
    boolean zoned() {
        return true;
    }

    @Override
    long epochMillis(CharSequence line, TimeContext context) {
        int s = dateStart();
        long seconds = 0;
        for (int i = s + 2; i < s + 17; i++) {
            seconds = (seconds << 4) | Character.digit(line.charAt(i), 16);
        }
        if (seconds > Long.MAX_VALUE / 1000) {
            return DateMatch.NO_TIME;
        }
        return seconds * 1000L;
    }
}
