package ips.filter.tester;

import java.io.PrintStream;

/** {@code portcullis test-filter}: fail2ban-regex's job. */
public final class TestFilterCommand {
    private TestFilterCommand() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        err.println("portcullis test-filter: not built yet");
        return 2;
    }
}
