package ips.logfile;

import ips.api.LineSink;
import ips.api.LogLine;
import ips.api.LogSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps what it is given, with helpers to poll a source until enough came. */
final class Collected implements LineSink {
    final List<LogLine> lines = new ArrayList<>();

    @Override
    public void accept(LogLine line) {
        lines.add(line);
    }

    List<String> texts() {
        return lines.stream().map(LogLine::text).toList();
    }

    int size() {
        return lines.size();
    }

    /** Polls until at least {@code count} lines came or {@code millis} passed. */
    Collected pollUntil(LogSource source, int count, long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (lines.size() < count && System.nanoTime() - deadline < 0) {
            source.poll(this, 50);
        }
        return this;
    }

    /** Polls for {@code millis}, whatever comes. */
    Collected pollFor(LogSource source, long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() - deadline < 0) {
            source.poll(this, 20);
        }
        return this;
    }
}
