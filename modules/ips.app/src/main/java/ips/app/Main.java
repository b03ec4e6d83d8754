package ips.app;

import java.io.PrintStream;

/** The {@code portcullis} command: dispatches to a subcommand. */
public final class Main {
    /** When main began, for start-up figures. */
    public static final long STARTED_NANOS = System.nanoTime();

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    private static String[] tail(String[] args) {
        return java.util.Arrays.copyOfRange(args, 1, args.length);
    }

    /** Runs one command line and returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(Usage.TEXT);
            return args.length == 0 ? 2 : 0;
        }
        return switch (args[0]) {
            case "--version", "version" -> {
                out.println("portcullis " + Version.VERSION);
                yield 0;
            }
            case "train" -> Training.run(tail(args), out);
            case "run" -> RunCommand.run(tail(args), out, err);
            case "check-config" -> CheckConfigCommand.run(tail(args), out, err);
            case "status", "ban", "unban", "banned", "reload", "get", "stop", "ping" ->
                    ClientCommand.run(args[0], tail(args), out, err);
            case "test-filter" -> ips.filter.tester.TestFilterCommand.run(tail(args), out, err);
            default -> {
                err.println("portcullis: unknown command '" + args[0] + "' (see portcullis --help)");
                yield 2;
            }
        };
    }
}
