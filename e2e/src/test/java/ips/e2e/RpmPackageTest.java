package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .rpm built from the image (packaging/linux/build-rpm.sh) says what it is, owns only its own
 * paths, never starts the daemon by itself, and installs into and erases from a throwaway root
 * without leaving files behind. Needs the rpm tool, not root.
 */
class RpmPackageTest {
    private static final Path PACKAGES =
            ImageUnderTest.dir().resolveSibling("packages");
    private static final String RPM_NAME = "portcullis-0.1.0-1.x86_64.rpm";
    /** Directories the package may own: its program tree, its configuration and its state. */
    private static final Pattern OWNABLE_DIRECTORY = Pattern.compile("/opt/portcullis(/.*)?|/etc/portcullis|/var/lib/portcullis");
    /** A systemctl call (not an echo telling the operator what to type) that enables or starts a unit. */
    private static final Pattern ENABLES_OR_STARTS =
            Pattern.compile("^\\s*+(?!echo\\b).*\\bsystemctl\\b.*\\b(enable|start|restart|reload-or-restart|preset)\\b");
    /** A throwaway root's own database location (rpm on Debian defaults to ~/.rpmdb). */
    private static final String DB = "/var/lib/rpm";

    private static Path pkg;

    @BeforeAll
    static void findPackage() {
        assumeTrue(Shell.run("rpm", "--version").ok() && Shell.run("rpmbuild", "--version").ok(),
                "rpm or rpmbuild is not installed (apt-get install rpm), so build-rpm.sh skipped the .rpm");
        assumeTrue("x86_64".equals(Shell.run("uname", "-m").out().strip()), "the expected file name is for x86_64");
        pkg = PACKAGES.resolve(RPM_NAME);
        assertTrue(Files.isRegularFile(pkg), "the build makes " + pkg + " when rpmbuild is installed");
    }

    private static String query(String... args) {
        List<String> command = new ArrayList<>(List.of("rpm", "-qp"));
        command.addAll(List.of(args));
        command.add(pkg.toString());
        return Shell.must(command.toArray(String[]::new)).out();
    }

    /** File name → "perms user:group flags -> link target", one entry per packaged path. */
    private static Map<String, String> files() {
        Map<String, String> files = new TreeMap<>();
        for (String line : query("--qf", "[%{FILENAMES}\t%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILEFLAGS:fflags} -> %{FILELINKTOS}\n]")
                .lines().toList()) {
            String[] f = line.split("\t", 2);
            files.put(f[0], f[1]);
        }
        return files;
    }

    @Test
    void isNamedVersionedForX86_64AndXzCompressed() {
        assertEquals("portcullis 0.1.0 1 x86_64 xz", query("--qf", "%{NAME} %{VERSION} %{RELEASE} %{ARCH} %{PAYLOADCOMPRESSOR}"));
    }

    @Test
    void requiresOnlyGlibcAndProvidesNoneOfTheBundledLibraries() {
        for (String requirement : query("--requires").lines().toList()) {
            assertTrue(requirement.equals("glibc") || requirement.equals("/bin/sh") || requirement.startsWith("rpmlib("),
                    "unexpected requirement (automatic dependencies must be off): " + requirement);
        }
        assertTrue(query("--requires").lines().anyMatch("glibc"::equals), "Requires: glibc");
        assertFalse(query("--provides").contains(".so"), "the bundled JVM's libraries are not provided to the system");
    }

