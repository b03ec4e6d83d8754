package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeZonesTest {

    @ParameterizedTest
    @CsvSource({"UTC,0", "Z,0", "GMT,0", "CET,60", "CEST,120", "+0100,60", "-0430,-270", "UTC+0300,180",
        "UTC-0430,-270", "GMT+12,720", "CET+0130,150", "CEST-01,60", "NPT,345", "EST,-300"})
    void shouldReadFail2banLogtimezoneAsFixedOffsetsEastOfUtc(String tz, int minutes) throws Exception {
        ZoneRules rules = TimeZones.parse(tz);
        assertEquals(ZoneOffset.ofTotalSeconds(minutes * 60), rules.getOffset(Instant.EPOCH));
        assertEquals(ZoneOffset.ofTotalSeconds(minutes * 60), rules.getOffset(Instant.parse("2024-07-01T00:00:00Z")));
    }

    @Test
    void shouldFollowTheEuRuleWrittenAsAPosixString() throws Exception {
        ZoneRules posix = TimeZones.parse("CET-1CEST,M3.5.0,M10.5.0/3");
        ZoneRules zurich = ZoneId.of("Europe/Zurich").getRules();
        for (long t = Instant.parse("1996-01-01T00:00:00Z").getEpochSecond(); t < Instant.parse("2040-01-01T00:00:00Z").getEpochSecond();
                t += 3600 * 7 + 123) {
            Instant i = Instant.ofEpochSecond(t);
            assertEquals(zurich.getOffset(i), posix.getOffset(i), i::toString);
        }
    }

    @Test
    void shouldEndSummerTimeAtTwoOClockSummerTimeForFail2bansTestZone() throws Exception {
        // fail2ban's tests use CET-01CEST-02,M3.5.0,M10.5.0: no /3, so summer time ends at 02:00 CEST = 00:00 UTC,
        // one hour before the EU rule (glibc reads it the same way)
        ZoneRules posix = TimeZones.parse("CET-01CEST-02,M3.5.0,M10.5.0");
        assertEquals(ZoneOffset.ofHours(2), posix.getOffset(Instant.parse("2016-10-29T23:59:59Z")));
        assertEquals(ZoneOffset.ofHours(1), posix.getOffset(Instant.parse("2016-10-30T00:00:00Z")));
        assertEquals(ZoneOffset.ofHours(1), posix.getOffset(Instant.parse("2016-03-27T00:59:59Z")));
        assertEquals(ZoneOffset.ofHours(2), posix.getOffset(Instant.parse("2016-03-27T01:00:00Z")));
        assertEquals(ZoneOffset.ofHours(2), posix.getOffset(Instant.parse("2005-08-14T10:00:00Z")));
    }

    @Test
    void shouldReadUsRulesAndDefaultRulesOfAPosixString() throws Exception {
        ZoneRules ny = ZoneId.of("America/New_York").getRules();
        for (String tz : new String[] {"EST5EDT,M3.2.0,M11.1.0", "EST5EDT", "<EST>+5<EDT>,M3.2.0/2,M11.1.0/2:00:00"}) {
            ZoneRules posix = TimeZones.parse(tz);
            for (long t = Instant.parse("2008-01-01T00:00:00Z").getEpochSecond(); t < Instant.parse("2030-01-01T00:00:00Z").getEpochSecond();
                    t += 3600 * 5 + 77) {
                Instant i = Instant.ofEpochSecond(t);
                assertEquals(ny.getOffset(i), posix.getOffset(i), () -> tz + " " + i);
            }
        }
    }

    @Test
    void shouldReadIanaIds() throws Exception {
        assertEquals(ZoneId.of("Europe/Zurich").getRules(), TimeZones.parse("Europe/Zurich"));
        assertEquals(ZoneOffset.ofHours(3), TimeZones.parse("UTC+03:00").getOffset(Instant.EPOCH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "WRONG-TZ", "Mars/Olympus", "ABC", "CET-01CEST-02,J60,M10.5.0", "X1", "CET-01CEST-02,M13.5.0,M10.5.0",
        "CET-01CEST-02,M3.5.0", "+2500"})
    void shouldRejectWhatIsNoZone(String tz) {
        assertThrows(DatePatternException.class, () -> TimeZones.parse(tz));
    }

    @Test
    void theHostsZoneIsUtcOnlyWhenEveryPlaceTheJdkReadsSaysSo() {
        String utcLink = "/usr/share/zoneinfo/Etc/UTC";
        assertEquals(true, TimeZones.hostIsUtc(null, null, null, utcLink));
        assertEquals(true, TimeZones.hostIsUtc(null, null, "Etc/UTC\n", "../usr/share/zoneinfo/UTC"));
        assertEquals(true, TimeZones.hostIsUtc(null, "", null, utcLink), "an empty user.timezone is unset");
        // another zone anywhere the JDK looks: the JDK decides
        assertEquals(false, TimeZones.hostIsUtc(null, null, "Europe/Zurich\n", utcLink));
        assertEquals(false, TimeZones.hostIsUtc(null, null, null, "/usr/share/zoneinfo/Europe/Zurich"));
        assertEquals(false, TimeZones.hostIsUtc("Europe/Zurich", null, null, utcLink));
        assertEquals(false, TimeZones.hostIsUtc("", null, null, utcLink));
        assertEquals(false, TimeZones.hostIsUtc(null, "Europe/Zurich", null, utcLink));
        assertEquals(false, TimeZones.hostIsUtc(null, null, "?", utcLink), "an unreadable /etc/timezone");
        assertEquals(false, TimeZones.hostIsUtc(null, null, null, null), "/etc/localtime not a link");
        assertEquals(false, TimeZones.hostIsUtc(null, null, null, "/etc/zone"));
        // TZ and user.timezone win over the files, as in the JDK
        assertEquals(true, TimeZones.hostIsUtc(":UTC", null, "Europe/Zurich", null));
        assertEquals(true, TimeZones.hostIsUtc(null, "Etc/UTC", null, "/usr/share/zoneinfo/Europe/Zurich"));
    }

    @Test
    void theHostsZoneHasTheJdksOffsets() {
        ZoneRules ours = TimeZones.system();
        ZoneRules jdk = ZoneId.systemDefault().getRules();
        for (long s = 0; s < 4_000_000_000L; s += 86_400L * 17) {
            Instant t = Instant.ofEpochSecond(s);
            assertEquals(jdk.getOffset(t), ours.getOffset(t), t::toString);
        }
    }
}
