package ips.journal.source;

import ips.api.StateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A jail's saved journal cursor: one line of text, replaced atomically through a {@link StateFile}
 * so a crash leaves the old cursor or the new one, never half of one.
 *
 * <p>Keep the state directory out of the journal's directories: libsystemd watches those with
 * inotify, and every write there would wake the reader.
 */
public final class CursorFile {

    /** Anything longer is not a cursor (systemd's are ~150 bytes). */
    private static final int MAX_LENGTH = 4096;

    private final StateFile file;

    public CursorFile(Path stateDir, String jail) {
        this.file = new StateFile(stateDir.resolve(safeName(jail) + ".journal-cursor"));
    }

    public Path path() {
        return file.path();
    }

    /** The saved cursor, or {@code null} when none was saved (or the file is not a cursor). */
    public String read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file.path());
        } catch (NoSuchFileException e) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        return text.isEmpty() || text.length() > MAX_LENGTH || text.indexOf('\n') >= 0 ? null : text;
    }

    /** Saves {@code cursor} now. */
    public void write(String cursor) throws IOException {
        file.write(cursor + "\n");
    }

    /**
     * Queues {@code cursor} for the shared state writer (see {@link StateFile#writeLater}): for the
     * periodic save on the reading thread, which must not wait for an fsync.
     */
    public void writeLater(String cursor) {
        file.writeLater(cursor + "\n");
    }

    /** Whether the last save failed (a queued one is logged by the writer, not thrown). */
    public boolean lastWriteFailed() {
        return file.lastWriteFailed();
    }

    /** Jail names come from configuration: keep them to one harmless path element. */
    static String safeName(String jail) {
        StringBuilder b = new StringBuilder(jail.length());
        for (int i = 0; i < jail.length(); i++) {
            char c = jail.charAt(i);
            b.append(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    ? c : '_');
        }
        return b.isEmpty() ? "_" : b.toString();
    }
}
