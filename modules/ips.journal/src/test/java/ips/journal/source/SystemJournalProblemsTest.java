package ips.journal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A jail on the system journal says so at start when there is no journal to read. */
class SystemJournalProblemsTest {
    @TempDir
    Path dir;

    @Test
    void noJournaldDirectoryOrAnEmptyOneIsNamed() throws Exception {
        Path run = dir.resolve("run/log/journal");
        Path var = Files.createDirectories(dir.resolve("var/log/journal"));
        Files.createDirectories(var.resolve("0123456789abcdef0123456789abcdef"));
        assertEquals(List.of("system journal: no journal file under " + run + " or " + var + " (is systemd-journald running?)"),
                JournalSource.systemJournalProblems(List.of(run, var)));
    }

    @Test
    void aJournalFileInAMachineDirectoryIsEnough() throws Exception {
        Path run = dir.resolve("run/log/journal");
        Path machine = Files.createDirectories(dir.resolve("var/log/journal/0123456789abcdef0123456789abcdef"));
        Files.writeString(machine.resolve("system.journal"), "");
        assertEquals(List.of(), JournalSource.systemJournalProblems(List.of(run, dir.resolve("var/log/journal"))));
    }
}
