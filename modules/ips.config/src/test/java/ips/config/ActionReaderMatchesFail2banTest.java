package ips.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.config.ini.OptionSyntax;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every action in /etc/fail2ban/action.d, used plain and with the parameters jails give it, resolves
 * as fail2ban's own ActionReader resolves it: the actionban, chain, chain_hook, blocktype and type
 * that {@link ActionReader} reads what an action enforces from.
 */
class ActionReaderMatchesFail2banTest {
    static final String JAIL = "sshd";
    /** Per-use parameters: none, jail.conf's action_, the two ways of asking for all ports, a renamed use. */
    static final List<String> PARAMS = List.of("", "[port=\"ssh\", protocol=\"tcp\", chain=\"<known/chain>\"]",
            "[type=allports]", "[actiontype=<allports>]", "[name=web, port=\"http,https\", chain=DOCKER-USER, blocktype=DROP]");

    static Stream<Arguments> actions() throws Exception {
        List<Arguments> out = new ArrayList<>();
        if (!Fail2banReference.available()) {
            return Stream.of(Arguments.of("(fail2ban unavailable)", null));
        }
        List<String> specs = new ArrayList<>();
        try (Stream<java.nio.file.Path> s = Files.list(Fail2banReference.ETC.resolve("action.d"))) {
            for (java.nio.file.Path p : s.sorted().toList()) {
                String f = p.getFileName().toString();
                if (f.endsWith(".conf")) {
                    PARAMS.forEach(params -> specs.add(f.substring(0, f.length() - 5) + params));
                }
            }
        }
        specs.add("no-such-action");
        List<String> args = new ArrayList<>(List.of(Fail2banReference.ETC.toString(), JAIL));
        args.addAll(specs);
        for (String line : Fail2banReference.run("f2b_actions.py", args).split("\n")) {
            if (!line.isEmpty()) {
                String[] f = line.split("\t", -1);
                out.add(Arguments.of(f[0], new String(Base64.getDecoder().decode(f[1]), StandardCharsets.UTF_8)));
            }
        }
        return out.stream();
    }

    private static final ActionReader READER = new ActionReader(Fail2banReference.ETC.toString(), new HashMap<>());

    static String render(String spec) {
        OptionSyntax.Spec s = OptionSyntax.extract(spec);
        try {
            ActionReader.Use use = READER.read(JAIL, s.name(), s.options(), Map.of());
            if (use == null) {
                return "error\n";
            }
            Map<String, String> c = use.combined();
            StringBuilder sb = new StringBuilder();
            for (String k : List.of("actionban", "chain", "chain_hook", "blocktype", "type")) {
                sb.append(k).append(": ").append(Fail2banReference.json(c.get(k))).append('\n');
            }
            return sb.toString();
        } catch (ConfigException e) {
            return "error\n";
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void resolvesActionAsFail2banDoes(String spec, String expected) {
        assumeTrue(expected != null, "needs /usr/bin/python3 with fail2ban and /etc/fail2ban");
        assertEquals(expected, render(spec));
    }
}
