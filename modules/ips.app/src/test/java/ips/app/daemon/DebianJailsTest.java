package ips.app.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.JailRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every jail of the host's fail2ban {@code jail.conf} (Debian's package: 91 of them), enabled alone
 * as an operator would in jail.local, on the file backend and on the journal: the configuration
 * the daemon starts from is built, or the jail is skipped with its reason, and the firewall rules
 * and engine policies come out for exactly the jails that run. (A jail skipped for letting
 * addresses in once stopped the start with a NullPointerException.)
 */
class DebianJailsTest {
    private static final Path FAIL2BAN = Path.of("/etc/fail2ban");

    @TempDir
    Path dir;

    private static List<String> jailNames() throws IOException {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\[([A-Za-z0-9_.-]+)\\]").matcher(Files.readString(FAIL2BAN.resolve("jail.conf")));
        while (m.find()) {
            if (!List.of("INCLUDES", "DEFAULT", "Definition").contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "systemd"})
    void eachJailEnabledAloneBuildsItsRulesAndPolicyOrIsSkippedWithAReason(String backend) throws Exception {
        assumeTrue(Files.isRegularFile(FAIL2BAN.resolve("jail.conf")), "fail2ban's jail.conf is not installed");
        try (Stream<Path> files = Files.list(FAIL2BAN)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".conf") || name.equals("filter.d") || name.equals("action.d")) {
                    Files.createSymbolicLink(dir.resolve(name), f);
                }
            }
        }
        Files.writeString(dir.resolve("portcullis.conf"), "[portcullis]\nstatedir = " + dir.resolve("state") + "\n");
        List<String> names = jailNames();
        assertFalse(names.size() < 50, "jail.conf has " + names.size() + " jails");
        List<String> failed = new ArrayList<>();
        int running = 0;
        for (String jail : names) {
            Files.writeString(dir.resolve("jail.local"), "[DEFAULT]\nbackend = " + backend + "\n[" + jail + "]\nenabled = true\n");
            try {
                ConfigSnapshot s = ConfigSnapshot.load(dir, false);
                List<String> rules = s.rules().stream().map(JailRule::name).toList();
                List<String> policies = s.policies().stream().map(p -> p.name()).toList();
                boolean runs = s.setups().containsKey(jail);
                if (!rules.equals(runs ? List.of(jail) : List.of()) || !policies.equals(rules)) {
                    failed.add(jail + ": rules " + rules + ", policies " + policies);
                } else if (!runs && s.notices().stream().noneMatch(n -> n.startsWith("jail '" + jail + "' skipped: "))) {
                    failed.add(jail + ": not run, and no reason given: " + s.notices());
                }
                running += runs ? 1 : 0;
            } catch (ConfigSnapshot.InvalidConfigException e) { // a clear refusal is an answer too
                if (!e.getMessage().contains(jail)) {
                    failed.add(jail + ": refused without naming it: " + e.getMessage());
                }
            } catch (RuntimeException e) {
                failed.add(jail + ": " + e);
            }
        }
        assertEquals(List.of(), failed);
        assertFalse(running < names.size() - 5, running + " of " + names.size() + " jails run");
    }
}
