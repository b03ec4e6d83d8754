package ips.filter.tester;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code usedns = warn} (fail2ban-regex's default) under {@code -l warning}: each failure from a
 * host name is warned about as ipdns.py warns, in fail2ban-regex's log format, between the "Use"
 * lines and the results, or between the {@code -o} lines. The name is localhost, which
 * /etc/hosts answers: no test sends a DNS query.
 */
class HostNameWarningsLikeFail2banRegexTest {
    private static final Path FAIL2BAN_REGEX = Path.of("/usr/bin/fail2ban-regex");
    /** A log line's head: its time and process id differ from run to run. */
    private static final Pattern HEAD = Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} (\\S+ +)\\[\\d+\\]");
    private static final Pattern SET = Pattern.compile("\\{([^}]*)\\}");

    @TempDir
    Path dir;

    private static String comparable(String out) {
        String s = HEAD.matcher(out).replaceAll("TIME $1[PID]").replaceAll("\\[processed in [^\\]]*\\]", "");
        return SET.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                "{" + String.join(", ", new TreeSet<>(List.of(m.group(1).split(", ")))) + "}"));
    }

    private static String theirs(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(FAIL2BAN_REGEX.toString()));
        cmd.addAll(args);
        return theirsAsRun(cmd);
    }

    private static String theirsAsRun(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    private static String ours(List<String> args) {
        // localhost as the system resolves it (/etc/hosts); any other name resolves to nothing, unasked
        return ours(args, name -> name.equals("localhost") ? HostNames.systemLookup(name) : List.of());
    }

    private static String ours(List<String> args, java.util.function.Function<String, List<ips.api.IpAddress>> lookup) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var before = TestFilterCommand.lookup;
        TestFilterCommand.lookup = lookup;
        try {
            assertEquals(0, TestFilterCommand.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        } finally {
            TestFilterCommand.lookup = before;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachFailureFromAHostNameIsWarnedAbout() throws Exception {
        assumeTrue(Files.isExecutable(FAIL2BAN_REGEX), "fail2ban-regex is not installed");
        Path log = Files.writeString(dir.resolve("auth.log"), """
                Dec  7 08:00:00 web sshd[1]: Failed password for root from localhost port 22 ssh2
                Dec  7 08:00:01 web sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2
                Dec  7 08:00:02 web sshd[1]: Failed password for root from localhost port 23 ssh2
                """);
        for (List<String> args : List.of(
                List.of("-l", "warning", log.toString(), "sshd"),
                List.of("-l", "warning", "-o", "ip", log.toString(), "sshd"),
                List.of("-l", "error", log.toString(), "sshd"),
                List.of("-l", "warning", "--usedns", "yes", log.toString(), "sshd"))) {
            String theirs = comparable(theirs(args));
            if (args.get(1).equals("warning") && args.size() == 4) {
                assertTrue(theirs.contains("WARNINGW: Determined IP using DNS Lookup: localhost = {"), theirs);
            }
            assertEquals(theirs, comparable(ours(args)), String.join(" ", args));
        }
    }

    /**
     * A name that does not resolve is warned about once, with the resolver's reason in Python's
     * words. fail2ban-regex runs in a namespace of its own with only a loopback and a resolv.conf
     * that names 127.0.0.1, where nothing listens: the lookup fails at once ({@code [Errno -3]}) and
     * no query leaves the namespace. Ours is given the same answer (HostLookupTest maps the JDK's).
     */
    @Test
    void aNameThatDoesNotResolveIsWarnedAboutOnceWithTheResolversReason() throws Exception {
        assumeTrue(Files.isExecutable(FAIL2BAN_REGEX), "fail2ban-regex is not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "a network namespace needs root");
        Path log = Files.writeString(dir.resolve("auth.log"), """
                Dec  7 08:00:00 web sshd[1]: Failed password for root from nowhere.invalid port 22 ssh2
                Dec  7 08:00:01 web sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2
                Dec  7 08:00:02 web sshd[1]: Failed password for root from nowhere.invalid port 23 ssh2
                Dec  7 08:00:03 web sshd[1]: Failed password for root from localhost port 24 ssh2
                """);
        String ns = "pctfdns" + ProcessHandle.current().pid();
        Path etc = Path.of("/etc/netns", ns);
        run("ip", "netns", "add", ns);
        try {
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions attempts:1 timeout:1\n");
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            String reason = "[Errno -3] Temporary failure in name resolution";
            for (List<String> args : List.of(
                    List.of("-l", "warning", log.toString(), "sshd"),
                    List.of("-l", "warning", "-o", "ip", log.toString(), "sshd"),
                    List.of("-l", "warning", "--usedns", "yes", log.toString(), "sshd"),
                    List.of("-l", "error", log.toString(), "sshd"))) {
                List<String> inNs = new ArrayList<>(List.of("ip", "netns", "exec", ns, FAIL2BAN_REGEX.toString()));
                inNs.addAll(args);
                String theirs = comparable(theirsAsRun(inNs));
                if (args.get(1).equals("warning")) {
                    assertEquals(1, theirs.split("Unable to find a corresponding IP address for nowhere.invalid: "
                            + java.util.regex.Pattern.quote(reason), -1).length - 1, theirs);
                }
                String ours = comparable(ours(args, name -> switch (name) {
                    case "localhost" -> HostNames.systemLookup(name);
                    default -> throw new ips.api.HostLookup.Unresolved(name, reason);
                }));
                assertEquals(theirs, ours, String.join(" ", args));
            }
        } finally {
            Files.deleteIfExists(etc.resolve("resolv.conf"));
            Files.deleteIfExists(etc);
            run("ip", "netns", "del", ns);
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }
}
