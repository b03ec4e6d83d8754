package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real image, started in a throwaway network namespace ("server") with a fail2ban-style
 * configuration, attacked through a log file; a second namespace ("client") reaches it over a
 * veth pair from a banned and an unbanned address. Read back with nft, independently.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DaemonEndToEndTest {
    private static final String SERVER = "pce2e-srv";
    private static final String CLIENT = "pce2e-cli";
    private static final String SERVER_ADDR = "10.231.0.1";
    private static final String ATTACKER = "10.231.0.2";
    private static final String BYSTANDER = "10.231.0.3";
    private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

    private static Path image;
    private static Path work;
    private static Path log;
    private static Path socket;
    private static Process daemon;
    private static Path daemonOut;
    private static Path notifySocket;
    private static Path notifyLog;
    private static Process notifyListener;

    @BeforeAll
    static void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "end-to-end tests need root (network namespaces, nftables)");
        image = Path.of(System.getProperty("portcullis.image", "../jlink/target/image"));
        assumeTrue(Files.isExecutable(image.resolve("bin/portcullis")), "the image is not built at " + image);
        assumeTrue(Files.isDirectory(Path.of(System.getProperty("portcullis.filters"))), "fail2ban's filter.d is not installed");
        assumeTrue(Shell.run("nft", "--version").ok(), "nft is not installed");
        cleanNamespaces();
        Shell.must("ip", "netns", "add", SERVER);
        Shell.must("ip", "netns", "add", CLIENT);
        Shell.must("ip", "-n", SERVER, "link", "add", "veth-s", "type", "veth", "peer", "name", "veth-c", "netns", CLIENT);
        Shell.must("ip", "-n", SERVER, "addr", "add", SERVER_ADDR + "/24", "dev", "veth-s");
        Shell.must("ip", "-n", CLIENT, "addr", "add", ATTACKER + "/24", "dev", "veth-c");
        Shell.must("ip", "-n", CLIENT, "addr", "add", BYSTANDER + "/24", "dev", "veth-c");
        for (String ns : List.of(SERVER, CLIENT)) {
            Shell.must("ip", "-n", ns, "link", "set", "lo", "up");
        }
        Shell.must("ip", "-n", SERVER, "link", "set", "veth-s", "up");
        Shell.must("ip", "-n", CLIENT, "link", "set", "veth-c", "up");

        work = Files.createTempDirectory("pce2e");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = Files.createDirectories(work.resolve("etc"));
        Path filters = Path.of(System.getProperty("portcullis.filters"));
        Files.createSymbolicLink(etc.resolve("filter.d"), filters);
        Files.createSymbolicLink(etc.resolve("action.d"), filters.resolveSibling("action.d"));
        log = work.resolve("auth.log");
        Files.createFile(log);
        socket = work.resolve("run/portcullis.sock");
        Files.writeString(etc.resolve("jail.conf"), """
                [DEFAULT]
                banaction = nftables-multiport
                banaction_allports = nftables-allports
                [sshd]
                enabled = true
                filter = sshd
                port = ssh
                action = %%(banaction_allports)s
                logpath = %s
                maxretry = 3
                findtime = 10m
                bantime = 1h
                ignoreself = false
                usedns = warn
                """.formatted(log));
        Files.writeString(etc.resolve("portcullis.conf"), """
                [portcullis]
                statedir = %s
                socket = %s
                table = pce2e
                metrics = 127.0.0.1:9191
                recidive = true
                """.formatted(work.resolve("state"), socket));
        notifySocket = work.resolve("notify.sock");
        notifyLog = work.resolve("notify.log");
        notifyListener = new ProcessBuilder("python3", "-u", "-c",
                "import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\n"
                        + "while True:\n  print(s.recv(4096).decode().replace('\\n',' '),flush=True)",
                notifySocket.toString())
                .redirectErrorStream(true).redirectOutput(notifyLog.toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(notifySocket) && System.nanoTime() < until) {
            sleep(20);
        }
        startDaemon();
    }

    private static void startDaemon() throws IOException {
        daemonOut = work.resolve("daemon.out");
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", SERVER, image.resolve("bin/portcullis").toString(),
                "run", "--config", work.resolve("etc").toString());
        pb.environment().put("NOTIFY_SOCKET", notifySocket.toString());
        daemon = pb
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(daemonOut.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (cli("ping").ok()) {
                return;
            }
            if (!daemon.isAlive()) {
                throw new AssertionError("daemon exited: " + Files.readString(daemonOut));
            }
            sleep(50);
        }
        throw new AssertionError("daemon did not answer ping within 30 s: " + Files.readString(daemonOut));
    }

    private static void stopDaemon() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            assertTrue(daemon.waitFor(15, TimeUnit.SECONDS), "daemon did not stop on SIGTERM");
            assertTrue(Files.readString(notifyLog).contains("STOPPING=1"), "sd_notify STOPPING=1");
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            stopDaemon();
        } finally {
            cleanNamespaces();
            if (notifyListener != null) {
                notifyListener.destroyForcibly();
            }
            if (work != null) {
                Shell.run("rm", "-rf", work.toString());
            }
        }
    }

    private static void cleanNamespaces() {
        Shell.run("ip", "netns", "del", SERVER);
        Shell.run("ip", "netns", "del", CLIENT);
    }

    static Shell.Result cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(image.resolve("bin/portcullis").toString()));
        cmd.addAll(List.of(args));
        cmd.add("--socket");
        cmd.add(socket.toString());
        return Shell.run(cmd.toArray(String[]::new));
    }

    private static void attack(String address, int times) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < times; i++) {
            sb.append(SYSLOG.format(LocalDateTime.now())).append(" server sshd[4242]: Failed password for root from ")
                    .append(address).append(" port ").append(50000 + i).append(" ssh2\n");
        }
        Files.writeString(log, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static String kernelSet() {
        return Shell.run("ip", "netns", "exec", SERVER, "nft", "-j", "list", "set", "inet", "pce2e", "sshd-v4").out();
    }

    private static boolean waitForKernel(String address, boolean present, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (kernelSet().contains("\"" + address + "\"") == present) {
                return true;
            }
            sleep(20);
        }
        return false;
    }

    private static boolean pingFrom(String source) {
        return Shell.run("ip", "netns", "exec", CLIENT, "ping", "-c", "1", "-W", "1", "-I", source, SERVER_ADDR).ok();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Order(1)
    void bansAnAttackerInTheKernelAndDropsItsPacketsOnly() throws Exception {
        assertTrue(pingFrom(ATTACKER), "before the ban the attacker reaches the server");
        attack(ATTACKER, 3);
        assertTrue(waitForKernel(ATTACKER, true, 5_000), "attacker not in the kernel set within 5 s: " + kernelSet()
                + "\n" + Files.readString(daemonOut));
        assertFalse(pingFrom(ATTACKER), "the banned source's packets must be dropped");
        assertTrue(pingFrom(BYSTANDER), "an unbanned source still passes");
        assertTrue(Files.readString(daemonOut).contains("NOTICE  [sshd] Ban " + ATTACKER), "fail2ban-format Ban line");
        Shell.Result st = cli("status", "sshd");
        assertTrue(st.out().contains("Currently banned:\t1") && st.out().contains(ATTACKER), st.out());
    }

    @Test
    @Order(2)
    void tellsSystemdItIsReadyAndExportsMetrics() throws Exception {
        assertTrue(Files.readString(notifyLog).contains("READY=1"), "sd_notify READY=1: " + Files.readString(notifyLog));
        Shell.Result m = Shell.run("ip", "netns", "exec", SERVER, "python3", "-c",
                "import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:9191/metrics').read().decode())");
        assertTrue(m.ok(), m.out());
        assertTrue(m.out().contains("portcullis_bans_total 1"), m.out());
        assertTrue(m.out().contains("portcullis_active_bans{jail=\"sshd\"} 1"), m.out());
        assertTrue(m.out().contains("portcullis_lines_read_total{jail=\"sshd\"} 3"), m.out());
        assertTrue(m.out().contains("# TYPE portcullis_failures_total counter"), m.out());
        Shell.Result json = cli("banned", "--json");
        assertEquals("{\"sshd\":[\"" + ATTACKER + "\"]}\n", json.out());
        assertEquals("3\n", cli("get", "sshd", "maxretry").out());
    }

    @Test
    @Order(3)
    void belowMaxretryIsNotBanned() throws Exception {
        attack(BYSTANDER, 2);
        sleep(1500);
        assertFalse(kernelSet().contains("\"" + BYSTANDER + "\""), kernelSet());
        assertTrue(pingFrom(BYSTANDER));
    }

    @Test
    @Order(4)
    void brokenReloadIsRefusedAndKeepsEverything() throws Exception {
        Path local = work.resolve("etc/jail.local");
        Files.writeString(local, "[sshd]\nmaxretry = 2\nthis line is not an option\n");
        try {
            Shell.Result r = cli("reload");
            assertEquals(1, r.status(), r.out());
            assertTrue(r.out().contains("jail.local") && r.out().contains(":3"), "error names the file and line: " + r.out());
            assertTrue(cli("status", "sshd").out().contains(ATTACKER), "ban kept after a refused reload");
            assertTrue(kernelSet().contains("\"" + ATTACKER + "\""));
            assertTrue(cli("ping").ok(), "daemon still answers");
        } finally {
            Files.delete(local);
        }
        assertTrue(cli("reload").ok(), "a good reload passes");
        assertTrue(kernelSet().contains("\"" + ATTACKER + "\""), "ban kept across a reload");
    }

    @Test
    @Order(5)
    void refusesANonRootPeerOnTheControlSocket() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        Shell.Result r = Shell.run("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                image.resolve("bin/portcullis").toString(), "ping", "--socket", socket.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("permission denied"), r.out());
    }

    @Test
    @Order(6)
    void restartRestoresBansThatTheKernelLost() throws Exception {
        stopDaemon();
        assertTrue(kernelSet().contains("\"" + ATTACKER + "\""), "bans stay in the kernel while the daemon is down");
        Shell.must("ip", "netns", "exec", SERVER, "nft", "flush", "ruleset");
        assertFalse(kernelSet().contains(ATTACKER));
        startDaemon();
        assertTrue(waitForKernel(ATTACKER, true, 5_000), "ban restored from the ledger: " + kernelSet());
        assertFalse(pingFrom(ATTACKER));
        assertTrue(Files.readString(daemonOut).contains("Restore Ban " + ATTACKER));
    }

    @Test
    @Order(7)
    void reappliesBansWhenTheRulesetIsFlushedUnderIt() throws Exception {
        Shell.must("ip", "netns", "exec", SERVER, "nft", "flush", "ruleset");
        assertTrue(waitForKernel(ATTACKER, true, 5_000), "table re-created and ban re-applied: " + kernelSet());
        assertFalse(pingFrom(ATTACKER));
        assertTrue(Files.readString(daemonOut).contains("re-applied"), "the recovery is reported");
    }

    @Test
    @Order(8)
    void unbanLetsTheAddressBackIn() throws Exception {
        Shell.Result r = cli("unban", ATTACKER);
        assertTrue(r.ok(), r.out());
        assertTrue(waitForKernel(ATTACKER, false, 2_000), kernelSet());
        assertTrue(pingFrom(ATTACKER), "an unbanned source passes again");
        assertTrue(Files.readString(daemonOut).contains("NOTICE  [sshd] Unban " + ATTACKER));
    }

    @Test
    @Order(9)
    void nativeRecidiveBansARepeatOffenderOnAllPorts() throws Exception {
        String repeat = "198.51.100.77";
        for (int round = 1; round <= 5; round++) {
            attack(repeat, 3);
            assertTrue(waitForKernel(repeat, true, 5_000), "round " + round + ": banned in sshd");
            if (round < 5) {
                assertTrue(cli("unban", repeat).ok());
                assertTrue(waitForKernel(repeat, false, 5_000), "round " + round + ": unbanned");
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String set = "";
        while (System.nanoTime() < deadline) {
            set = Shell.run("ip", "netns", "exec", SERVER, "nft", "-j", "list", "set", "inet", "pce2e",
                    "portcullis-recidive-v4").out();
            if (set.contains("\"" + repeat + "\"")) {
                break;
            }
            sleep(50);
        }
        assertTrue(set.contains("\"" + repeat + "\""), "the fifth ban in a day lands in the recidive jail: " + set);
        assertTrue(Files.readString(daemonOut).contains("[portcullis-recidive] Ban " + repeat));
    }

    @Test
    @Order(10)
    void usednsWarnResolvesAHostNameAndBansItsAddresses() throws Exception {
        // another sshd pid: fail2ban's multi-line id (the "sshd[PID]" prefix) would merge these
        // lines into the earlier failures of pid 4242 and keep their address, as fail2ban does
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append(SYSLOG.format(LocalDateTime.now()))
                    .append(" server sshd[5151]: Failed password for root from localhost port ").append(51000 + i)
                    .append(" ssh2\n"); // resolved through /etc/hosts: no traffic leaves the host
        }
        Files.writeString(log, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertTrue(waitForKernel("127.0.0.1", true, 5_000), "localhost's address not banned within 5 s: " + kernelSet()
                + "\n" + Files.readString(daemonOut));
        String out = Files.readString(daemonOut);
        assertTrue(out.contains("Determined IP using DNS Lookup: localhost = "), out);
        assertTrue(out.contains("NOTICE  [sshd] Ban 127.0.0.1"), out);
    }
}
