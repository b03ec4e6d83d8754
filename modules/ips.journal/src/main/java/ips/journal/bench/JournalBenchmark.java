package ips.journal.bench;

import java.io.PrintStream;

public final class JournalBenchmark {
    private JournalBenchmark() {}

    public static int run(String[] args, PrintStream out) {
        return 2;
    }
}
