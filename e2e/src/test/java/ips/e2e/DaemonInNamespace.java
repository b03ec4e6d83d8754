package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built image run as a daemon in a throwaway network namespace, for an end-to-end test class:
 * its configuration tree in a temporary directory (fail2ban's filter.d and action.d linked in), its
 * control client, and its nft table read back from inside the namespace. Each test class names its
 * own namespace and table, so classes never see each other's; {@link #close()} deletes both the
 * namespaces and the directory whatever happened before.
 */
final class DaemonInNamespace implements AutoCloseable {
    private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

    private final Path image = ImageUnderTest.dir();
    private final String ns;
    private final String table;
    private final List<String> namespaces = new ArrayList<>();
    private final Path work;
    private final Path etc;
    private final Path socket;
    private final Path out;
    private Process daemon;

    /** Skips the calling test class unless it runs as root with the image, fail2ban's filter.d and nft. */
    static void assumeRunnable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "end-to-end tests need root (network namespaces, nftables)");
        ImageUnderTest.built();
        assumeTrue(Files.isDirectory(Path.of(System.getProperty("portcullis.filters"))), "fail2ban's filter.d is not installed");
        assumeTrue(Shell.run("nft", "--version").ok(), "nft is not installed");
    }

    /**
     * Creates namespace {@code ns} (loopback up) and the configuration directory; the daemon will
     * use nft table {@code table}. What was created is deleted again if a later step fails.
     */
    DaemonInNamespace(String ns, String table) throws IOException {
        this.ns = ns;
        this.table = table;
        Path dir = null;
        try {
            addNamespace(ns);
            dir = Files.createTempDirectory(table);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path filters = Path.of(System.getProperty("portcullis.filters"));
            Path conf = Files.createDirectories(dir.resolve("etc"));
            Files.createSymbolicLink(conf.resolve("filter.d"), filters);
            Files.createSymbolicLink(conf.resolve("action.d"), filters.resolveSibling("action.d"));
        } catch (IOException | RuntimeException e) {
            deleteNamespaces();
            if (dir != null) {
                Shell.run("rm", "-rf", dir.toString());
            }
            throw e;
        }
        work = dir;
        etc = work.resolve("etc");
        socket = work.resolve("run/portcullis.sock");
        out = work.resolve("daemon.out");
    }

    /** Creates another namespace (loopback up), deleted with this one on {@link #close()}. */
    void addNamespace(String name) {
        namespaces.add(name);
        Shell.run("ip", "netns", "del", name); // a namespace an aborted run left behind
        Shell.run("rm", "-rf", "/etc/netns/" + name);
        Shell.must("ip", "netns", "add", name);
        Shell.must("ip", "-n", name, "link", "set", "lo", "up");
    }

    Path image() {
        return image;
    }

    Path work() {
        return work;
    }

    /** The configuration directory given to {@code portcullis run --config}. */
    Path etc() {
        return etc;
    }

    Path socket() {
        return socket;
    }

    /** The file the daemon's output is appended to, across starts. */
    Path out() {
        return out;
    }

    /** What the daemon has written so far. */
    String output() throws IOException {
        return Files.readString(out);
    }

    /** An empty log file in the work directory. */
    Path createLog(String name) throws IOException {
        return Files.createFile(work.resolve(name));
    }

    /** Writes portcullis.conf with this daemon's state directory, socket and table, then {@code more}. */
    void writePortcullisConf(String more) throws IOException {
        Files.writeString(etc.resolve("portcullis.conf"), """
                [portcullis]
                statedir = %s
                socket = %s
                table = %s
                """.formatted(work.resolve("state"), socket, table) + more);
    }

    void start() throws IOException {
        start(Map.of());
    }

    /** Starts {@code portcullis run} in the namespace and waits up to 30 s until it answers ping. */
    void start(Map<String, String> environment) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns, image.resolve("bin/portcullis").toString(),
                "run", "--config", etc.toString());
        pb.environment().putAll(environment);
        daemon = pb
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (cli("ping").ok()) {
                return;
            }
            if (!daemon.isAlive()) {
                throw new AssertionError("daemon exited: " + output());
            }
            sleep(50);
        }
        throw new AssertionError("daemon did not answer ping within 30 s: " + output());
    }

    boolean running() {
        return daemon != null && daemon.isAlive();
    }

    /** Stops a running daemon with SIGTERM; it must be gone within 15 s. */
    void stop() throws InterruptedException {
        if (running()) {
            daemon.destroy();
            assertTrue(daemon.waitFor(15, TimeUnit.SECONDS), "daemon did not stop on SIGTERM");
        }
    }

    /** Stops the daemon, then deletes the namespaces and the work directory even if it did not stop. */
    @Override
    public void close() throws InterruptedException {
        try {
            stop();
        } finally {
            deleteNamespaces();
            Shell.run("rm", "-rf", work.toString());
        }
    }

    private void deleteNamespaces() {
        for (String name : namespaces) {
            Shell.run("ip", "netns", "del", name);
            Shell.run("rm", "-rf", "/etc/netns/" + name);
        }
    }

    /**
     * Gives the programs run in the daemon's namespace a resolver that answers nothing: {@code ip
     * netns exec} mounts {@code /etc/netns/NS/resolv.conf} over /etc/resolv.conf, and this one names
     * 127.0.0.1, where nothing listens in the namespace. A host name that /etc/hosts does not
     * answer then fails at once ({@code [Errno -3] Temporary failure in name resolution}) and no
     * query leaves the namespace. Removed with the namespace on {@link #close()}.
     */
    void resolverAnswersNothing() throws IOException {
        Path dir = Files.createDirectories(Path.of("/etc/netns", ns));
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions attempts:1 timeout:1\n");
    }

    /** The control client: {@code portcullis ARGS --socket SOCKET}. */
    Shell.Result cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(image.resolve("bin/portcullis").toString()));
        cmd.addAll(List.of(args));
        cmd.add("--socket");
        cmd.add(socket.toString());
        return Shell.run(cmd.toArray(String[]::new));
    }

    /** Runs a command inside the daemon's namespace. */
    Shell.Result inNamespace(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return Shell.run(cmd.toArray(String[]::new));
    }

    /** The namespace's whole nft ruleset, as JSON. */
    String ruleset() {
        return inNamespace("nft", "-j", "list", "ruleset").out();
    }

    /** One set of the daemon's table, as JSON. */
    String set(String name) {
        return inNamespace("nft", "-j", "list", "set", "inet", table, name).out();
    }

    /** Waits up to {@code millis} for {@code address} to be in set {@code name}. */
    boolean waitForSet(String name, String address, long millis) {
        return waitForSet(name, address, true, millis);
    }

    /** Waits up to {@code millis} for {@code address} to be in set {@code name} ({@code present}) or out of it. */
    boolean waitForSet(String name, String address, boolean present, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (set(name).contains("\"" + address + "\"") == present) {
                return true;
            }
            sleep(20);
        }
        return false;
    }

    /** The daemon's metrics page at 127.0.0.1:{@code port}, fetched from inside the namespace. */
    Shell.Result metrics(int port) {
        return inNamespace("python3", "-c",
                "import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:" + port + "/metrics').read().decode())");
    }

    /**
     * Writes a configuration with one [sshd] jail ({@link #sshdJail}: maxretry 3, bantime 1h) on a
     * new {@code auth.log}, plus {@code moreJails} and, when not null, {@code fail2banConf} as
     * fail2ban.conf; starts the daemon and returns the log to attack.
     */
    Path startWithSshdJail(String moreJails, String fail2banConf) throws IOException {
        Path auth = createLog("auth.log");
        Files.writeString(etc.resolve("jail.conf"), ALL_PORTS_DEFAULT + sshdJail("sshd", auth, 3, "1h") + moreJails);
        if (fail2banConf != null) {
            Files.writeString(etc.resolve("fail2ban.conf"), fail2banConf);
        }
        writePortcullisConf("");
        start();
        return auth;
    }

    /** Waits up to {@code millis} until the daemon's output contains {@code text}. */
    boolean awaitOutput(String text, long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!output().contains(text)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(50);
        }
        return true;
    }

    /** jail.conf's DEFAULT section for jails made by {@link #sshdJail}: their action bans on every port. */
    static final String ALL_PORTS_DEFAULT = "[DEFAULT]\nbanaction_allports = nftables-allports\n";

    /**
     * A jail.conf section: jail {@code name} reads {@code log} with fail2ban's sshd filter and bans
     * on every port; no DNS, and the host's own addresses are not ignored (the test writes them).
     */
    static String sshdJail(String name, Path log, int maxretry, String bantime) {
        return """
                [%s]
                enabled = true
                filter = sshd
                action = %%(banaction_allports)s
                logpath = %s
                maxretry = %d
                findtime = 10m
                bantime = %s
                ignoreself = false
                usedns = no
                """.formatted(name, log, maxretry, bantime);
    }

    /**
     * {@code count} sshd "Failed password" syslog lines from {@code from}, stamped now, that
     * fail2ban's sshd filter counts; the client ports run from {@code firstPort}.
     */
    static String failedPasswords(int pid, String from, int firstPort, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(SYSLOG.format(LocalDateTime.now())).append(" server sshd[").append(pid)
                    .append("]: Failed password for root from ").append(from).append(" port ").append(firstPort + i)
                    .append(" ssh2\n");
        }
        return sb.toString();
    }

    static void append(Path log, String lines) throws IOException {
        Files.writeString(log, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
