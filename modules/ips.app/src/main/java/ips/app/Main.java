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
        if (args.length == 0) {
            out.print(Usage.TEXT);
            return 2;
        }
        args = Fail2banClientLine.normalize(args);
        return switch (args[0]) {
            case "--help", "-h", "help" -> {
                out.print(Usage.TEXT);
                yield 0;
            }
            case "--version", "version" -> {
                out.println("portcullis " + Version.VERSION);
                yield 0;
            }
            case "-V" -> { // fail2ban-client's machine-readable short form
                out.println(Version.VERSION);
                yield 0;
            }
            case "--str2sec" -> str2sec(tail(args), out, err);
            case "-i" -> {
                err.println("portcullis: fail2ban-client's interactive mode (-i) is not offered: give one command at a time");
                yield 2;
            }
            case "start", "restart" -> {
                err.println("portcullis " + args[0] + ": Portcullis is " + args[0] + "ed by its service manager (systemctl "
                        + args[0] + " portcullis), or run in the foreground with portcullis run"
                        + (args[0].equals("restart") ? "; restart JAIL reloads that jail" : ""));
                yield 2;
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

    /** fail2ban-client's {@code --str2sec}: a duration in seconds, printed as Python prints it. */
    private static int str2sec(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("portcullis --str2sec: give one duration (10m, 1h30m, 1d, ...)");
            return 2;
        }
        try {
            out.println(ips.config.Durations.pythonText(args[0]));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("portcullis --str2sec: " + e.getMessage());
            return 1;
        }
    }
}
