package ips.filter.corpus;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.IpAddress;
import ips.api.LogLine;
import ips.config.FilterDefinition;
import ips.config.FilterLoader;
import ips.filter.CompiledFilter;
import ips.filter.FilterFailure;
import ips.filter.FilterMatcher;
import ips.filter.LineDater;
import ips.filter.date.DateDetector;
import ips.filter.date.TimeZones;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * fail2ban's own filter sample corpus ({@code tests/files/logs/*} with {@code # failJSON:} lines),
 * evaluated as {@code fail2ban/tests/samplestestcase.py} evaluates it: one filter object per
 * {@code name + str(options)} kept across option blocks and {@code addFILE}d files, every failregex
 * tried, raw hosts, no findtime check, clock 1124013600 in {@code CET-01CEST-02,M3.5.0,M10.5.0}.
 * Every expectation must hold; the test is skipped (with the reason) when Debian's {@code fail2ban}
 * package is not installed.
 */
class FailSamplesCorpusTest {
    static final Path CONFIG_DIR = Path.of("/etc/fail2ban");
    static final Path TESTS_DIR = Path.of("/usr/lib/python3/dist-packages/fail2ban/tests");
    static final Path LOGS = TESTS_DIR.resolve("files/logs");
    static final long NOW_MS = 1124013600_000L;
    static final String TZ = "CET-01CEST-02,M3.5.0,M10.5.0";
    static final Pattern FAILJSON = Pattern.compile("^#+ ?(failJSON|(?:file|filter)Options|addFILE):(.+)$");
    static final Pattern CONSTRAINT = Pattern.compile(
            "^\\s*(name|opts\\.get\\('([^']+)'\\))\\s*(==|!=)\\s*'([^']*)'\\s*$");

