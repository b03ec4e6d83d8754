package ips.filter.tester;

import ips.config.ConfigException;
import ips.config.FilterDefinition;
import ips.config.FilterLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * test-filter's positional arguments as fail2ban-regex reads them (fail2banregex.py readRegex and
 * start): LOG is a file or else the log text itself; FILTER is a filter (a name in
 * {@code filter.d}, optionally with {@code [options]}, or a file) or else a failregex; a third
 * argument is an ignoreregex. Each says what it is in the summary's "Use ..." lines.
 */
final class Arguments {
    /** What fail2ban-regex tries as a filter name or file before taking it for a regex. */
    private static final Pattern FILTER_LIKE = Pattern.compile("^/{0,3}[\\w/_\\-.]+(?:\\[.*\\])?$",
            Pattern.MULTILINE | Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS); // Python's (?ms)

    private Arguments() {}

    /** The filter and the "Use ..." lines that describe it. */
    record Filter(FilterDefinition definition, List<String> header) {}

    /**
     * FILTER (and an optional IGNOREREGEX) resolved against {@code configDir}, with
     * {@code extraOptions} (--opt) over the filter's own.
     */
    static Filter filter(String spec, String ignore, Path configDir, Map<String, String> extraOptions)
            throws ConfigException, ips.filter.date.DatePatternException {
        return filter(spec, ignore, configDir, extraOptions, null, null, "auto");
    }

    /**
     * As {@link #filter(String, String, Path, Map)}, with fail2ban-regex's {@code -d DATEPATTERN}
     * and {@code -L MAXLINES} when not null: as there, the first value set wins, so they take
     * precedence over the filter's own and are said first. {@code backend} is fail2ban-regex's: {@code
     * systemd} for the journal (the filter's {@code logtype} is then {@code journal}), else {@code auto}.
     */
    static Filter filter(String spec, String ignore, Path configDir, Map<String, String> extraOptions,
            String datepattern, Integer maxlines, String backend) throws ConfigException, ips.filter.date.DatePatternException {
        List<String> header = new ArrayList<>();
        if (maxlines != null) {
            header.add("Use         maxlines : " + maxlines);
        }
        if (datepattern != null) {
            header.add(datePatternLine(datepattern));
        }
        FilterDefinition def = null;
        if (FILTER_LIKE.matcher(spec).find()) {
            FilterLoader.Spec s = FilterLoader.spec(spec);
            String name = s.name();
            boolean hasExt = name.substring(Math.max(0, name.length() - 6)).contains(".");
            List<String> tries = hasExt ? List.of(name) : List.of(name, name + ".conf", name + ".local");
            String basedir = configDir.toString();
            String found = null;
            for (String t : tries) {
                String f;
                if (!t.contains("/")) {
                    f = basename(basedir).equals("filter.d") ? join(basedir, t) : join(join(basedir, "filter.d"), t);
                } else {
                    f = t;
                    basedir = dirname(t);
                }
                if (Files.isRegularFile(Path.of(f))) {
                    found = f;
                    break;
                }
            }
            if (found != null) {
                Map<String, String> opts = new LinkedHashMap<>(s.options());
                if (extraOptions != null) {
                    opts.putAll(extraOptions);
                }
                if (basedir.equals(configDir.toString()) || basename(basedir).equals("filter.d")
                        || (!hasExt && !name.contains("/"))) {
                    if (basename(basedir).equals("filter.d")) {
                        basedir = dirname(basedir);
                    }
                    String fltName = stripExt(basename(name));
                    header.add("Use   failregex filter file : " + fltName + ", basedir: " + basedir);
                    def = FilterLoader.load(Path.of(basedir.isEmpty() ? "." : basedir), fltName, opts, backend);
                } else {
                    header.add("Use   failregex file : " + name);
                    def = FilterLoader.loadFile(Path.of(found), opts, backend);
                }
                if (!s.options().isEmpty()) {
                    header.add("Use   filter options : " + pyRepr(s.options()));
                }
            }
        }
        if (def == null) {
            header.add("Use   failregex line : " + shortstr(spec));
            def = new FilterDefinition(spec, null, List.of(spec), List.of(), null, 1, List.of(), Map.of());
        }
        if (maxlines == null && def.options().containsKey("maxlines")) {
            header.add("Use         maxlines : " + def.maxlines());
        }
        if (datepattern == null && def.datepattern() != null) {
            header.add(datePatternLine(def.datepattern()));
        }
        if (maxlines != null || datepattern != null) {
            def = new FilterDefinition(def.name(), def.prefregex(), def.failregex(), def.ignoreregex(),
                    datepattern != null ? datepattern : def.datepattern(), maxlines != null ? maxlines : def.maxlines(),
                    def.journalmatch(), def.options());
        }
        if (ignore != null) {
            header.add("Use ignoreregex line : " + shortstr(ignore));
            List<String> ig = new ArrayList<>(def.ignoreregex());
            ig.add(ignore);
            def = new FilterDefinition(def.name(), def.prefregex(), def.failregex(), ig, def.datepattern(),
                    def.maxlines(), def.journalmatch(), def.options());
        }
        return new Filter(def, header);
    }

