package ips.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A filter loaded for a backend is set up as fail2ban's {@code FilterReader.applyAutoOptions} sets it
 * up: {@code logtype = journal} for the journal and {@code file} otherwise, unless the filter's
 * options name a logtype (fail2ban-regex on {@code systemd-journal}, as a jail with {@code backend = systemd}).
 */
class FilterLoaderBackendTest {
    private static final Path ETC = Path.of("/etc/fail2ban");

    @Test
    void theJournalBackendSetsLogtypeJournalUnlessTheFilterSaysOtherwise() throws Exception {
        assumeTrue(Files.isRegularFile(ETC.resolve("filter.d/sshd.conf")), "fail2ban's filter.d is not installed");
        FilterDefinition journal = FilterLoader.load(ETC, "sshd", null, "systemd");
        assertEquals(FilterLoader.load(ETC, "sshd", Map.of("logtype", "journal")).prefregex(), journal.prefregex());
        assertNotEquals(FilterLoader.load(ETC, "sshd", null).prefregex(), journal.prefregex());
        // the filter's own options win; a file's backend is logtype file, common.conf's default
        assertEquals(FilterLoader.load(ETC, "sshd", null).prefregex(),
                FilterLoader.load(ETC, "sshd[logtype=file]", null, "systemd").prefregex());
        assertEquals(FilterLoader.load(ETC, "sshd", null).prefregex(), FilterLoader.load(ETC, "sshd", null, "auto").prefregex());
        assertEquals(journal.prefregex(), FilterLoader.loadFile(ETC.resolve("filter.d/sshd.conf"), null, "systemd").prefregex());
    }
}