    @Test
    void shipsTheImageTheCommandTheUnitAndTheConfiguration() {
        Map<String, String> files = files();
        assertTrue(files.get("/opt/portcullis/bin/portcullis").startsWith("-rwxr-xr-x root:root"), files.get("/opt/portcullis/bin/portcullis"));
        assertTrue(files.containsKey("/opt/portcullis/bin/java"));
        assertTrue(files.containsKey("/opt/portcullis/lib/modules"));
        assertTrue(files.get("/usr/bin/portcullis").matches("l\\S+ root:root .*-> /opt/portcullis/bin/portcullis"), files.get("/usr/bin/portcullis"));
        assertTrue(files.get("/usr/lib/systemd/system/portcullis.service").startsWith("-rw-r--r-- root:root"));
        assertTrue(files.get("/etc/portcullis/portcullis.conf").startsWith("-rw-r--r-- root:root cn "),
                "configuration, not replaced on upgrade: " + files.get("/etc/portcullis/portcullis.conf"));
        assertTrue(files.get("/var/lib/portcullis").startsWith("drwxr-x--- portcullis:portcullis"), files.get("/var/lib/portcullis"));
        assertEquals(List.of("/etc/portcullis/portcullis.conf"), query("-c").lines().toList(), "the only configuration file");
    }

    @Test
    void ownsNoDirectoryOutsideItsOwnTrees() {
        Map<String, String> files = files();
        files.forEach((name, attributes) -> {
            if (attributes.startsWith("d")) {
                assertTrue(OWNABLE_DIRECTORY.matcher(name).matches(), "owns a shared directory: " + name);
            }
        });
        for (String shared : List.of("/opt", "/usr", "/usr/bin", "/lib", "/usr/lib", "/usr/lib/systemd", "/usr/lib/systemd/system", "/etc", "/var", "/var/lib")) {
            assertFalse(files.containsKey(shared), "owns " + shared);
        }
        files.keySet().forEach(name -> assertTrue(
                OWNABLE_DIRECTORY.matcher(name).matches() || name.startsWith("/opt/portcullis/") || name.startsWith("/etc/portcullis/")
                        || name.equals("/usr/bin/portcullis") || name.equals("/usr/lib/systemd/system/portcullis.service"),
                "unexpected path: " + name));
    }

    @Test
    void scriptsCreateTheUserAndSayHowToStartButNeverEnableOrStart() {
        String scripts = query("--scripts");
        assertTrue(scripts.contains("preinstall scriptlet"), scripts);
        assertTrue(scripts.contains("useradd -r -g portcullis"), "%pre creates the system user");
        assertTrue(scripts.contains("command -v useradd"), "%pre copes with hosts without useradd");
        assertTrue(scripts.contains("echo \"Then start it with:          systemctl enable --now portcullis\""), "%post says how to start");
        assertTrue(scripts.contains("systemctl stop portcullis.service"), "%preun stops the service");
        assertTrue(ENABLES_OR_STARTS.matcher("  systemctl --now enable portcullis").find(), "the check sees a call");
        assertFalse(ENABLES_OR_STARTS.matcher("  echo systemctl start portcullis").find(), "and tells a hint from a call");
        for (String line : scripts.lines().toList()) {
            assertFalse(ENABLES_OR_STARTS.matcher(line).find(), "a script enables or starts the service: " + line);
        }
    }

    @Test
    void everyScriptIsValidShell(@TempDir Path tmp) throws IOException {
        for (String tag : List.of("PREIN", "POSTIN", "PREUN", "POSTUN")) {
            Path script = tmp.resolve(tag);
            Files.writeString(script, query("--qf", "%{" + tag + "}"));
            Shell.Result syntax = Shell.run("sh", "-n", script.toString());
            assertEquals(0, syntax.status(), tag + ": " + syntax.out());
        }
    }

    @Test
    void preCreatesTheSystemUserWithUseradd(@TempDir Path tmp) throws IOException {
        Shell.Result pre = runPre(tmp, "getent", "groupadd", "useradd", "addgroup", "adduser");
        assertEquals(0, pre.status(), pre.out());
        assertEquals(List.of("groupadd -r portcullis",
                        "useradd -r -g portcullis -d /var/lib/portcullis -M -s /usr/sbin/nologin -c Portcullis intrusion prevention portcullis"),
                calls(tmp), "Red Hat's tools are preferred where both exist");
    }

