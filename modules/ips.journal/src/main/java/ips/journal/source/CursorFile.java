package ips.journal.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A jail's saved journal cursor: one line of text, replaced atomically (temporary file, fsync,
 * rename) so a crash leaves the old cursor or the new one, never half of one.
 *
 * <p>Keep the state directory out of the journal's directories: libsystemd watches those with
 * inotify, and every write there would wake the reader.
 */
public final class CursorFile {

    /** Anything longer is not a cursor (systemd's are ~150 bytes). */
    private static final int MAX_LENGTH = 4096;

    private final Path file;

    public CursorFile(Path stateDir, String jail) {
        this.file = stateDir.resolve(safeName(jail) + ".journal-cursor");
    }

    public Path path() {
        return file;
    }

    /** The saved cursor, or {@code null} when none was saved (or the file is not a cursor). */
    public String read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        return text.isEmpty() || text.length() > MAX_LENGTH || text.indexOf('\n') >= 0 ? null : text;
    }

    public void write(String cursor) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap((cursor + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
