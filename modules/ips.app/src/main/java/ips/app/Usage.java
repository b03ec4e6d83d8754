package ips.app;

/** The text of {@code portcullis --help}. */
final class Usage {
    static final String TEXT = """
            Usage: portcullis COMMAND [ARGS]

            Commands:
              --version            print the version
              --help               print this text
              test-filter ...      run a fail2ban filter over a log (fail2ban-regex's job)
            """;

    private Usage() {}
}
