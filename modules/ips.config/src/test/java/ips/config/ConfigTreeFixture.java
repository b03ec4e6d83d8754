package ips.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * For tests that read a configuration tree they write themselves: a fresh temporary directory per
 * test, and {@link #write} to put a file in it by its path relative to that directory.
 */
abstract class ConfigTreeFixture {
    @TempDir
    Path dir;

    /** Writes {@code text} to {@code rel} under {@link #dir}, creating the directories it needs. */
    void write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
