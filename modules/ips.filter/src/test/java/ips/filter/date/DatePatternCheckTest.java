package ips.filter.date;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DateDetector#check} accepts and refuses exactly what {@link DateDetector#forPattern}
 * builds and refuses, including the default-template keys it does not build.
 */
class DatePatternCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"{^LN-BEG}", "{^ln-beg}", " {^LN-BEG} ", "{DEFAULT}", "{default}\n",
        "{^LN-BEG}\n{^LN-BEG}", "{^LN-BEG}\nEPOCH", "%Y-%m-%d %H:%M:%S", "^%b %d %H:%M:%S",
        "{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS", "EPOCH", "TAI64N", "{NONE}", "^{DATE}"})
    void acceptsWhatForPatternBuilds(String datepattern) throws Exception {
        DateDetector.forPattern(datepattern, ZoneOffset.UTC.getRules(), () -> 0L);
        assertDoesNotThrow(() -> DateDetector.check(datepattern));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%Y-%m-%d %Q", "100%", "EPOCH\nEPOCH", "{DEFAULT}\n{^LN-BEG}%H:%M:%S",
        "{^LN-BEG}\n%Y-%m-%d %Q", "(%Y", "^%H:%M:%S[", "[{DATE}]"})
    void refusesWhatForPatternRefuses(String datepattern) {
        DatePatternException built = assertThrows(DatePatternException.class,
                () -> DateDetector.forPattern(datepattern, ZoneOffset.UTC.getRules(), () -> 0L));
        DatePatternException checked = assertThrows(DatePatternException.class, () -> DateDetector.check(datepattern));
        assertEquals(built.getMessage(), checked.getMessage());
    }
}
