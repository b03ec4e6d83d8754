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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code portcullis reload} is all or nothing, and reads every log line once: the real image in a
 * throwaway network namespace, its firewall read back with nft and its log lines counted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReloadAllOrNothingEndToEndTest {
    private static final String NS = "pcatomic-srv";
    private static final String TABLE = "pcatomic";
    private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

    private static Path image;
    private static Path work;
    private static Path logA;
    private static Path logB;
    private static Path local;
    private static Path socket;
    private static Path daemonOut;
    private static Process daemon;

    private static final String JAIL = """
            [%s]
            enabled = true
            filter = sshd
            action = %%(banaction_allports)s
            logpath = %s
            maxretry = %d
            findtime = 10m
            bantime = 1h
            ignoreself = false
            usedns = no
            """;

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

        work = Files.createTempDirectory("pcatomic");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = Files.createDirectories(work.resolve("etc"));
        Path filters = Path.of(System.getProperty("portcullis.filters"));
        Files.createSymbolicLink(etc.resolve("filter.d"), filters);
        Files.createSymbolicLink(etc.resolve("action.d"), filters.resolveSibling("action.d"));
        logA = Files.createFile(work.resolve("a.log"));
        logB = Files.createFile(work.resolve("b.log"));
        local = etc.resolve("jail.local");
        socket = work.resolve("run/portcullis.sock");
        Files.writeString(etc.resolve("jail.conf"), "[DEFAULT]\nbanaction_allports = nftables-allports\n"
                + JAIL.formatted("sshd", logA, 3));
        Files.writeString(etc.resolve("portcullis.conf"), """
                [portcullis]
                statedir = %s
                socket = %s
                table = %s
                """.formatted(work.resolve("state"), socket, TABLE));
        daemonOut = work.resolve("daemon.out");
        daemon = new ProcessBuilder("ip", "netns", "exec", NS, image.resolve("bin/portcullis").toString(),
                "run", "--config", etc.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(daemonOut.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cli("ping").ok()) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("daemon did not answer ping: " + Files.readString(daemonOut));
            }
            sleep(50);
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (daemon != null && daemon.isAlive()) {
                daemon.destroy();
                assertTrue(daemon.waitFor(15, TimeUnit.SECONDS), "daemon did not stop on SIGTERM");
            }
        } finally {
            Shell.run("ip", "netns", "del", NS);
            if (work != null) {
                Shell.run("rm", "-rf", work.toString());
            }
        }
    }

    @AfterEach
    void withoutJailLocal() throws IOException {
        Files.deleteIfExists(local); // the next test starts from jail.conf alone, whatever this one left
    }

    private static Shell.Result cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(image.resolve("bin/portcullis").toString()));
        cmd.addAll(List.of(args));
        cmd.add("--socket");
        cmd.add(socket.toString());
        return Shell.run(cmd.toArray(String[]::new));
    }

    private static void failures(Path log, String... addresses) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String a : addresses) {
            sb.append(SYSLOG.format(LocalDateTime.now())).append(" server sshd[4242]: Failed password for root from ")
                    .append(a).append(" port 50000 ssh2\n");
        }
        Files.writeString(log, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** The ruleset as JSON, without the seconds each element has left (they change as we look). */
    private static String ruleset() {
        String json = Shell.run("ip", "netns", "exec", NS, "nft", "-j", "list", "ruleset").out();
        return json.replaceAll("\"expires\":\\s*\\d+,?\\s*", "");
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

    /** How many times each address was found, from the daemon's "Found" lines. */
    private static Map<String, Integer> found() throws IOException {
        Map<String, Integer> n = new HashMap<>();
        Matcher m = Pattern.compile("\\] Found (\\S+) - ").matcher(Files.readString(daemonOut));
        while (m.find()) {
            n.merge(m.group(1), 1, Integer::sum);
        }
        return n;
    }

    private static List<String> errors(String out) {
        return out.lines().filter(l -> l.contains(" ERROR ")).toList();
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
    void aReloadWhoseNewJailCannotOpenItsLogIsRefusedAndTheFirewallAndTheReadersStay() throws Exception {
        failures(logA, "198.51.100.1", "198.51.100.1", "198.51.100.1");
        assertTrue(waitForSet("sshd-v4", "198.51.100.1", 5_000), set("sshd-v4") + Files.readString(daemonOut));
        String before = ruleset();
        int linesBefore = Files.readString(daemonOut).length();

        Files.writeString(local, JAIL.formatted("sshd-new", logB, 3) + "logtimezone = Mars/Olympus_Mons\n");
        Shell.Result r = cli("reload");

        assertFalse(r.ok(), r.out());
        assertTrue(r.out().contains("reload refused, the running configuration and every ban are kept")
                && r.out().contains("jail 'sshd-new': logtimezone: "), r.out());
        assertEquals(before, ruleset(), "the firewall is as it was");
        String after = Files.readString(daemonOut).substring(linesBefore);
        List<String> errors = errors(after);
        assertEquals(1, errors.size(), after);
        assertTrue(errors.getFirst().contains("reload refused") && errors.getFirst().contains("jail 'sshd-new'"), errors.getFirst());
        assertEquals("{\"jails\":[\"sshd\"]}\n", cli("status", "--json").out());

        // the running jail still reads: a failure written after the refused reload still bans, each line found once
        failures(logA, "198.51.100.2", "198.51.100.2", "198.51.100.2");
        assertTrue(waitForSet("sshd-v4", "198.51.100.2", 5_000), set("sshd-v4") + Files.readString(daemonOut));
        assertEquals(3, found().get("198.51.100.2"));
        assertEquals(3, found().get("198.51.100.1"));
    }

    @Test
    @Order(2)
    void reloadsOfAnUnchangedConfigurationWhileLinesArriveFindEachLineOnce() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; writing.get(); i++) {
                    failures(logA, "10.20." + (i / 250 % 250) + "." + (i % 250 + 1)); // one failure each: no ban
                    written.incrementAndGet();
                    sleep(2);
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        int reloads = 10;
        try {
            for (int i = 0; i < reloads; i++) {
                Shell.Result r = cli("reload");
                assertTrue(r.ok(), r.out());
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        int lines = written.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Map<String, Integer> found = found();
        while (found.keySet().stream().filter(a -> a.startsWith("10.20.")).count() < lines && System.nanoTime() < deadline) {
            sleep(50);
            found = found();
        }
        Map<String, Integer> wrong = new TreeMap<>(found);
        wrong.keySet().removeIf(a -> !a.startsWith("10.20."));
        assertEquals(lines, wrong.size(), "every line found (" + lines + " written over " + reloads + " reloads)");
        wrong.values().removeIf(n -> n == 1);
        assertEquals(Map.of(), wrong, "addresses found more than once");
        assertTrue(lines > 100, "lines kept arriving during the reloads: " + lines);
    }

    @Test
    @Order(3)
    void aJailDroppedWhileItIsBanningHasNoBanRefused() throws Exception {
        Files.writeString(local, JAIL.formatted("sshd-b", logB, 1));
        assertTrue(cli("reload").ok());
        AtomicBoolean attacking = new AtomicBoolean(true);
        Thread attack = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; attacking.get() && i < 60_000; i++) {
                    failures(logB, "10.30." + (i / 250 % 250) + "." + (i % 250 + 1)); // maxretry 1: a ban each
                    sleep(1);
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        int linesBefore = Files.readString(daemonOut).length();
        Shell.Result r;
        try {
            assertTrue(waitForSet("sshd-b-v4", "10.30.0.1", 5_000), set("sshd-b-v4"));
            Files.writeString(local, "[sshd-b]\nenabled = false\n");
            r = cli("reload");
        } finally {
            attacking.set(false);
            attack.join();
        }
        assertTrue(r.ok(), r.out());
        String after = Files.readString(daemonOut).substring(linesBefore);
        assertEquals(List.of(), errors(after), "no ERROR (no 'firewall refused' for a ban of the dropped jail)");
        assertTrue(after.contains("stopped [sshd-b]: their bans left the firewall"), after);
        assertFalse(ruleset().contains("sshd-b-"), "the dropped jail's sets are gone");
    }
}