    /** strptime %Y-%m-%dT%H:%M:%S[.%f] (single digits allowed, as strptime does). */
    static final Pattern STRPTIME = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})T(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,6}))?");

    static final java.util.concurrent.atomic.AtomicInteger TOTAL_CHECKS = new java.util.concurrent.atomic.AtomicInteger();

    @org.junit.jupiter.api.AfterAll
    static void report() {
        System.out.println("fail2ban sample corpus: " + TOTAL_CHECKS.get() + " sample lines checked");
    }

    @TempDir
    static Path tmp;

    @TestFactory
    Stream<DynamicTest> everySampleExpectationOfFail2bansCorpusHolds() throws IOException {
        assumeTrue(Files.isDirectory(LOGS) && Files.isDirectory(CONFIG_DIR.resolve("filter.d")),
                "Debian package fail2ban is not installed: no " + LOGS + " or /etc/fail2ban/filter.d");
        List<String[]> tests = new ArrayList<>(); // {name, basedir}
        try (Stream<Path> s = Files.list(CONFIG_DIR.resolve("filter.d"))) {
            s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".conf") && !f.endsWith("common.conf"))
                    .sorted().forEach(f -> tests.add(new String[] {f.substring(0, f.length() - 5), CONFIG_DIR.toString()}));
        }
        Path testCfg = fixedTestConfig();
        try (Stream<Path> s = Files.list(testCfg.resolve("filter.d"))) {
            s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("zzz-") && f.endsWith(".conf")).sorted()
                    .forEach(f -> tests.add(new String[] {f.substring(0, f.length() - 5), testCfg.toString()}));
        }
        return tests.stream().map(t -> DynamicTest.dynamicTest(t[0], () -> {
            Replay r = new Replay(t[0], Path.of(t[1]));
            List<String> problems = r.run();
            TOTAL_CHECKS.addAndGet(r.checks);
            assertTrue(r.checks > 0, t[0] + ": no sample line was checked");
            assertTrue(problems.isEmpty(), t[0] + ": " + problems.size() + " failed expectation(s):\n"
                    + String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
        }));
    }

    /**
     * The test-only filters in Debian's package include a common.conf that does not exist there;
     * copy them with the include pointed at /etc/fail2ban (as the shared harness does).
     */
    static Path fixedTestConfig() throws IOException {
        Path d = tmp.resolve("testcfg");
        Files.createDirectories(d.resolve("filter.d"));
        Path src = TESTS_DIR.resolve("config/filter.d");
        if (Files.isDirectory(src)) {
            try (Stream<Path> s = Files.list(src)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith("zzz-")).toList()) {
                    String txt = Files.readString(p);
                    txt = txt.replaceAll("(?m)^before\\s*=\\s*\\S*common\\.conf\\s*$",
                            "before = " + CONFIG_DIR.resolve("filter.d/common.conf"));
                    Files.writeString(d.resolve("filter.d").resolve(p.getFileName()), txt);
                }
            }
        }
        return d;
    }

    /** FileContainer iteration: split on \n, decode UTF-8 (invalid → U+FFFD), rstrip \r\n. */
    static List<String> readLogLines(Path p) throws IOException {
        byte[] data = Files.readAllBytes(p);
        List<String> out = new ArrayList<>();
        int st = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == '\n') {
                if (i == data.length && st == i) {
                    break;
                }
                String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)
                        .decode(ByteBuffer.wrap(data, st, i - st)).toString();
                int n = s.length();
                while (n > 0 && (s.charAt(n - 1) == '\r' || s.charAt(n - 1) == '\n')) {
                    n--;
                }
                out.add(s.substring(0, n));
                st = i + 1;
            }
        }
        return out;
    }

    /** A filter object of the sample test (one per name + options). */
    static final class Instance {
        final FilterMatcher matcher;

        Instance(String name, Path basedir, Map<String, String> opts) throws Exception {
            FilterDefinition def = FilterLoader.load(basedir, name, opts);
            CompiledFilter cf = CompiledFilter.compile(def, "warn");
            ZoneRules zone = TimeZones.parse(TZ);
            DateDetector dd = def.datepattern() == null || def.datepattern().isBlank()
                    ? DateDetector.defaults(zone, () -> NOW_MS)
                    : DateDetector.forPattern(def.datepattern(), zone, () -> NOW_MS);
            LineDater dater = dd::find;
            matcher = cf.newMatcher(dater, () -> NOW_MS, true);
        }
    }

    record FilterTest(String fltName, Instance inst, Map<String, Object> opts) {}

    /** samplestestcase.testSampleRegexsFactory.testFilter for one filter. */
    static final class Replay {
        final String name;
        final Path basedir;
        final Map<String, Instance> instances = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        int checks;

        Replay(String name, Path basedir) {
            this.name = name;
            this.basedir = basedir;
        }

        Instance instance(String fltName, Map<String, Object> opts) throws Exception {
            Instance i = instances.get(fltName);
            if (i == null) {
                Map<String, String> o = new LinkedHashMap<>();
                opts.forEach((k, v) -> o.put(k, String.valueOf(v)));
                i = new Instance(name, basedir, o);
                instances.put(fltName, i);
            }
            return i;
        }

        @SuppressWarnings("unchecked")
        List<String> run() throws Exception {
            if (!Files.isRegularFile(LOGS.resolve(name))) {
                problems.add("No sample log file available for '" + name + "' filter");
                return problems;
            }
            List<String> filenames = new ArrayList<>(List.of(name));
            List<FilterTest> filterTests = null;
            Map<String, Object> commonOpts = Map.of();
            for (int fi = 0; fi < filenames.size(); fi++) {
                String filename = filenames.get(fi);
                List<String> lines = readLogLines(LOGS.resolve(filename));
                boolean ignoreBlock = false;
                int pos = 0;
                while (pos < lines.size()) {
                    String line = lines.get(pos);
                    int phys = ++pos;
                    Map<String, Object> faildata;
                    Matcher jm = FAILJSON.matcher(line);
                    if (jm.matches()) {
                        Object parsed = MiniJson.parse(jm.group(2));
                        String kind = jm.group(1);
                        if (kind.equals("fileOptions")) {
                            commonOpts = (Map<String, Object>) parsed;
                            continue;
                        }
                        if (kind.equals("filterOptions")) {
                            filterTests = new ArrayList<>();
                            ignoreBlock = false;
                            List<Object> blocks = parsed instanceof List<?> l ? (List<Object>) l : List.of(parsed);
                            for (Object b : blocks) {
                                Map<String, Object> opts = new LinkedHashMap<>(commonOpts);
                                opts.putAll((Map<String, Object>) b);
                                Object cond = opts.get("test.condition");
                                if (cond != null && !String.valueOf(cond).isEmpty()) {
                                    ignoreBlock = !eval(String.valueOf(cond), opts);
                                }
                                if (!ignoreBlock) {
                                    Map<String, Object> fltOpts = new LinkedHashMap<>();
                                    opts.forEach((k, v) -> {
                                        if (!k.startsWith("test.")) {
                                            fltOpts.put(k, v);
                                        }
                                    });
                                    Object fn = opts.get("test.filter-name");
                                    String fltName = fn != null && !String.valueOf(fn).isEmpty() ? String.valueOf(fn)
                                            : fltOpts.isEmpty() ? "" : pyRepr(fltOpts);
                                    fltName = name + fltName;
                                    filterTests.add(new FilterTest(fltName, instance(fltName, fltOpts), opts));
                                }
                            }
                            continue;
                        }
                        if (kind.equals("addFILE")) {
                            filenames.add((String) parsed);
                            continue;
                        }
                        faildata = (Map<String, Object>) parsed;
                        if (pos >= lines.size()) {
                            problems.add("failJSON at end of file " + filename + ":" + phys);
                            break;
                        }
                        line = lines.get(pos);
                        phys = ++pos;
                    } else if (ignoreBlock || line.startsWith("#") || line.strip().isEmpty()) {
                        continue;
                    } else {
                        faildata = Map.of();
                    }
                    if (ignoreBlock) {
                        continue;
                    }
                    if (filterTests == null || filterTests.isEmpty()) {
                        filterTests = List.of(new FilterTest(name, instance(name, Map.of()), Map.of()));
                    }
                    for (FilterTest ft : filterTests) {
                        Object constraint = faildata.get("constraint");
                        if (constraint != null && !String.valueOf(constraint).isEmpty()
                                && !eval(String.valueOf(constraint), ft.opts())) {
                            continue;
                        }
                        check(ft, line, faildata, filename + ":" + phys);
                    }
                }
            }
            return problems;
        }

        boolean eval(String expr, Map<String, Object> opts) {
            Matcher m = CONSTRAINT.matcher(expr);
            if (!m.matches()) {
                throw new IllegalStateException("cannot evaluate Python expression: " + expr);
            }
            Object lhs = m.group(1).equals("name") ? name : opts.get(m.group(2));
            boolean eq = m.group(4).equals(lhs);
            return m.group(3).equals("==") == eq;
        }

        void check(FilterTest ft, String line, Map<String, Object> faildata, String where) {
            checks++;
            boolean journal = "journal".equals(ft.opts().get("logtype"));
            if (journal && ft.opts().get("test.prefix-line") != null) {
                line = ft.opts().get("test.prefix-line") + line;
            }
            List<FilterFailure> ret = new ArrayList<>();
            ft.inst().matcher.process(line, journal ? NOW_MS : LogLine.UNKNOWN_TIME, (n, f) -> {
                if (f.fid() != null && !f.nofail()) {
                    ret.add(f);
                }
            });
            String at = "[" + ft.fltName() + "] " + where + ": " + line + "\n    failJSON: " + faildata + "\n    ";
            boolean want = Boolean.TRUE.equals(faildata.get("match"));
            if (ret.isEmpty()) {
                if (want) {
                    problems.add(at + "Line not matched when should have");
                }
                return;
            }
            if (!want) {
                problems.add(at + "Line matched when shouldn't have: " + ret);
                return;
            }
            if (ret.size() != 1) {
                problems.add(at + "Multiple regexs matched " + ret.stream().map(FilterFailure::regex).toList());
                return;
            }
            FilterFailure f = ret.get(0);
            for (Map.Entry<String, Object> e : faildata.entrySet()) {
                String k = e.getKey();
                if (List.of("time", "match", "desc", "constraint").contains(k)) {
                    continue;
                }
                Object fv = f.fields().get(k);
                Object v = e.getValue();
                if (fv == null) {
                    if (k.equals("host")) {
                        if (!sameHost(f.fid(), v)) {
                            problems.add(at + "host: " + f.fid() + " != " + v);
                        }
                        continue;
                    }
                    if (k.equals("attempts")) {
                        Object ms = f.fields().get("matches");
                        fv = (long) (ms instanceof Collection<?> c ? c.size() : 0);
                    }
                }
                if (!same(fv, v)) {
                    problems.add(at + k + ": " + fv + " != " + v);
                }
            }
            Object t = faildata.get("time");
            if (t != null) {
                Matcher tm = STRPTIME.matcher(String.valueOf(t));
                if (!tm.matches()) {
                    problems.add(at + "bad failJSON time " + t);
                    return;
                }
                String frac = tm.group(7) == null ? "0" : (tm.group(7) + "00000").substring(0, 6);
                LocalDateTime ldt = LocalDateTime.of(Integer.parseInt(tm.group(1)), Integer.parseInt(tm.group(2)),
                        Integer.parseInt(tm.group(3)), Integer.parseInt(tm.group(4)), Integer.parseInt(tm.group(5)),
                        Integer.parseInt(tm.group(6)), Integer.parseInt(frac) * 1000);
                ZoneRules zone;
                try {
                    zone = TimeZones.parse(TZ);
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
                double want2 = ldt.toEpochSecond(zone.getOffset(ldt)) + ldt.getNano() / 1e9;
                double got = f.timeMillis() == FilterFailure.NO_TIME ? Double.NaN : f.timeMillis() / 1000.0;
                if (!(Math.abs(got - want2) < 1e-6)) {
                    problems.add(at + "time " + got + " != " + want2);
                }
            }
        }

        static boolean sameHost(String fid, Object v) {
            if (fid == null || v == null) {
                return fid == v;
            }
            if (fid.equals(v)) {
                return true;
            }
            IpAddress a = IpAddress.tryParse(fid);
            IpAddress b = IpAddress.tryParse(String.valueOf(v));
            return a != null && a.equals(b);
        }

        static boolean same(Object fv, Object v) {
            if (fv instanceof Collection<?> c) {
                if (!(v instanceof Collection<?> d)) {
                    return false;
                }
                List<String> x = c.stream().map(String::valueOf).sorted().toList();
                List<String> y = d.stream().map(String::valueOf).sorted().toList();
                return x.equals(y);
            }
            if (fv == null || v == null) {
                return fv == v;
            }
            if (fv instanceof Number || v instanceof Number) {
                return String.valueOf(fv).equals(String.valueOf(v));
            }
            return String.valueOf(fv).equals(String.valueOf(v));
        }
    }

    /** Python's repr of a dict of strings (samplestestcase's cache key). */
    static String pyRepr(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append('\'').append(e.getKey()).append("': ");
            Object v = e.getValue();
            sb.append(v instanceof String ? "'" + v + "'" : String.valueOf(v));
        }
        return sb.append('}').toString();
    }
}