    @Test
    void preFallsBackToDebiansAdduser(@TempDir Path tmp) throws IOException {
        Shell.Result pre = runPre(tmp, "getent", "addgroup", "adduser");
        assertEquals(0, pre.status(), pre.out());
        assertEquals(List.of("addgroup --system portcullis",
                        "adduser --system --ingroup portcullis --home /var/lib/portcullis --no-create-home --shell /usr/sbin/nologin"
                                + " --gecos Portcullis intrusion prevention portcullis"),
                calls(tmp));
    }

    @Test
    void preWithoutAnyUserToolWarnsAndLetsTheInstallGoOn(@TempDir Path tmp) throws IOException {
        Shell.Result pre = runPre(tmp, "getent");
        assertEquals(0, pre.status(), pre.out());
        assertTrue(pre.out().contains("create the system group portcullis yourself"), pre.out());
        assertTrue(pre.out().contains("create the system user portcullis yourself"), pre.out());
        assertEquals(List.of(), calls(tmp));
    }

    @Test
    void preLeavesAnExistingUserAlone(@TempDir Path tmp) throws IOException {
        Shell.Result pre = runPre(tmp, "getent=0", "groupadd", "useradd");
        assertEquals(0, pre.status(), pre.out());
        assertEquals(List.of(), calls(tmp));
    }

    @Test
    void postOnFirstInstallSaysHowToStartAndOnlyReloadsSystemd(@TempDir Path tmp) throws IOException {
        Shell.Result post = runScript(tmp, "POSTIN", "1", true, "systemctl");
        assertEquals(0, post.status(), post.out());
        assertTrue(post.out().contains("portcullis check-config") && post.out().contains("systemctl enable --now portcullis"), post.out());
        assertEquals(List.of("systemctl daemon-reload"), calls(tmp), "neither enabled nor started");
    }

    @Test
    void preunOnEraseStopsAndDisablesTheServiceWhereSystemdRuns(@TempDir Path tmp) throws IOException {
        Shell.Result preun = runScript(tmp, "PREUN", "0", true, "systemctl");
        assertEquals(0, preun.status(), preun.out());
        assertEquals(List.of("systemctl --no-reload disable portcullis.service", "systemctl stop portcullis.service"), calls(tmp));
    }

    @Test
    void preunOnUpgradeLeavesTheRunningServiceAlone(@TempDir Path tmp) throws IOException {
        Shell.Result preun = runScript(tmp, "PREUN", "1", true, "systemctl");
        assertEquals(0, preun.status(), preun.out());
        assertEquals(List.of(), calls(tmp));
    }

    @Test
    void scriptsCallNoSystemctlWithoutSystemd(@TempDir Path tmp) throws IOException {
        for (String[] run : List.of(new String[] {"POSTIN", "1"}, new String[] {"PREUN", "0"}, new String[] {"POSTUN", "0"})) {
            Shell.Result r = runScript(tmp, run[0], run[1], false, "systemctl");
            assertEquals(0, r.status(), r.out());
        }
        assertEquals(List.of(), calls(tmp));
    }

    private static Shell.Result runPre(Path tmp, String... tools) throws IOException {
        return runScript(tmp, "PREIN", "1", false, tools);
    }

