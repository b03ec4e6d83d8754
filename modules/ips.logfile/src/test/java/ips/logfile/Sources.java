package ips.logfile;

import ips.api.LogSourceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Test fixtures: sources with short timings, files written by line. */
final class Sources {
    /** Grace 300 ms, rescan 100 ms, checkpoint 1 s. */
    static final TailContext.Timing FAST = new TailContext.Timing(300_000_000L, 100_000_000L, 1_000_000_000L);

    private Sources() {}

    static FileLogSource open(LogSourceSpec.Start start, Path stateDir, Object... paths) throws IOException {
        List<String> p = new ArrayList<>();
        for (Object o : paths) {
            p.add(o.toString());
        }
        return new FileLogSource(new LogSourceSpec("test-jail", p, List.of(), start, stateDir), FAST);
    }

    static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    static void appendLines(Path file, int from, int toExclusive) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < toExclusive; i++) {
            b.append("line ").append(i).append('\n');
        }
        append(file, b.toString());
    }

    static List<String> numbered(int from, int toExclusive) {
        List<String> l = new ArrayList<>();
        for (int i = from; i < toExclusive; i++) {
            l.add("line " + i);
        }
        return l;
    }
}
