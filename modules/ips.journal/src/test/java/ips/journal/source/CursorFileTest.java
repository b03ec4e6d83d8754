package ips.journal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CursorFileTest {

    @TempDir
    Path tmp;

    @Test
    void readsBackWhatWasWrittenAndLeavesNoTemporaryFile() throws Exception {
        CursorFile f = new CursorFile(tmp.resolve("state"), "sshd");
        assertNull(f.read());
        f.write("s=abc;i=1;b=def;m=1;t=2;x=3");
        f.write("s=abc;i=2;b=def;m=2;t=3;x=4");
        assertEquals("s=abc;i=2;b=def;m=2;t=3;x=4", f.read());
        try (var files = Files.list(tmp.resolve("state"))) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void jailNamesCannotEscapeTheStateDirectory() {
        CursorFile f = new CursorFile(tmp, "../etc/passwd");
        assertEquals(tmp, f.path().getParent());
        assertFalse(f.path().getFileName().toString().contains("/"));
    }

    @Test
    void anEmptyOrMultiLineFileIsNoCursor() throws Exception {
        CursorFile f = new CursorFile(tmp, "sshd");
        Files.writeString(f.path(), "\n");
        assertNull(f.read());
        Files.writeString(f.path(), "a\nb\n");
        assertNull(f.read());
    }
}
