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
    void installsRunsAndRemovesCleanly() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "installing a package needs root");
        assumeTrue(Shell.run("dpkg", "--version").ok(), "not a Debian system");
        Path dir = Path.of(System.getProperty("portcullis.image", "../jlink/target/image")).resolveSibling("packages");
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
            Shell.Result version = Shell.run("/usr/bin/portcullis", "--version");
            assertTrue(version.ok() && version.out().startsWith("portcullis "), version.out());
            Shell.Result check = Shell.run(60, "/usr/bin/portcullis", "check-config");
            assertEquals(0, check.status(), check.out());
            assertTrue(check.out().contains("[sshd]"), check.out());
            assertTrue(Files.exists(Path.of("/lib/systemd/system/portcullis.service")));
            assertTrue(Shell.run("getent", "passwd", "portcullis").ok(), "system user created");
        } finally {
            Shell.Result remove = Shell.run(120, "dpkg", "-r", "portcullis");
            assertEquals(0, remove.status(), remove.out());
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
}
