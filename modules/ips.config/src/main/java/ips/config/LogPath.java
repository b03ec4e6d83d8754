package ips.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One {@code logpath} line: a glob, and whether to start at the end ({@code tail}) or the beginning
 * ({@code head}, fail2ban's default) of files found when the jail starts.
 */
public record LogPath(String glob, boolean tail) {

    /**
     * The existing files matching {@link #glob()} as Python's {@code glob.glob} finds them (sorted;
     * {@code *}, {@code ?} and {@code [...]} per path segment; hidden names only when the pattern
     * segment starts with a dot). fail2ban refuses to start a jail when no logpath matches a file.
     */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        if (glob.isEmpty()) {
            return out;
        }
        boolean abs = glob.startsWith("/");
        String[] parts = glob.split("/+");
        List<Path> current = List.of(abs ? Path.of("/") : Path.of(""));
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            List<Path> next = new ArrayList<>();
            boolean magic = part.contains("*") || part.contains("?") || part.contains("[");
            for (Path dir : current) {
                if (!magic) {
                    Path p = dir.resolve(part);
                    if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        next.add(p);
                    }
                    continue;
                }
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + part.replace("[!", "[^").replace("\\", "\\\\"));
                Path d = dir.toString().isEmpty() ? Path.of(".") : dir;
                if (!Files.isDirectory(d)) {
                    continue;
                }
                List<Path> found = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                    for (Path e : ds) {
                        String n = e.getFileName().toString();
                        if (n.startsWith(".") && !part.startsWith(".")) {
                            continue;
                        }
                        if (m.matches(e.getFileName())) {
                            found.add(dir.resolve(n));
                        }
                    }
                } catch (IOException unreadable) {
                    continue;
                }
                Collections.sort(found);
                next.addAll(found);
            }
            current = next;
        }
        for (Path p : current) {
            if (Files.exists(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
