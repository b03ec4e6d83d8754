package ips.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jails resolve as fail2ban's JailsReader resolves them: the installed /etc/fail2ban, the same tree
 * with every jail enabled, and a tree with jail.local / jail.d overrides of every kind.
 */
class JailsLoaderMatchesFail2banTest {
    private static Path scratch;

    static final String OVERRIDES = """
            [DEFAULT]
            bantime = 1h30m
            ignoreip = 127.0.0.1/8 ::1, 192.0.2.0/24
                          example.com

            [sshd]
            enabled = true
            mode = aggressive
            port = ssh,2222
            maxretry = 3
            findtime = 1d12h
            bantime.increment = true
            bantime.multipliers = 1 5 30 60 300 720 1440 2880
            bantime.maxtime = 5w
            bantime.rndtime = 10m
            bantime.overalljails = yes
            logpath = %(sshd_log)s
                      /var/log/secure* tail
            action = %(action_mwl)s
                     nftables-allports[blocktype=drop]

            [custom]
            enabled = true
            filter = sshd[mode=ddos]
            failregex = %(known/failregex)s
                        ^extra <HOST>$
            ignoreregex = ^ignore me$
            datepattern = ^%%Y-%%m-%%d
            maxlines = 3
            journalmatch = _COMM=custom
            backend = systemd
            port = 6000:6010,6020-6030
            protocol = udp
            ignorecommand = /usr/local/bin/check <ip>

            [broken-filter]
            enabled = true
            filter = does-not-exist

            [broken-action]
            enabled = true
            filter = sshd
            action = no-such-action[a=b]
            """;

    static Path tree(String name, String jailLocal, Map<String, String> jailD) throws IOException {
        Path t = scratch.resolve(name);
        Files.createDirectories(t);
        for (String f : List.of("filter.d", "action.d", "paths-common.conf", "paths-debian.conf", "paths-arch.conf",
                "paths-opensuse.conf", "jail.conf")) {
            Files.createSymbolicLink(t.resolve(f), Fail2banReference.ETC.resolve(f));
        }
        Files.writeString(t.resolve("jail.local"), jailLocal);
        if (!jailD.isEmpty()) {
            Files.createDirectories(t.resolve("jail.d"));
            for (Map.Entry<String, String> e : jailD.entrySet()) {
                Files.writeString(t.resolve("jail.d").resolve(e.getKey()), e.getValue());
            }
        }
        return t;
    }

    static Stream<Arguments> jails() throws Exception {
        List<Arguments> out = new ArrayList<>();
        if (!Fail2banReference.available()) {
            return Stream.of(Arguments.of("(fail2ban unavailable)", null, "", null));
        }
        scratch = Files.createTempDirectory("ips-config-jails");
        Map<String, Path> trees = new LinkedHashMap<>();
        trees.put("etc", Fail2banReference.ETC);
        trees.put("all-enabled", tree("all-enabled", "[DEFAULT]\nenabled = true\n", Map.of()));
        trees.put("overrides", tree("overrides", OVERRIDES, Map.of(
                "a.conf", "[apache-auth]\nenabled = true\nfilter = apache-auth[logging=syslog]\n",
                "zz.local", "[recidive]\nenabled = true\nbantime = -1\nbanaction = %(banaction_allports)s\n")));
        for (Map.Entry<String, Path> t : trees.entrySet()) {
            String ref = Fail2banReference.run("f2b_jails.py", List.of(t.getValue().toString()));
            for (String line : ref.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                out.add(Arguments.of(t.getKey(), t.getValue(), f[0],
                        f.length > 1 ? new String(Base64.getDecoder().decode(f[1]), StandardCharsets.UTF_8) : f[0]));
            }
        }
        return out.stream();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (scratch != null) {
            try (Stream<Path> s = Files.walk(scratch)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static final Map<Path, Jails> LOADED = new java.util.HashMap<>();

    static synchronized Jails loaded(Path tree) throws ConfigException {
        Jails j = LOADED.get(tree);
        if (j == null) {
            j = JailsLoader.load(tree);
            LOADED.put(tree, j);
        }
        return j;
    }

    static String json(String s) {
        return Fail2banReference.json(s);
    }

    static String render(JailDefinition j) {
        StringBuilder sb = new StringBuilder();
        FilterDefinition f = j.filter();
        sb.append("backend: ").append(json(j.backend())).append('\n');
        sb.append("filter: ").append(json(j.filterSpec())).append('\n');
        sb.append("prefregex: ").append(json(f == null ? null : f.prefregex())).append('\n');
        if (f != null) {
            f.failregex().forEach(r -> sb.append("failregex: ").append(json(r)).append('\n'));
            f.ignoreregex().forEach(r -> sb.append("ignoreregex: ").append(json(r)).append('\n'));
        }
        sb.append("maxlines: ").append(f == null ? 1 : f.maxlines()).append('\n');
        sb.append("datepattern: ").append(json(f == null ? null : f.datepattern())).append('\n');
        if (f != null) {
            f.journalMatchGroups().forEach(g -> sb.append("journalmatch: ").append(Fail2banReference.jsonList(g)).append('\n'));
        }
        sb.append("usedns: ").append(json(j.usedns())).append('\n');
        sb.append("maxretry: ").append(j.maxRetry()).append('\n');
        sb.append("findtime: ").append(j.findTime()).append('\n');
        sb.append("bantime: ").append(j.banTime()).append('\n');
        BanTimeIncrement b = j.banTimeIncrement();
        sb.append("bantime.increment: ").append(b.enabled()).append('\n');
        sb.append("bantime.factor: ").append(json(b.factor())).append('\n');
        sb.append("bantime.formula: ").append(json(b.formula())).append('\n');
        sb.append("bantime.multipliers: ").append(b.multipliers().toString()).append('\n');
        sb.append("bantime.maxtime: ").append(b.maxTime() == null ? "null" : b.maxTime()).append('\n');
        sb.append("bantime.rndtime: ").append(b.rndTime() == null ? "null" : b.rndTime()).append('\n');
        sb.append("bantime.overalljails: ").append(b.overallJails()).append('\n');
        sb.append("ignoreip: ").append(Fail2banReference.jsonList(j.ignoreIp())).append('\n');
        sb.append("ignoreself: ").append(j.ignoreSelf()).append('\n');
        sb.append("ignorecommand: ").append(json(j.ignoreCommand())).append('\n');
        for (LogPath p : j.logPaths()) {
            sb.append("logpath: [").append(json(p.glob())).append(", ").append(p.tail()).append("]\n");
        }
        for (ActionRef a : j.actions()) {
            sb.append("action: ").append(json(a.name())).append(" [");
            int i = 0;
            for (Map.Entry<String, String> e : new TreeMap<>(a.params()).entrySet()) {
                sb.append(i++ > 0 ? ", " : "").append('[').append(json(e.getKey())).append(", ")
                        .append(json(e.getValue())).append(']');
            }
            sb.append("]\n");
        }
        return sb.toString().replace(", ]", "]");
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("jails")
    void resolvesJailExactlyAsFail2banDoes(String treeName, Path tree, String jail, String expected) throws Exception {
        assumeTrue(expected != null, "needs /usr/bin/python3 with fail2ban and /etc/fail2ban");
        Jails jails = loaded(tree);
        String actual;
        if (jails.skipped().containsKey(jail)) {
            actual = "skipped\n";
        } else {
            JailDefinition j = jails.jail(jail);
            actual = j == null ? "(not loaded)\n" : render(j);
        }
        assertEquals(expected, actual);
    }
}
