package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The .deb built from the image installs with dpkg, runs, validates the host's configuration,
 * and removes cleanly (dpkg -r leaves nothing but configuration).
 */
class DebianPackageTest {

    @Test
    void installsRunsAndRemovesCleanly() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "installing a package needs root");
        assumeTrue(Shell.run("dpkg", "--version").ok(), "not a Debian system");
        Path dir = ImageUnderTest.dir().resolveSibling("packages");
        Path deb;
        try (Stream<Path> s = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            deb = s.filter(p -> p.toString().endsWith(".deb")).findFirst().orElse(null);
        }
        assumeTrue(deb != null, "no .deb was built in " + dir);
        assumeFalse(Shell.run("dpkg-query", "-W", "-f=${Status}", "portcullis").out().contains("install ok installed"),
                "a portcullis package is already installed on this machine; not touching it");
        try {
            Shell.Result install = Shell.run(120, "dpkg", "-i", deb.toString());
            assertEquals(0, install.status(), install.out());
            assertTrue(install.out().contains("systemctl enable --now portcullis"), "post-install says how to start: " + install.out());
            Shell.Result again = Shell.run(120, "dpkg", "-i", deb.toString());
            assertEquals(0, again.status(), again.out());
            assertTrue(again.out().contains("Portcullis upgraded. A running daemon keeps the old version until"),
                    "an upgrade says how to take the new version: " + again.out());
            Shell.Result version = Shell.run("/usr/bin/portcullis", "--version");
            assertTrue(version.ok() && version.out().startsWith("portcullis "), version.out());
            Shell.Result check = Shell.run(60, "/usr/bin/portcullis", "check-config");
            assertEquals(0, check.status(), check.out());
            assertTrue(check.out().contains("[sshd]"), check.out());
            assertTrue(Files.exists(Path.of("/lib/systemd/system/portcullis.service")));
            assertTrue(Shell.run("getent", "passwd", "portcullis").ok(), "system user created");
            runsAsTheServiceUser();
        } finally {
            // removal takes a stopped daemon's table out (prerm: portcullis remove-firewall): run in
            // a scratch namespace holding such a table, so the host's ruleset is never touched
            String ns = "pcdebrm";
            Shell.run("ip", "netns", "del", ns);
            boolean inNs = Shell.run("ip", "netns", "add", ns).ok();
            try {
                boolean leftover = inNs && Shell.run("ip", "netns", "exec", ns, "nft", "add", "table", "inet", "portcullis").ok()
                        && Shell.run("ip", "netns", "exec", ns, "nft", "add", "set", "inet", "portcullis", "sshd-v4",
                                "{ type ipv4_addr; flags timeout; }").ok()
                        && Shell.run("ip", "netns", "exec", ns, "nft", "add", "element", "inet", "portcullis", "sshd-v4",
                                "{ 192.0.2.50 }").ok();
                // the package goes in any case (without a namespace, its prerm meets the host's
                // ruleset, where no test leaves a portcullis table)
                Shell.Result remove = inNs ? Shell.run(120, "ip", "netns", "exec", ns, "dpkg", "-r", "portcullis")
                        : Shell.run(120, "dpkg", "-r", "portcullis");
                assertEquals(0, remove.status(), remove.out());
                assertTrue(leftover, "could not make a leftover table in namespace " + ns);
                String tables = Shell.run("ip", "netns", "exec", ns, "nft", "list", "tables").out();
                assertFalse(tables.contains("portcullis"), "removal left the table and its bans: " + tables);
            } finally {
                Shell.run("ip", "netns", "del", ns);
            }
        }
        assertFalse(Files.exists(Path.of("/opt/portcullis")), "program files removed");
        assertFalse(Files.exists(Path.of("/usr/bin/portcullis")));
        assertFalse(Files.exists(Path.of("/lib/systemd/system/portcullis.service")));
        assertTrue(Files.exists(Path.of("/etc/portcullis/portcullis.conf")), "configuration stays after remove");
        Shell.Result purge = Shell.run(120, "dpkg", "--purge", "portcullis");
        assertEquals(0, purge.status(), purge.out());
        assertFalse(Files.exists(Path.of("/etc/portcullis/portcullis.conf")), "purge removes configuration");
        assertFalse(Shell.run("getent", "passwd", "portcullis").ok(), "purge removes the system user");
    }

    /**
     * The installed command as the unit runs it: the service user with only its two capabilities,
     * on the host's configuration (with fail2ban installed, its stock fail2ban.conf logs to
     * /var/log/fail2ban.log, which that user may not write), in a scratch network namespace. It
     * must start, answer root's {@code status} on the default socket, and stop.
     */
    private static void runsAsTheServiceUser() throws Exception {
        String ns = "pcdeb";
        Path run = Path.of("/run/portcullis");
        boolean madeRun = !Files.exists(run);
        Path out = Files.createTempFile("pcdeb", ".out");
        Process daemon = null;
        Shell.run("ip", "netns", "del", ns);
        Shell.must("ip", "netns", "add", ns);
        try {
            Shell.must("ip", "-n", ns, "link", "set", "lo", "up");
            Files.createDirectories(run); // systemd's RuntimeDirectory=portcullis
            Shell.must("chown", "portcullis:portcullis", run.toString());
            daemon = new ProcessBuilder("ip", "netns", "exec", ns, "setpriv", "--reuid=portcullis", "--regid=portcullis",
                    "--clear-groups", "--inh-caps=+net_admin,+dac_read_search", "--ambient-caps=+net_admin,+dac_read_search",
                    "--bounding-set=-all,+net_admin,+dac_read_search", "/usr/bin/portcullis", "run")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            Shell.Result status = null;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && daemon.isAlive()) {
                status = Shell.run("/usr/bin/portcullis", "status");
                if (status.ok()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(status != null && status.ok() && status.out().contains("Jail list:"),
                    "the service user's daemon answers: " + (status == null ? "" : status.out()) + "\n" + Files.readString(out));
            assertTrue(Shell.run("/usr/bin/portcullis", "stop").ok());
            assertTrue(daemon.waitFor(15, java.util.concurrent.TimeUnit.SECONDS), "stopped: " + Files.readString(out));
            assertEquals(0, daemon.exitValue(), Files.readString(out));
        } finally {
            if (daemon != null) {
                daemon.destroyForcibly();
            }
            Shell.run("ip", "netns", "del", ns);
            if (madeRun) {
                Shell.run("rm", "-rf", run.toString());
            }
            Files.deleteIfExists(out);
        }
    }
}
