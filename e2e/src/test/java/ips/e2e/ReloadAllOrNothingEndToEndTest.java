package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
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
    private static DaemonInNamespace daemon;
    private static Path logA;
    private static Path logB;
    private static Path local;

    @BeforeAll
    static void setUp() throws IOException {
        DaemonInNamespace.assumeRunnable();
        daemon = new DaemonInNamespace("pcatomic-srv", "pcatomic");
        logA = daemon.createLog("a.log");
        logB = daemon.createLog("b.log");
        local = daemon.etc().resolve("jail.local");
        Files.writeString(daemon.etc().resolve("jail.conf"),
                DaemonInNamespace.ALL_PORTS_DEFAULT + DaemonInNamespace.sshdJail("sshd", logA, 3, "1h"));
        daemon.writePortcullisConf("");
        daemon.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @AfterEach
    void withoutJailLocal() throws IOException {
        Files.deleteIfExists(local); // the next test starts from jail.conf alone, whatever this one left
    }

    private static void failures(Path log, String... addresses) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String a : addresses) {
            sb.append(DaemonInNamespace.failedPasswords(4242, a, 50000, 1));
        }
        DaemonInNamespace.append(log, sb.toString());
    }

    /** The ruleset as JSON, without the seconds each element has left (they change as we look). */
    private static String ruleset() {
        return daemon.ruleset().replaceAll("\"expires\":\\s*\\d+,?\\s*", "");
    }

    /** How many times each address was found, from the daemon's "Found" lines. */
    private static Map<String, Integer> found() throws IOException {
        Map<String, Integer> n = new HashMap<>();
        Matcher m = Pattern.compile("\\] Found (\\S+) - ").matcher(daemon.output());
        while (m.find()) {
            n.merge(m.group(1), 1, Integer::sum);
        }
        return n;
    }

    private static List<String> errors(String out) {
        return out.lines().filter(l -> l.contains(" ERROR ")).toList();
    }

    @Test
    @Order(1)
    void aReloadWhoseNewJailCannotOpenItsLogIsRefusedAndTheFirewallAndTheReadersStay() throws Exception {
        failures(logA, "198.51.100.1", "198.51.100.1", "198.51.100.1");
        assertTrue(daemon.waitForSet("sshd-v4", "198.51.100.1", 5_000), daemon.set("sshd-v4") + daemon.output());
        String before = ruleset();
        int linesBefore = daemon.output().length();

        Files.writeString(local, DaemonInNamespace.sshdJail("sshd-new", logB, 3, "1h") + "logtimezone = Mars/Olympus_Mons\n");
        Shell.Result r = daemon.cli("reload");

        assertFalse(r.ok(), r.out());
        assertTrue(r.out().contains("reload refused, the running configuration and every ban are kept")
                && r.out().contains("jail 'sshd-new': logtimezone: "), r.out());
        assertEquals(before, ruleset(), "the firewall is as it was");
        String after = daemon.output().substring(linesBefore);
        List<String> errors = errors(after);
        assertEquals(1, errors.size(), after);
        assertTrue(errors.getFirst().contains("reload refused") && errors.getFirst().contains("jail 'sshd-new'"), errors.getFirst());
        assertEquals("{\"jails\":[\"sshd\"]}\n", daemon.cli("status", "--json").out());

        // the running jail still reads: a failure written after the refused reload still bans, each line found once
        failures(logA, "198.51.100.2", "198.51.100.2", "198.51.100.2");
        assertTrue(daemon.waitForSet("sshd-v4", "198.51.100.2", 5_000), daemon.set("sshd-v4") + daemon.output());
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
                    DaemonInNamespace.sleep(2);
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        int reloads = 10;
        try {
            for (int i = 0; i < reloads; i++) {
                Shell.Result r = daemon.cli("reload");
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
            DaemonInNamespace.sleep(50);
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
        Files.writeString(local, DaemonInNamespace.sshdJail("sshd-b", logB, 1, "1h"));
        assertTrue(daemon.cli("reload").ok());
        AtomicBoolean attacking = new AtomicBoolean(true);
        Thread attack = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; attacking.get() && i < 60_000; i++) {
                    failures(logB, "10.30." + (i / 250 % 250) + "." + (i % 250 + 1)); // maxretry 1: a ban each
                    DaemonInNamespace.sleep(1);
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        int linesBefore = daemon.output().length();
        Shell.Result r;
        try {
            assertTrue(daemon.waitForSet("sshd-b-v4", "10.30.0.1", 5_000), daemon.set("sshd-b-v4"));
            Files.writeString(local, "[sshd-b]\nenabled = false\n");
            r = daemon.cli("reload");
        } finally {
            attacking.set(false);
            attack.join();
        }
        assertTrue(r.ok(), r.out());
        String after = daemon.output().substring(linesBefore);
        assertEquals(List.of(), errors(after), "no ERROR (no 'firewall refused' for a ban of the dropped jail)");
        assertTrue(after.contains("stopped [sshd-b]: their bans left the firewall"), after);
        assertFalse(ruleset().contains("sshd-b-"), "the dropped jail's sets are gone");
    }
}
