package ips.pf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.EnforcerException;
import ips.api.EnforcerProvider;
import ips.api.EnforcerSettings;
import org.junit.jupiter.api.Test;

class PfEnforcerProviderTest {

    @Test
    void isDeclaredAsTheServiceProviderNamedPf() {
        // ServiceLoader.load from inside ips.pf would need 'uses'; the descriptor is what the app's loader reads
        boolean provided = PfEnforcerProvider.class.getModule().getDescriptor().provides().stream()
                .anyMatch(p -> p.service().equals(EnforcerProvider.class.getName())
                        && p.providers().equals(java.util.List.of(PfEnforcerProvider.class.getName())));
        assertTrue(provided);
        assertEquals("pf", new PfEnforcerProvider().name());
    }

    @Test
    void saysWhyItCannotRunOffFreeBsdOrWithoutDevPf() {
        assertTrue(PfEnforcerProvider.unavailableReason("Linux", 8, false).contains("FreeBSD"));
        assertTrue(PfEnforcerProvider.unavailableReason("FreeBSD", 4, true).contains("64-bit"));
        assertTrue(PfEnforcerProvider.unavailableReason("FreeBSD", 8, false).contains("/dev/pf"));
        assertNull(PfEnforcerProvider.unavailableReason("FreeBSD", 8, true));
    }

    @Test
    void refusesToOpenHereWithTheReason() {
        PfEnforcerProvider p = new PfEnforcerProvider();
        String why = p.unavailableReason();
        assertNotNull(why, "this test machine is not FreeBSD");
        EnforcerException e = assertThrows(EnforcerException.class, () -> p.open(EnforcerSettings.defaults()));
        assertEquals("open pf: " + why, e.getMessage());
    }
}
