package ips.logfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One fail2ban {@code logpath} entry: a path or a glob ({@code *}, {@code ?}, {@code [...]} as in
 * Python's glob module, no {@code **}), optionally followed by {@code head} or {@code tail}.
 *
 * @param pattern the absolute, normalised path or glob
 * @param start where its files start when there is no saved position
 * @param base the deepest directory with no glob character: watched for files that appear
 * @param depth how many names below {@code base} a match lies (0 for a plain path)
 */
record LogPath(Path pattern, LogTail.Start start, Path base, int depth, PathMatcher matcher) {

    /** Parses {@code entry} ({@code /var/log/auth.log}, {@code /var/log/nginx/*.log head}). */
    static LogPath parse(String entry, LogTail.Start defaultStart) {
        String text = entry.strip();
        LogTail.Start start = defaultStart;
        int space = lastWhitespace(text);
        if (space > 0) {
            String option = text.substring(space + 1).toLowerCase(Locale.ROOT);
            if (option.equals("head") || option.equals("tail")) {
                start = option.equals("head") ? LogTail.Start.HEAD : LogTail.Start.TAIL;
                text = text.substring(0, space).strip();
            }
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty logpath entry: '" + entry + "'");
        }
        Path pattern = Path.of(text).toAbsolutePath().normalize();
        int firstGlob = -1;
        for (int i = 0; i < pattern.getNameCount(); i++) {
            if (isGlob(pattern.getName(i).toString())) {
                firstGlob = i;
                break;
            }
        }
        if (firstGlob < 0) {
            return new LogPath(pattern, start, pattern.getParent(), 0, null);
        }
        Path base = pattern.getRoot().resolve(firstGlob == 0 ? "" : pattern.subpath(0, firstGlob).toString());
        int depth = pattern.getNameCount() - firstGlob;
        // Python's glob knows no {a,b} groups: braces are literal
        String glob = pattern.toString().replace("{", "\\{").replace("}", "\\}");
        return new LogPath(pattern, start, base, depth, FileSystems.getDefault().getPathMatcher("glob:" + glob));
    }

    boolean isGlob() {
        return matcher != null;
    }

    /** The files it names now: the path itself (present or not), or the glob's regular files, sorted. */
    List<Path> expand() {
        if (!isGlob()) {
            return List.of(pattern);
        }
        try (Stream<Path> found = Files.find(base, depth,
                (p, a) -> p.getNameCount() == pattern.getNameCount() && !a.isDirectory() && matcher.matches(p))) {
            return found.sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // an unreadable directory: tried again at the next rescan
        }
    }

    private static boolean isGlob(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0;
    }

    private static int lastWhitespace(String s) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
