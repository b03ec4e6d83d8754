package ips.app.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code get JAIL datepattern} prints what fail2ban-client prints (read off fail2ban 1.0.2's Filter). */
class GetTextTest {
    @Test
    void datePatternIsFail2bansPatternAndTemplateName() {
        assertEquals("Default Detectors", GetText.datePattern(null));
        assertEquals("Default Detectors", GetText.datePattern("{^LN-BEG}"));
        assertEquals("%Y-%m-%d %H:%M:%S (Year-Month-Day 24hour:Minute:Second)",
                GetText.datePattern("%Y-%m-%d %H:%M:%S"));
        assertEquals("^%b %d %H:%M:%S (^MON Day 24hour:Minute:Second)", GetText.datePattern("^%b %d %H:%M:%S"));
        assertEquals("{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS ({^LN-BEG}ExYear-ExMonth-ExDay Ex24hour:ExMinute:ExSecond)",
                GetText.datePattern("{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS"));
        assertEquals("Epoch", GetText.datePattern("EPOCH"));
        assertEquals("TAI64N", GetText.datePattern("TAI64N"));
    }
}
