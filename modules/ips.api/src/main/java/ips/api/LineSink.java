package ips.api;

/** Receives lines from a {@link LogSource}, on the thread that polls it. */
@FunctionalInterface
public interface LineSink {
    void accept(LogLine line);
}
