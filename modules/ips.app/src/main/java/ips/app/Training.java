package ips.app;

import ips.api.IpAddress;
import ips.api.IpPrefix;
import ips.api.LogLine;
import ips.app.control.ControlProtocol;
import ips.app.daemon.ConfigSnapshot;
import ips.app.daemon.ConfigSource;
import ips.app.ops.EventLog;
import ips.app.ops.Exposition;
import ips.app.ops.Json;
import ips.filter.FilterMatcher;
import ips.filter.date.DateDetector;
import ips.filter.date.TimeZones;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The work the image's AOT cache is trained on at build time ({@code portcullis train}, not for
 * operators): what a daemon start does short of touching the firewall and the logs — read and
 * compile the built-in configuration, match sample lines, parse addresses, format replies — so
 * that a real start finds those classes loaded and linked.
 */
final class Training {
    private Training() {}

    /**
     * Exercises the firewall path (open, scaffold, ban, list, unban). Only ever run by the image
     * build inside a private network namespace ({@code unshare -n}), never on a host's ruleset.
     */
    private static void firewall(PrintStream out) {
        for (ips.api.EnforcerProvider p : java.util.ServiceLoader.load(ips.api.EnforcerProvider.class)) {
            if (p.unavailableReason() != null) {
                continue;
            }
            try (ips.api.Enforcer e = p.open(new ips.api.EnforcerSettings("portcullis-train",
                    ips.api.EnforcerSettings.BlockType.DROP, true))) {
                e.scaffold(List.of(new ips.api.JailRule("sshd", ips.api.Protocol.TCP, List.of(ips.api.PortRange.single(22))),
                        ips.api.JailRule.allPorts("recidive")));
                long until = System.currentTimeMillis() + 60_000;
                e.ban(List.of(new ips.api.Ban("sshd", IpPrefix.tryParse("192.0.2.1"), until),
                        new ips.api.Ban("sshd", IpPrefix.tryParse("2001:db8::/64"), until)));
                out.println(p.name() + ": " + e.list().size() + " bans listed");
                e.verifyScaffold();
                e.unban("sshd", List.of(IpPrefix.tryParse("192.0.2.1")));
                e.flush("sshd");
            } catch (ips.api.EnforcerException ex) {
                out.println(p.name() + ": firewall training skipped: " + ex.getMessage());
            }
        }
    }

    static int run(String[] args, PrintStream out) {
        out.println("portcullis " + Version.VERSION);
        if (java.util.Arrays.asList(args).contains("--firewall")) {
            firewall(out);
        }
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("portcullis-train");
            Path dir = ConfigSource.builtIn(scratch, true);
            ConfigSnapshot s = ConfigSnapshot.load(dir, true);
            long now = System.currentTimeMillis();
            for (ConfigSnapshot.JailSetup j : s.setups().values()) {
                DateDetector d = DateDetector.defaults(TimeZones.system(), () -> now);
                FilterMatcher m = j.filter().newMatcher(d::find, () -> now, false).withoutMatches(); // as the daemon's
                int[] hits = new int[1];
                for (String line : List.of(
                        "Nov 23 18:20:17 host sshd[123]: Failed password for root from 192.0.2.1 port 4242 ssh2",
                        "Nov 23 18:20:17 host sshd[123]: Invalid user admin from 2001:db8::1 port 4242",
                        "Nov 23 18:20:17 host sshd[123]: Accepted publickey for alice from 198.51.100.7 port 22 ssh2",
                        "2026-11-23T18:20:17.123456+00:00 host CRON[77]: pam_unix(cron:session): session opened")) {
                    m.process(LogLine.ofFile("train", line), (n, f) -> hits[0]++);
                }
                out.println(j.definition().name() + ": " + hits[0] + " failures in the training lines");
            }
            EventLog log = new EventLog(new PrintStream(OutputStream.nullOutputStream()));
            log.ban("sshd", "192.0.2.1");
            out.println(Json.object(Map.of("banned", List.of(IpPrefix.tryParse("198.51.100.0/24").toString()))));
            out.println(new Exposition().family("x", "counter", "training").sample("x", "jail", "sshd", 1).toString().length());
            out.println(ControlProtocol.decodeRequest(ControlProtocol.encodeRequest(List.of("status", "sshd")), 11));
            out.println(IpAddress.tryParse("::ffff:192.0.2.1"));
        } catch (IOException | ConfigSnapshot.InvalidConfigException e) {
            out.println("training incomplete: " + e.getMessage());
        } finally {
            if (scratch != null) {
                try (Stream<Path> w = Files.walk(scratch)) {
                    w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // scratch space in /tmp
                }
            }
        }
        return 0;
    }
}