    private static String datePatternLine(String datepattern) throws ips.filter.date.DatePatternException {
        String name = Dating.detector(datepattern, java.time.ZoneOffset.UTC.getRules(), () -> 0L).patternName();
        return "Use      datepattern : " + datepattern + " : " + name;
    }

    /** The log, the "Use ..." lines that describe it, and how its non-ASCII lines are decoded. */
    record Log(Path file, String text, List<String> header, java.nio.charset.Charset charset) {
        InputStream open() throws IOException {
            return file != null ? new java.io.FileInputStream(file.toFile())
                    : new ByteArrayInputStream((text + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** LOG: a file, or else the text to test (one line, or several separated by line breaks). */
    static Log log(String arg, int maxlines) {
        return log(arg, maxlines, null, StandardCharsets.UTF_8);
    }

    /**
     * {@link #log(String, int)} with fail2ban-regex's {@code -e ENCODING} ({@code encoding} as
     * given, or null for the default) and its charset, which a file is read with.
     */
    static Log log(String arg, int maxlines, String encoding, java.nio.charset.Charset charset) {
        List<String> header = new ArrayList<>();
        Path p = null;
        try {
            p = arg.isEmpty() ? null : Path.of(arg);
        } catch (java.nio.file.InvalidPathException e) {
            // not a path (a NUL in the text): the log text itself
        }
        if (p != null && Files.isRegularFile(p)) {
            header.add("Use         log file : " + arg);
            header.add("Use         encoding : " + (encoding == null ? "UTF-8" : encoding));
            return new Log(p, null, header, charset);
        }
        if (maxlines <= 1 && arg.indexOf('\n') < 0) {
            header.add("Use      single line : " + shortstr(arg));
        } else {
            String[] lines = arg.split("\n", -1);
            header.add("Use      multi line : " + lines.length + " line(s)");
            for (int i = 0; i < lines.length; i++) {
                if (i >= 5) {
                    header.add("| ...");
                    break;
                }
                String n = String.valueOf(i + 1);
                header.add("| " + (n.length() > 2 ? n.substring(0, 2) : String.format("%2s", n)) + ": " + shortstr(lines[i]));
            }
            header.add("`-");
        }
        return new Log(null, arg, header, StandardCharsets.UTF_8); // text, not bytes: nothing to decode
    }

    /** fail2ban-regex's shortstr: at most 53 characters. */
    static String shortstr(String s) {
        return s.length() > 53 ? s.substring(0, 50) + "..." : s;
    }

    /** Python's {@code repr} of a dict of strings, as fail2ban-regex prints filter options. */
    static String pyRepr(Map<String, String> m) {
        return PyText.repr(m);
    }

    private static String join(String a, String b) {
        return a.isEmpty() || a.endsWith("/") ? a + b : a + "/" + b;
    }

    private static String basename(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static String dirname(String p) {
        int i = p.lastIndexOf('/');
        if (i < 0) {
            return "";
        }
        String head = p.substring(0, i + 1);
        return head.matches("/+") ? head : head.replaceAll("/+$", "");
    }

    private static String stripExt(String base) {
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }
}
