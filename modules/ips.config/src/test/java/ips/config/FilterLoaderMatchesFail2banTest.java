package ips.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every filter in /etc/fail2ban/filter.d (plain, each mode, logtype=journal, logging=syslog) resolves
 * byte for byte as fail2ban's own FilterReader resolves it.
 */
class FilterLoaderMatchesFail2banTest {
    private static List<Arguments> reference;

    static synchronized List<Arguments> cases() throws Exception {
        if (reference != null) {
            return reference;
        }
        reference = new ArrayList<>();
        if (!Fail2banReference.available()) {
            reference.add(Arguments.of("(fail2ban unavailable)", "", null));
            return reference;
        }
        String out = Fail2banReference.run("f2b_filters.py", List.of(Fail2banReference.ETC.toString()));
        for (String line : out.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            reference.add(Arguments.of(f[0], f[1],
                    new String(Base64.getDecoder().decode(f[2]), StandardCharsets.UTF_8)));
        }
        return reference;
    }

    static Stream<Arguments> filters() throws Exception {
        return cases().stream();
    }

    static String render(FilterDefinition d) {
        StringBuilder sb = new StringBuilder();
        sb.append("prefregex: ").append(Fail2banReference.json(d.prefregex())).append('\n');
        for (String r : d.failregex()) {
            sb.append("failregex: ").append(Fail2banReference.json(r)).append('\n');
        }
        for (String r : d.ignoreregex()) {
            sb.append("ignoreregex: ").append(Fail2banReference.json(r)).append('\n');
        }
        sb.append("maxlines: ").append(d.maxlines()).append('\n');
        sb.append("datepattern: ").append(Fail2banReference.json(d.datepattern())).append('\n');
        for (List<String> g : d.journalMatchGroups()) {
            sb.append("journalmatch: ").append(Fail2banReference.jsonList(g)).append('\n');
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("filters")
    void resolvesFilterExactlyAsFail2banDoes(String filter, String opts, String expected) {
        assumeTrue(expected != null, "needs /usr/bin/python3 with fail2ban and /etc/fail2ban");
        Map<String, String> extra = new LinkedHashMap<>();
        for (String kv : opts.split("&")) {
            if (!kv.isEmpty()) {
                int eq = kv.indexOf('=');
                extra.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        String actual;
        try {
            actual = render(FilterLoader.load(Fail2banReference.ETC, filter, extra));
        } catch (ConfigException e) {
            actual = "error\n";
            if (!expected.equals(actual)) {
                throw new AssertionError("fail2ban resolves " + filter + " but we fail: " + e.getMessage(), e);
            }
        }
        assertEquals(expected, actual);
    }

    @Test
    void coversEveryFilterOfTheInstalledTree() throws Exception {
        assumeTrue(Fail2banReference.available(), "needs /usr/bin/python3 with fail2ban and /etc/fail2ban");
        long plain = cases().stream().filter(a -> ((String) a.get()[1]).isEmpty()).count();
        try (var s = java.nio.file.Files.list(Fail2banReference.ETC.resolve("filter.d"))) {
            assertEquals(s.filter(p -> p.toString().endsWith(".conf")).count(), plain);
        }
        assertTrue(cases().size() > plain);
    }
}
