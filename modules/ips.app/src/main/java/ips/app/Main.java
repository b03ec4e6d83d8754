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

    private static final java.util.Set<String> CLIENT_VERBS =
            java.util.Set.of("status", "ban", "unban", "banned", "reload", "get", "set", "flushlogs", "stop", "ping");

    /**
     * {@code portcullis --json status} and {@code portcullis -s SOCKET banned}, as fail2ban-client
     * takes its options before the command: the client options that come before a client verb
     * are moved after it. Anything else is left as it is.
     */
    static String[] clientOptionsAfterVerb(String[] args) {
        java.util.List<String> options = new java.util.ArrayList<>();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("--json") || a.startsWith("--socket=")) {
                options.add(a);
                i++;
            } else if ((a.equals("--socket") || a.equals("-s")) && i + 1 < args.length) {
                options.add("--socket");
                options.add(args[i + 1]);
                i += 2;
            } else {
                break;
            }
        }
        if (options.isEmpty() || i == args.length || !CLIENT_VERBS.contains(args[i])) {
            return args;
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add(args[i]);
        out.addAll(options);
        out.addAll(java.util.Arrays.asList(args).subList(i + 1, args.length));
        return out.toArray(String[]::new);
    }

    /** Runs one command line and returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(Usage.TEXT);
            return args.length == 0 ? 2 : 0;
        }
        args = clientOptionsAfterVerb(args);
        return switch (args[0]) {
            case "--version", "version" -> {
                out.println("portcullis " + Version.VERSION);
                yield 0;
            }
            case "train" -> Training.run(tail(args), out);
            case "run" -> RunCommand.run(tail(args), out, err);
            case "check-config" -> CheckConfigCommand.run(tail(args), out, err);
            case "remove-firewall" -> RemoveFirewallCommand.run(tail(args), out, err);
            case "status", "ban", "unban", "banned", "reload", "get", "set", "flushlogs", "stop", "ping" ->
                    ClientCommand.run(args[0], tail(args), out, err);
            case "test-filter" -> ips.filter.tester.TestFilterCommand.run(tail(args), out, err, TestFilterJournal.linked(), Version.VERSION);
            default -> {
                err.println("portcullis: unknown command '" + args[0] + "' (see portcullis --help)");
                yield 2;
            }
        };
    }
}
