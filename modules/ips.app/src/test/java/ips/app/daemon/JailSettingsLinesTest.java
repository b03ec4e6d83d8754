package ips.app.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Values as fail2ban's server holds them (compared with fail2ban-server itself in the e2e tests). */
class JailSettingsLinesTest {
    @Test
    void theIgnoreListHasNetworksAndNamesFirstThenSingleAddressesOnce() {
        assertEquals(List.of("10.0.0.0/8", "example.com", "2001:db8::/32", "192.0.2.7", "::1", "192.0.2.8/32"),
                JailSettingsLines.ignoreIpOrder(List.of("192.0.2.7", "10.0.0.0/8", "::1", "example.com", "192.0.2.7",
                        "2001:db8::/32", "192.0.2.8/32")));
    }

    @Test
    void durationsAreInstancesOfPythonsIntOrFloat() {
        assertEquals(JailSettingsLines.PyFloat.class, JailSettingsLines.pythonNumber(JailSettingsLines.seconds("1.5h", 0)).getClass());
        assertEquals("5400.0", JailSettingsLines.pythonNumber(JailSettingsLines.seconds("1.5h", 0)).toString());
        assertEquals("31557600.0", JailSettingsLines.pythonNumber(JailSettingsLines.seconds("1y", 0)).toString());
        assertEquals(172800L, JailSettingsLines.pythonNumber(JailSettingsLines.seconds("2d", 0)));
        // a text str2seconds cannot read: the value JailsLoader resolved
        assertEquals(600L, JailSettingsLines.pythonNumber(JailSettingsLines.seconds("not a time", 600)));
    }
}
