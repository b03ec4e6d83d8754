package ips.journal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.LogSourceSpec;
import ips.api.LogSourceSpec.Start;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemdJournalProviderTest {

    private static final List<String> SSHD = List.of("_SYSTEMD_UNIT=sshd.service + _COMM=sshd");

    @Test
    void servesBackendSystemdAndIsAvailableWhereLibsystemdIs() {
        SystemdJournalProvider provider = new SystemdJournalProvider();
        assertEquals("systemd", provider.backend());
        boolean installed = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libsystemd.so.0"))
                || Files.exists(Path.of("/lib/x86_64-linux-gnu/libsystemd.so.0"))
                || Files.exists(Path.of("/usr/lib64/libsystemd.so.0"));
        if (installed) {
            assertNull(provider.unavailableReason());
        }
    }

    @Test
    void aMissingLibsystemdIsReportedAndNothingElseBreaks() {
        SystemdJournalProvider missing = new SystemdJournalProvider("libsystemd-not-here.so.0");
        assertEquals("systemd", missing.backend());
        String reason = missing.unavailableReason();
        assertNotNull(reason);
        assertTrue(reason.contains("libsystemd-not-here.so.0"), reason);
        IOException e = assertThrows(IOException.class,
                () -> missing.open(new LogSourceSpec("sshd", List.of(), SSHD, Start.TAIL, null)));
        assertTrue(e.getMessage().contains("backend systemd unavailable"), e.getMessage());
        assertEquals(reason, missing.unavailableReason(), "looked up once, answered the same");
    }

    @Test
    void theLocalSystemJournalOpensEvenWhenItIsEmpty() throws Exception {
        SystemdJournalProvider provider = new SystemdJournalProvider();
        if (provider.unavailableReason() != null) {
            return;
        }
        try (var source = provider.open(new LogSourceSpec("sshd", List.of(), SSHD, Start.TAIL, null))) {
            assertTrue(source.description().startsWith("system journal"), source.description());
            assertTrue(source.poll(l -> {}, 10) >= 0);
        }
    }
}