    /**
     * Runs a scriptlet (rpm's tag) with a PATH holding only stubs of the named tools: each records
     * its arguments and succeeds; getent fails (no such user or group) unless named "getent=0".
     * Whether systemd runs is what the script finds in place of /run/systemd/system.
     */
    private static Shell.Result runScript(Path tmp, String tag, String arg, boolean systemdRuns, String... tools) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path log = tmp.resolve("calls");
        if (!Files.exists(log)) {
            Files.writeString(log, "");
        }
        for (String tool : tools) {
            String[] t = tool.split("=");
            String body = t[0].equals("getent")
                    ? "exit " + (t.length > 1 ? t[1] : "2") + "\n"
                    : "echo \"" + t[0] + " $*\" >> '" + log + "'\n";
            Path stub = bin.resolve(t[0]);
            Files.writeString(stub, "#!/bin/sh\n" + body);
            stub.toFile().setExecutable(true);
        }
        Path systemd = tmp.resolve("run-systemd-system");
        if (systemdRuns) {
            Files.createDirectories(systemd);
        }
        String text = query("--qf", "%{" + tag + "}");
        assertTrue(text.contains("/run/systemd/system") || !systemdRuns, tag + " looks for /run/systemd/system");
        Path script = tmp.resolve(tag);
        Files.writeString(script, text.replace("/run/systemd/system", systemd.toString()));
        return Shell.run("env", "PATH=" + bin, "/bin/sh", script.toString(), arg);
    }

    private static List<String> calls(Path tmp) throws IOException {
        return Files.readAllLines(tmp.resolve("calls"));
    }

    @Test
    void installsIntoAnEmptyRootRunsAndErasesWithoutLeavingFiles(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("root");
        String[] at = {"--root", root.toString(), "--dbpath", DB};
        Shell.Result init = rpm(tmp, "--initdb", at);
        assumeTrue(init.ok(), "rpm cannot make a database in a throwaway root here: " + init.out());
        Shell.Result install = rpm(tmp, "-i", at, "--nodeps", "--noscripts", pkg.toString());
        assertEquals(0, install.status(), install.out());

        Shell.Result version = Shell.run(root.resolve("opt/portcullis/bin/portcullis").toString(), "--version");
        assertTrue(version.ok() && version.out().startsWith("portcullis 0.1.0"), version.out());
        assertEquals(Path.of("/opt/portcullis/bin/portcullis"), Files.readSymbolicLink(root.resolve("usr/bin/portcullis")));
        assertEquals(Files.readString(Path.of("../packaging/linux/portcullis.conf")), Files.readString(root.resolve("etc/portcullis/portcullis.conf")));
        assertTrue(Files.isRegularFile(root.resolve("usr/lib/systemd/system/portcullis.service")));
        Shell.Result verify = rpm(tmp, "-V", at, "--nodeps", "--noscripts", "portcullis");
        assertEquals(0, verify.status(), "installed files match the package: " + verify.out());

        Shell.Result erase = rpm(tmp, "-e", at, "--nodeps", "--noscripts", "portcullis");
        assertEquals(0, erase.status(), erase.out());
        assertEquals(List.of(), leftovers(root), "files left after erase");
        for (String gone : List.of("opt/portcullis", "etc/portcullis", "var/lib/portcullis")) {
            assertFalse(Files.exists(root.resolve(gone), LinkOption.NOFOLLOW_LINKS), gone + " removed");
        }
    }

    @Test
    void keepsAnEditedConfigurationAsRpmsaveOnErase(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("root");
        String[] at = {"--root", root.toString(), "--dbpath", DB};
        assumeTrue(rpm(tmp, "--initdb", at).ok(), "rpm cannot make a database in a throwaway root here");
        Shell.Result install = rpm(tmp, "-i", at, "--nodeps", "--noscripts", pkg.toString());
        assertEquals(0, install.status(), install.out());
        Path conf = root.resolve("etc/portcullis/portcullis.conf");
        Files.writeString(conf, Files.readString(conf) + "blocktype = reject\n");

        Shell.Result erase = rpm(tmp, "-e", at, "--nodeps", "--noscripts", "portcullis");
        assertEquals(0, erase.status(), erase.out());
        assertEquals(List.of(root.resolve("etc/portcullis/portcullis.conf.rpmsave")), leftovers(root));
        assertTrue(Files.readString(root.resolve("etc/portcullis/portcullis.conf.rpmsave")).endsWith("blocktype = reject\n"));
    }

    /** Runs rpm with HOME in the test's directory, so nothing touches the user's ~/.rpmdb. */
    private static Shell.Result rpm(Path home, String action, String[] at, String... rest) {
        List<String> command = new ArrayList<>(List.of("env", "HOME=" + home, "rpm", action));
        command.addAll(List.of(at));
        command.addAll(List.of(rest));
        return Shell.run(120, command.toArray(String[]::new));
    }

    /** Everything but directories under root, outside the throwaway database. */
    private static List<Path> leftovers(Path root) {
        Path db = root.resolve(DB.substring(1));
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.startsWith(db) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
