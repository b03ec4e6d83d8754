package ips.app.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One daemon per state directory. */
class StateLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondLockOnTheSameStateIsRefusedNamingTheHolderAndTheFirstReleaseFreesIt() throws Exception {
        Path state = dir.resolve("state");
        StateLock first = StateLock.acquire(state, 4242);
        assertEquals("4242\n", Files.readString(state.resolve(StateLock.NAME)));
        StateLock.HeldException e = assertThrows(StateLock.HeldException.class, () -> StateLock.acquire(state, 7));
        assertTrue(e.getMessage().equals("another Portcullis runs on state directory " + state
                + " (process 4242); not starting a second one"), e.getMessage());
        first.close();
        try (StateLock again = StateLock.acquire(state, 7)) {
            assertEquals("7\n", Files.readString(state.resolve(StateLock.NAME)));
        }
    }
}
