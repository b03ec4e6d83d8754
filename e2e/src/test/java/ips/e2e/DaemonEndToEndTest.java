package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
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

    private static DaemonInNamespace daemon;
    private static Path log;
    private static Path notifySocket;
    private static Path notifyLog;
    private static Process notifyListener;

    @BeforeAll
    static void setUp() throws IOException {
        DaemonInNamespace.assumeRunnable();
        daemon = new DaemonInNamespace(SERVER, "pce2e");
        daemon.addNamespace(CLIENT);
        Shell.must("ip", "-n", SERVER, "link", "add", "veth-s", "type", "veth", "peer", "name", "veth-c", "netns", CLIENT);
        Shell.must("ip", "-n", SERVER, "addr", "add", SERVER_ADDR + "/24", "dev", "veth-s");
        Shell.must("ip", "-n", CLIENT, "addr", "add", ATTACKER + "/24", "dev", "veth-c");
        Shell.must("ip", "-n", CLIENT, "addr", "add", BYSTANDER + "/24", "dev", "veth-c");
        Shell.must("ip", "-n", SERVER, "link", "set", "veth-s", "up");
        Shell.must("ip", "-n", CLIENT, "link", "set", "veth-c", "up");

        log = daemon.createLog("auth.log");
        Files.writeString(daemon.etc().resolve("jail.conf"), """
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
        daemon.writePortcullisConf("""
                metrics = 127.0.0.1:9191
                recidive = true
                """);
        notifySocket = daemon.work().resolve("notify.sock");
        notifyLog = daemon.work().resolve("notify.log");
        notifyListener = new ProcessBuilder("python3", "-u", "-c",
                "import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\n"
                        + "while True:\n  print(s.recv(4096).decode().replace('\\n',' '),flush=True)",
                notifySocket.toString())
                .redirectErrorStream(true).redirectOutput(notifyLog.toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(notifySocket) && System.nanoTime() < until) {
            DaemonInNamespace.sleep(20);
        }
        startDaemon();
    }

    private static void startDaemon() throws IOException {
        daemon.start(Map.of("NOTIFY_SOCKET", notifySocket.toString()));
    }

    private static void stopDaemon() throws Exception {
        if (daemon.running()) {
            daemon.stop();
            assertTrue(Files.readString(notifyLog).contains("STOPPING=1"), "sd_notify STOPPING=1");
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (daemon != null) {
                stopDaemon();
            }
        } finally {
            if (notifyListener != null) {
                notifyListener.destroyForcibly();
            }
            if (daemon != null) {
                daemon.close();
            }
        }
    }

    private static void attack(String address, int times) throws IOException {
        DaemonInNamespace.append(log, DaemonInNamespace.failedPasswords(4242, address, 50000, times));
    }

    private static String kernelSet() {
        return daemon.set("sshd-v4");
    }

    private static boolean waitForKernel(String address, boolean present, long millis) {
        return daemon.waitForSet("sshd-v4", address, present, millis);
    }

    private static boolean pingFrom(String source) {
        return Shell.run("ip", "netns", "exec", CLIENT, "ping", "-c", "1", "-W", "1", "-I", source, SERVER_ADDR).ok();
    }

    @Test
    @Order(1)
    void bansAnAttackerInTheKernelAndDropsItsPacketsOnly() throws Exception {
        assertTrue(pingFrom(ATTACKER), "before the ban the attacker reaches the server");
        attack(ATTACKER, 3);
        assertTrue(waitForKernel(ATTACKER, true, 5_000), "attacker not in the kernel set within 5 s: " + kernelSet()
                + "\n" + daemon.output());
        assertFalse(pingFrom(ATTACKER), "the banned source's packets must be dropped");
        assertTrue(pingFrom(BYSTANDER), "an unbanned source still passes");
        assertTrue(daemon.output().contains("NOTICE  [sshd] Ban " + ATTACKER), "fail2ban-format Ban line");
        Shell.Result st = daemon.cli("status", "sshd");
        assertTrue(st.out().contains("Currently banned:\t1") && st.out().contains(ATTACKER), st.out());
        assertTrue(st.out().contains("|  `- File list:\t" + log + "\n"), "fail2ban's File list line: " + st.out());
    }

    @Test
    @Order(2)
    void tellsSystemdItIsReadyAndExportsMetrics() throws Exception {
        assertTrue(Files.readString(notifyLog).contains("READY=1"), "sd_notify READY=1: " + Files.readString(notifyLog));
        Shell.Result m = daemon.metrics(9191);
        assertTrue(m.ok(), m.out());
        assertTrue(m.out().contains("portcullis_bans_total 1"), m.out());
        assertTrue(m.out().contains("portcullis_active_bans{jail=\"sshd\"} 1"), m.out());
        assertTrue(m.out().contains("portcullis_lines_read_total{jail=\"sshd\"} 3"), m.out());
        assertTrue(m.out().contains("# TYPE portcullis_failures_total counter"), m.out());
        Shell.Result json = daemon.cli("banned", "--json");
        assertEquals("{\"sshd\":[\"" + ATTACKER + "\"]}\n", json.out());
        assertEquals("3\n", daemon.cli("get", "sshd", "maxretry").out());
    }

    /**
     * Scripts written for fail2ban keep working through links named fail2ban-client and
     * fail2ban-regex: fail2ban-client's options before the command ({@code -q}, {@code -c DIR}: the
     * daemon of that tree, on the socket its portcullis.conf names, with no {@code --socket}),
     * {@code -V}, {@code -t}; fail2ban-regex is test-filter.
     */
    @Test
    @Order(2)
    void answersFail2banClientAndFail2banRegexThroughLinksOfTheirNames() throws Exception {
        Path bin = Files.createDirectories(daemon.work().resolve("compat-bin"));
        Path portcullis = daemon.image().resolve("bin/portcullis");
        Path client = Files.createSymbolicLink(bin.resolve("fail2ban-client"), portcullis);
        Path regex = Files.createSymbolicLink(bin.resolve("fail2ban-regex"), portcullis);
        String etc = daemon.etc().toString();

        assertEquals(daemon.cli("status", "sshd").out(), Shell.run(client.toString(), "-q", "-c", etc, "status", "sshd").out());
        assertEquals("3\n", Shell.run(client.toString(), "-c", etc, "get", "sshd", "maxretry").out());
        assertEquals("{\"sshd\":[\"" + ATTACKER + "\"]}\n", Shell.run(client.toString(), "--json", "-c", etc, "banned").out());
        Shell.Result v = Shell.run(client.toString(), "-V");
        assertTrue(v.ok() && v.out().matches("\\d+\\.\\d+\\.\\d+\\S*\n"), v.out());
        Shell.Result t = Shell.run(client.toString(), "-c", etc, "-t");
        assertTrue(t.ok() && t.out().contains("[sshd]"), t.out());

        Shell.Result theirs = Shell.run(regex.toString(), log.toString(), "sshd");
        Shell.Result ours = Shell.run(portcullis.toString(), "test-filter", log.toString(), "sshd");
        assertTrue(theirs.ok() && theirs.out().contains("Failregex: 3 total"), theirs.out());
        assertEquals(ours.out().replaceAll("\\[processed in [^\\]]*\\]", ""), theirs.out().replaceAll("\\[processed in [^\\]]*\\]", ""));
    }

    @Test
    @Order(3)
    void belowMaxretryIsNotBanned() throws Exception {
        attack(BYSTANDER, 2);
        DaemonInNamespace.sleep(1500);
        assertFalse(kernelSet().contains("\"" + BYSTANDER + "\""), kernelSet());
        assertTrue(pingFrom(BYSTANDER));
    }

    @Test
    @Order(4)
    void brokenReloadIsRefusedAndKeepsEverything() throws Exception {
        Path local = daemon.etc().resolve("jail.local");
        Files.writeString(local, "[sshd]\nmaxretry = 2\nthis line is not an option\n");
        try {
            Shell.Result r = daemon.cli("reload");
            assertEquals(1, r.status(), r.out());
            assertTrue(r.out().contains("jail.local") && r.out().contains(":3"), "error names the file and line: " + r.out());
            assertTrue(daemon.cli("status", "sshd").out().contains(ATTACKER), "ban kept after a refused reload");
            assertTrue(kernelSet().contains("\"" + ATTACKER + "\""));
            assertTrue(daemon.cli("ping").ok(), "daemon still answers");
        } finally {
            Files.delete(local);
        }
        assertTrue(daemon.cli("reload").ok(), "a good reload passes");
        assertTrue(kernelSet().contains("\"" + ATTACKER + "\""), "ban kept across a reload");
    }

    @Test
    @Order(5)
    void refusesANonRootPeerOnTheControlSocket() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
        Files.setPosixFilePermissions(daemon.socket().getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(daemon.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
        Shell.Result r = Shell.run("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                daemon.image().resolve("bin/portcullis").toString(), "ping", "--socket", daemon.socket().toString());
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
        assertTrue(daemon.output().contains("Restore Ban " + ATTACKER));
    }

    @Test
    @Order(7)
    void reappliesBansWhenTheRulesetIsFlushedUnderIt() throws Exception {
        Shell.must("ip", "netns", "exec", SERVER, "nft", "flush", "ruleset");
        assertTrue(waitForKernel(ATTACKER, true, 5_000), "table re-created and ban re-applied: " + kernelSet());
        assertFalse(pingFrom(ATTACKER));
        assertTrue(daemon.output().contains("re-applied"), "the recovery is reported");
    }

    @Test
    @Order(8)
    void unbanLetsTheAddressBackIn() throws Exception {
        Shell.Result r = daemon.cli("unban", ATTACKER);
        assertTrue(r.ok(), r.out());
        assertTrue(waitForKernel(ATTACKER, false, 2_000), kernelSet());
        assertTrue(pingFrom(ATTACKER), "an unbanned source passes again");
        assertTrue(daemon.output().contains("NOTICE  [sshd] Unban " + ATTACKER));
    }

    @Test
    @Order(9)
    void nativeRecidiveBansARepeatOffenderOnAllPorts() throws Exception {
        String repeat = "198.51.100.77";
        for (int round = 1; round <= 5; round++) {
            attack(repeat, 3);
            assertTrue(waitForKernel(repeat, true, 5_000), "round " + round + ": banned in sshd");
            if (round < 5) {
                assertTrue(daemon.cli("unban", repeat).ok());
                assertTrue(waitForKernel(repeat, false, 5_000), "round " + round + ": unbanned");
            }
        }
        assertTrue(daemon.waitForSet("portcullis-recidive-v4", repeat, 5_000),
                "the fifth ban in a day lands in the recidive jail: " + daemon.set("portcullis-recidive-v4"));
        assertTrue(daemon.output().contains("[portcullis-recidive] Ban " + repeat));
    }

    @Test
    @Order(10)
    void usednsWarnResolvesAHostNameAndBansItsAddresses() throws Exception {
        // another sshd pid: fail2ban's multi-line id (the "sshd[PID]" prefix) would merge these
        // lines into the earlier failures of pid 4242 and keep their address, as fail2ban does
        // resolved through /etc/hosts: no traffic leaves the host
        DaemonInNamespace.append(log, DaemonInNamespace.failedPasswords(5151, "localhost", 51000, 3));
        assertTrue(waitForKernel("127.0.0.1", true, 5_000), "localhost's address not banned within 5 s: " + kernelSet()
                + "\n" + daemon.output());
        String out = daemon.output();
        assertTrue(out.contains("Determined IP using DNS Lookup: localhost = "), out);
        assertTrue(out.contains("NOTICE  [sshd] Ban 127.0.0.1"), out);
    }
}
