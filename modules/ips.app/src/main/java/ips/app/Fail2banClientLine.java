package ips.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * fail2ban-client's command line, as Portcullis takes it, so that scripts written for it keep
 * working with {@code fail2ban-client} replaced by {@code portcullis} (or by a link of that name to
 * it). fail2ban-client takes its options before the command:
 * <ul>
 *   <li>{@code -s SOCKET}, {@code -c DIR} (the daemon of that tree), {@code --json} (ours) go after a
 *       client verb;</li>
 *   <li>{@code -q}, {@code -v}, {@code -x}, {@code -b}, {@code -f}, {@code --async} and {@code -p},
 *       {@code --pname}, {@code --loglevel}, {@code --logtarget}, {@code --syslogsocket},
 *       {@code --timeout} with their values change nothing for a client of Portcullis and are
 *       dropped;</li>
 *   <li>{@code -t}/{@code --test} and {@code -d}/{@code --dp} become {@code check-config [DIR]};
 *       {@code -V}, {@code --str2sec}, {@code -i} are answered by {@link Main};</li>
 *   <li>{@code restart [--unban] [--if-exists] JAIL} is fail2ban's alias of {@code reload --restart
 *       ... JAIL}.</li>
 * </ul>
 * A line that is not fail2ban-client's (an option before {@code run} or {@code test-filter}) is
 * left as it is, and so refused by name.
 */
final class Fail2banClientLine {
    private static final Set<String> CLIENT_VERBS =
            Set.of("status", "ban", "unban", "banned", "reload", "get", "set", "flushlogs", "stop", "ping");

    private static final Set<String> DROPPED = Set.of("-x", "-b", "-f", "--async");
    private static final Set<String> DROPPED_WITH_VALUE =
            Set.of("-p", "--pidfile", "--pname", "--loglevel", "--logtarget", "--syslogsocket", "--timeout");
    /** Portcullis's own commands that read a configuration tree ({@code --config DIR}). */
    private static final Set<String> OWN_CONFIGURED = Set.of("run", "check-config", "remove-firewall");
    private static final Set<String> CHECKS = Set.of("-t", "--test", "-d", "--dp", "--dump-pretty");

    /** Answered by {@link Main} whatever options come before them. */
    private static final Set<String> STANDALONE =
            Set.of("-V", "--version", "version", "-h", "--help", "help", "--str2sec", "-i", "start", "restart");

    private Fail2banClientLine() {}

    /** The command line {@link Main} dispatches. */
    static String[] normalize(String[] args) {
        List<String> carried = new ArrayList<>();
        String config = null;
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            if (a.equals("--json") || a.startsWith("--socket=")) {
                carried.add(a);
                i++;
            } else if ((a.equals("--socket") || a.equals("-s")) && hasValue) {
                carried.add("--socket");
                carried.add(args[i + 1]);
                i += 2;
            } else if ((a.equals("-c") || a.equals("--conf") || a.equals("--config")) && hasValue) {
                config = args[i + 1];
                i += 2;
            } else if (DROPPED.contains(a) || a.matches("-[qv]+")) {
                i++;
            } else if (DROPPED_WITH_VALUE.contains(a) && hasValue) {
                i += 2;
            } else {
                break;
            }
        }
        if (i == args.length) {
            return args; // options alone: refused by name
        }
        String command = args[i];
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(i + 1, args.length));
        List<String> out = new ArrayList<>();
        if (CHECKS.contains(command)) {
            if (!rest.isEmpty() || !carried.isEmpty()) {
                return args;
            }
            out.add("check-config");
            if (config != null) {
                out.add(config);
            }
            return out.toArray(String[]::new);
        }
        if (command.equals("restart") && !rest.isEmpty() && !rest.get(rest.size() - 1).startsWith("-")) {
            command = "reload"; // restart [--unban] [--if-exists] JAIL
            rest.add(0, "--restart");
        }
        if (STANDALONE.contains(command)) {
            out.add(command);
            out.addAll(rest);
            return out.toArray(String[]::new);
        }
        if (OWN_CONFIGURED.contains(command) && config != null && carried.isEmpty()) {
            out.add(command); // portcullis -c DIR run: the options before the command, as for the verbs
            out.add("--config");
            out.add(config);
            out.addAll(rest);
            return out.toArray(String[]::new);
        }
        if (!CLIENT_VERBS.contains(command)) {
            return args;
        }
        out.add(command);
        out.addAll(carried);
        if (config != null) {
            out.add("--config");
            out.add(config);
        }
        out.addAll(rest);
        return out.toArray(String[]::new);
    }
}
