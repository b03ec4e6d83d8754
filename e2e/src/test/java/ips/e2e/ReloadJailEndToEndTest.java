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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A jail that {@code portcullis reload} drops and brings back behaves as fail2ban's jail stop and
 * start: the real image in a throwaway network namespace with two jails, read back with nft.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReloadJailEndToEndTest {
    private static final String NS = "pcreload-srv";
    private static final String TABLE = "pcreload";
    private static final String IN_A = "198.51.100.8";
    private static final String IN_B = "198.51.100.7";
    private static final long BANTIME_SECONDS = 3600;
    private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

    private static Path image;
    private static Path work;
    private static Path logA;
    private static Path logB;
    private static Path local;
    private static Path socket;
    private static Path daemonOut;
    private static Process daemon;
    /** Just before B's attack: B's ban runs out no later than this plus the bantime. */
    private static long beforeBanB;

    @BeforeAll
    static void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "end-to-end tests need root (network namespaces, nftables)");
        image = Path.of(System.getProperty("portcullis.image", "../jlink/target/image"));
        assumeTrue(Files.isExecutable(image.resolve("bin/portcullis")), "the image is not built at " + image);
        assumeTrue(Files.isDirectory(Path.of(System.getProperty("portcullis.filters"))), "fail2ban's filter.d is not installed");
        assumeTrue(Shell.run("nft", "--version").ok(), "nft is not installed");
        Shell.run("ip", "netns", "del", NS);
        Shell.must("ip", "netns", "add", NS);
        Shell.must("ip", "-n", NS, "link", "set", "lo", "up");

        work = Files.createTempDirectory("pcreload");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = Files.createDirectories(work.resolve("etc"));
        Path filters = Path.of(System.getProperty("portcullis.filters"));
        Files.createSymbolicLink(etc.resolve("filter.d"), filters);
        Files.createSymbolicLink(etc.resolve("action.d"), filters.resolveSibling("action.d"));
        logA = Files.createFile(work.resolve("a.log"));
        logB = Files.createFile(work.resolve("b.log"));
        local = etc.resolve("jail.local");
        socket = work.resolve("run/portcullis.sock");
        String jail = """
                [%s]
                enabled = true
                filter = sshd
                action = %%(banaction_allports)s
                logpath = %s
                maxretry = 3
                findtime = 10m
                bantime = %d
                ignoreself = false
                usedns = no
                """;
        Files.writeString(etc.resolve("jail.conf"), "[DEFAULT]\nbanaction_allports = nftables-allports\n"
                + jail.formatted("sshd", logA, BANTIME_SECONDS) + jail.formatted("sshd-b", logB, BANTIME_SECONDS));
        Files.writeString(etc.resolve("portcullis.conf"), """
                [portcullis]
                statedir = %s
                socket = %s
                table = %s
                metrics = 127.0.0.1:9192
                """.formatted(work.resolve("state"), socket, TABLE));
        daemonOut = work.resolve("daemon.out");
        startDaemon();
    }

    private static void startDaemon() throws IOException {
        daemon = new ProcessBuilder("ip", "netns", "exec", NS, image.resolve("bin/portcullis").toString(),
                "run", "--config", work.resolve("etc").toString())
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

    private static void stopDaemon() throws InterruptedException {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            assertTrue(daemon.waitFor(15, TimeUnit.SECONDS), "daemon did not stop on SIGTERM");
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            stopDaemon();
        } finally {
            Shell.run("ip", "netns", "del", NS);
            if (work != null) {
                Shell.run("rm", "-rf", work.toString());
            }
        }
    }

    private static Shell.Result cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(image.resolve("bin/portcullis").toString()));
        cmd.addAll(List.of(args));
        cmd.add("--socket");
        cmd.add(socket.toString());
        return Shell.run(cmd.toArray(String[]::new));
    }

    private static void attack(Path log, String address) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append(SYSLOG.format(LocalDateTime.now())).append(" server sshd[4242]: Failed password for root from ")
                    .append(address).append(" port ").append(50000 + i).append(" ssh2\n");
        }
        Files.writeString(log, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static String ruleset() {
        return Shell.run("ip", "netns", "exec", NS, "nft", "-j", "list", "ruleset").out();
    }

    private static String set(String name) {
        return Shell.run("ip", "netns", "exec", NS, "nft", "-j", "list", "set", "inet", TABLE, name).out();
    }

    private static boolean waitForSet(String name, String address, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (set(name).contains("\"" + address + "\"")) {
                return true;
            }
            sleep(20);
        }
        return false;
    }

    /** The timeout nft shows for {@code address} in {@code set}, in seconds. */
    private static long timeoutOf(String set, String address) {
        String json = set(set);
        Matcher m = Pattern.compile("\"val\":\\s*\"" + Pattern.quote(address) + "\",\\s*\"timeout\":\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), "no timeout for " + address + " in " + json);
        return Long.parseLong(m.group(1));
    }

    private static String metrics() {
        return Shell.run("ip", "netns", "exec", NS, "python3", "-c",
                "import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:9192/metrics').read().decode())").out();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertBOutOfTheFirewallAndOutOfTheCounts(String ruleset) throws IOException {
        assertFalse(ruleset.contains("sshd-b-"), "no set or rule of sshd-b is left: " + ruleset);
        assertTrue(set("sshd-v4").contains("\"" + IN_A + "\""), "the remaining jail keeps its ban");
        assertEquals("{\"sshd\":[\"" + IN_A + "\"]}\n", cli("banned", "--json").out());
        assertFalse(cli("status").out().contains("sshd-b"), cli("status").out());
        String m = metrics();
        assertTrue(m.contains("portcullis_active_bans{jail=\"sshd\"} 1"), m);
        assertFalse(m.contains("jail=\"sshd-b\""), m);
    }

    private static void assertBRestoredWithWhatIsLeftOfItsTime() throws IOException {
        assertTrue(waitForSet("sshd-b-v4", IN_B, 5_000), "restored into sshd-b: " + set("sshd-b-v4"));
        long elapsed = (System.currentTimeMillis() - beforeBanB) / 1000;
        long timeout = timeoutOf("sshd-b-v4", IN_B);
        assertTrue(timeout <= BANTIME_SECONDS - elapsed, "timeout " + timeout + " s is no more than what is left: "
                + (BANTIME_SECONDS - elapsed) + " s");
        assertTrue(timeout >= BANTIME_SECONDS - elapsed - 60, "timeout " + timeout + " s");
        assertEquals("{\"sshd\":[\"" + IN_A + "\"],\"sshd-b\":[\"" + IN_B + "\"]}\n", cli("banned", "--json").out());
        assertTrue(Files.readString(daemonOut).contains("[sshd-b] Restore Ban " + IN_B));
    }

    @Test
    @Order(1)
    void reloadWithoutAJailTakesItsBansOutOfTheFirewallAndReloadWithItPutsThemBack() throws Exception {
        attack(logA, IN_A);
        beforeBanB = System.currentTimeMillis();
        attack(logB, IN_B);
        assertTrue(waitForSet("sshd-v4", IN_A, 5_000), set("sshd-v4") + "\n" + Files.readString(daemonOut));
        assertTrue(waitForSet("sshd-b-v4", IN_B, 5_000), set("sshd-b-v4") + "\n" + Files.readString(daemonOut));

        Files.writeString(local, "[sshd-b]\nenabled = false\n");
        Shell.Result r = cli("reload");
        assertTrue(r.ok(), r.out());
        assertBOutOfTheFirewallAndOutOfTheCounts(ruleset());
        assertTrue(Files.readString(daemonOut).contains("stopped [sshd-b]: their bans left the firewall, 1 ban(s) kept in the ledger"),
                Files.readString(daemonOut));
        assertFalse(Files.readString(daemonOut).contains("Unban " + IN_B), "stopping a jail is not an unban");

        sleep(2_000); // so that what is left of the ban is measurably less than the bantime
        Files.delete(local);
        r = cli("reload");
        assertTrue(r.ok(), r.out());
        assertBRestoredWithWhatIsLeftOfItsTime();
        assertTrue(Files.readString(daemonOut).contains("started [sshd-b]: 1 ban(s) restored from the ledger"),
                Files.readString(daemonOut));
    }

    @Test
    @Order(2)
    void aRestartWithoutTheJailRemovesWhatTheLastProcessLeftAndKeepsItsBansInTheLedger() throws Exception {
        stopDaemon();
        assertTrue(set("sshd-b-v4").contains("\"" + IN_B + "\""), "bans stay in the kernel while the daemon is down");
        Files.writeString(local, "[sshd-b]\nenabled = false\n");
        Files.delete(daemonOut); // the new process's lines only
        startDaemon();
        assertBOutOfTheFirewallAndOutOfTheCounts(ruleset());
        assertFalse(Files.readString(daemonOut).contains("[sshd-b] Restore Ban"), "a jail not enabled is not restored");
        assertTrue(Files.readString(daemonOut).contains("1 ban(s) of jails not enabled kept in the ledger only"),
                Files.readString(daemonOut));

        Files.delete(local);
        Shell.Result r = cli("reload");
        assertTrue(r.ok(), r.out());
        assertBRestoredWithWhatIsLeftOfItsTime();
    }
}
