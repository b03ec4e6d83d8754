package ips.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.Enforcer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Without CAP_NET_ADMIN the kernel rejects the whole batch, answering with the BATCH_BEGIN
 * sequence number: the enforcer must fail at once with EPERM and say what it needs, never wait
 * for ACKs that will not come. Run as a child JVM under {@code setpriv} as user nobody (no
 * capabilities), inside a scratch namespace.
 */
class WithoutCapabilityTest {

    @Test
    void failsFastWithEpermAndNamesTheMissingCapability() throws Exception {
        NetNs.assumeRoot();
        Path dir = Files.createTempDirectory("ips.nftables-eperm");
        try (NetNs ns = NetNs.create("eperm")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path classes = copy(Path.of(NftablesEnforcer.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                    dir.resolve("ips.nftables"));
            Path api = copy(Path.of(Enforcer.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                    dir.resolve("ips.api" + (Files.isDirectory(Path.of(Enforcer.class.getProtectionDomain()
                            .getCodeSource().getLocation().toURI())) ? "" : ".jar")));
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = List.of("ip", "netns", "exec", ns.name, "setpriv", "--reuid=65534", "--regid=65534",
                    "--clear-groups", java, "-Xshare:auto", "--enable-native-access=ips.nftables",
                    "-p", classes + ":" + api, "-m", "ips.nftables/ips.nftables.bench.NftablesBenchmark",
                    "--single", "10", "--batched", "10", "--restore", "10");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            String out = new String(p.getInputStream().readAllBytes());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ended, "the child hung: " + out);
            assertEquals(1, p.exitValue(), out);
            assertTrue(out.contains("scaffold table inet portcullis-bench"), out);
            assertTrue(out.contains("EPERM (needs CAP_NET_ADMIN)"), out);
            assertTrue(ms < 30_000, "took " + ms + " ms: " + out);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Path copy(Path from, Path to) throws Exception {
        if (!Files.isDirectory(from)) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
            return to;
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
        return to;
    }
}
