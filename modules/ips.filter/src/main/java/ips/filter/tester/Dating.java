package ips.filter.tester;

import ips.filter.LineDater;
import ips.filter.date.DateDetector;
import ips.filter.date.DatePatternException;
import ips.filter.date.TimeZones;
import java.time.zone.ZoneRules;
import java.util.function.LongSupplier;

/** Builds test-filter's date detector: the filter's datepattern, or fail2ban's default templates. */
final class Dating {
    private Dating() {}

    static LineDater create(String datepattern, ZoneRules tz, LongSupplier now) throws DatePatternException {
        return dater(detector(datepattern, tz, now));
    }

    /** The detector as a {@link LineDater} that can repeat an answer for lines that begin alike. */
    static LineDater dater(DateDetector d) {
        return new LineDater() {
            @Override
            public boolean find(CharSequence line, ips.filter.date.DateMatch out) {
                return d.find(line, out);
            }

            @Override
            public int repeatable() {
                return d.repeatable();
            }

            @Override
            public boolean repeat(CharSequence line, ips.filter.date.DateMatch out) {
                return d.repeat(line, out);
            }
        };
    }

    /** The detector itself, for its template hits. */
    static DateDetector detector(String datepattern, ZoneRules tz, LongSupplier now) throws DatePatternException {
        return datepattern == null || datepattern.isBlank()
                ? DateDetector.defaults(tz, now)
                : DateDetector.forPattern(datepattern, tz, now);
    }

    /**
     * The detector for {@code --timezone tz} (null or empty: none, the host's zone): a zone given
     * is fail2ban's {@code logtimezone}, whose dates are whole seconds ({@link
     * ips.filter.date.DateMatch#wholeSeconds}).
     */
    static DateDetector detector(String datepattern, String tz, LongSupplier now) throws DatePatternException {
        DateDetector d = detector(datepattern, zone(tz), now);
        return tz == null || tz.isEmpty() ? d : d.zoneGiven();
    }

    /** The zone for dates without one: {@code --tz} (IANA id or POSIX TZ), else the system's. */
    static ZoneRules zone(String tz) throws DatePatternException {
        if (tz == null || tz.isEmpty()) {
            return TimeZones.system();
        }
        return TimeZones.parse(tz);
    }
}
