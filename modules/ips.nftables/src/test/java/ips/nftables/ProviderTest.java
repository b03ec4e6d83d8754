package ips.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.EnforcerProvider;
import java.lang.module.ModuleDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderTest {

    @Test
    void moduleProvidesTheNftablesProviderWhichIsAvailableOnLinux() {
        ModuleDescriptor d = NftablesProvider.class.getModule().getDescriptor();
        assertTrue(d.provides().stream().anyMatch(p -> p.service().equals(EnforcerProvider.class.getName())
                && p.providers().equals(List.of(NftablesProvider.class.getName()))), d.provides().toString());
        assertEquals(java.util.Set.of("ips.nftables.bench"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(java.util.stream.Collectors.toSet()));
        EnforcerProvider p = new NftablesProvider();
        assertEquals("nftables", p.name());
        assertNull(p.unavailableReason());
    }
}
