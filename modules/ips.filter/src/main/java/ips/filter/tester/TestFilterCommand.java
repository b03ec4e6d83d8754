package ips.filter.tester;

import ips.api.LogLine;
import ips.config.ConfigException;
import ips.config.FilterDefinition;
import ips.config.FilterLoader;
import ips.filter.CompiledFilter;
import ips.filter.FailureSink;
import ips.filter.FilterException;
import ips.filter.FilterFailure;
import ips.filter.FilterMatcher;
import ips.filter.LineDater;
import ips.filter.LineScreen;
import ips.filter.date.DateDetector;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.zone.ZoneRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code portcullis test-filter}: fail2ban-regex's job.
 *
 * <pre>
 * portcullis test-filter LOG FILTER            summary as fail2ban-regex prints it: the filter, hits per
 *                                              failregex and ignoreregex, date template hits, the line
 *                                              counts and time, and the ignored and missed lines when
 *                                              fewer than 20 (--print-all-matched|missed|ignored,
 *                                              --print-no-missed|ignored as fail2ban-regex); not its
 *                                              prefregex count (see {@link #summary})
 * portcullis test-filter -o ip LOG FILTER      one failure address per line (fail2ban-regex -o ip)
 * portcullis test-filter -r ...                host names kept as they are; without it (or with
 *                                              --usedns yes|warn, the default) a name is resolved and
 *                                              counts once per address, --usedns no drops it
 * portcullis test-filter --no-screen ...       the matcher thread does every regex search itself. By
 *                                              default the reader thread, which splits lines, finds
 *                                              dates and runs the literal gate, also does the regex
 *                                              searches of whole batches whenever the matcher thread
 *                                              is three batches behind ({@link LineScreen}): on 1M sshd
 *                                              lines 3.9-4.0 s -> 2.7-2.8 s on 2 cores
 * portcullis test-filter --config-dir DIR --filter NAME [--opt KEY=VALUE]... --log FILE
 *         --now EPOCH --tz ZONE [--journal] --json
 *                                              one JSON object per failure (fail2ban's sample tests)
 * </pre>
 *
 * FILTER is a name in {@code /etc/fail2ban/filter.d} or a path to a {@code .conf} file.
 */
public final class TestFilterCommand {
    private static final Path DEFAULT_CONFIG = Path.of("/etc/fail2ban");

    private TestFilterCommand() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        int rc = run(args, out, System.err);
        out.flush();
        System.exit(rc);
    }

    private static final String USAGE = """
            usage: portcullis test-filter [-c CONFIG] [-d DATEPATTERN] [-L MAXLINES] [-m JOURNALMATCH] [--timezone ZONE]
                       [-r] [--usedns yes|warn|no|raw] [-o OUT]
                       [-e ENCODING] [-l LEVEL] [-v] [--verbose-date] [--no-check-all] [--no-screen]
                       [--print-all-matched] [--print-all-missed] [--print-all-ignored]
                       [--print-no-missed] [--print-no-ignored] LOG|systemd-journal[OPTIONS] FILTER [IGNOREREGEX]
                   portcullis test-filter --config-dir DIR --filter NAME [--opt KEY=VALUE]... --log FILE \\
                       --now EPOCH --tz ZONE [--journal] --json""";

    /** Options that take a value, which may also come as {@code --name=value}. */
    private static final java.util.Set<String> VALUED = java.util.Set.of("--usedns", "--verbosity", "--encoding", "--config-dir", "--config", "--datepattern",
            "--maxlines", "--journalmatch", "--log-level", "--timezone", "--TZ", "--filter", "--log", "--now", "--tz", "--out", "--opt");

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, null);
    }

    /**
     * As {@link #run(String[], PrintStream, PrintStream)}; {@code journal} opens the systemd journal
     * for a {@code systemd-journal} LOG (null when the image has no journal source).
     */
    public static int run(String[] args, PrintStream out, PrintStream err, JournalOpener journalOpener) {
        return run(args, out, err, journalOpener, "unknown");
    }

    /**
     * As {@link #run(String[], PrintStream, PrintStream, JournalOpener)}; {@code version} is what
     * {@code --version} and {@code -V} print (fail2ban-regex's print fail2ban's).
     */
    public static int run(String[] args, PrintStream out, PrintStream err, JournalOpener journalOpener, String version) {
        Path configDir = null;
        String filter = null;
        Path log = null;
        Double now = null;
        String tz = null;
        boolean journal = false;
        boolean json = false;
        boolean screen = true;
        String outFormat = null;
        String datepattern = null;
        Integer maxlines = null;
        String journalMatch = null;
        boolean raw = false;
        String usedns = "warn";
        int verbose = 0;
        String encoding = null;
        boolean checkAll = true;
        boolean verboseDate = false;
        String logLevel = "critical";
        boolean traceback = false;
        java.util.Set<String> print = new java.util.HashSet<>(); // --print-all-KIND, --print-no-KIND
        Map<String, String> opts = new LinkedHashMap<>();
        java.util.List<String> positional = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                int assign = a.indexOf('=');
                if (a.startsWith("--") && assign > 2 && VALUED.contains(a.substring(0, assign))) {
                    // optparse's --long=value, as fail2ban-regex takes it
                    String[] split = new String[args.length + 1];
                    System.arraycopy(args, 0, split, 0, i);
                    split[i] = a.substring(0, assign);
                    split[i + 1] = a.substring(assign + 1);
                    System.arraycopy(args, i + 1, split, i + 2, args.length - i - 1);
                    args = split;
                    a = args[i];
                }
                switch (a) {
                    case "--config-dir", "-c", "--config" -> configDir = Path.of(args[++i]);
                    case "-d", "--datepattern" -> datepattern = args[++i];
                    case "-L", "--maxlines" -> maxlines = Integer.valueOf(args[++i]);
                    case "-m", "--journalmatch" -> journalMatch = args[++i];
                    case "--timezone", "--TZ" -> tz = args[++i];
                    case "--filter" -> filter = args[++i];
                    case "--log" -> log = Path.of(args[++i]);
                    case "--now" -> now = Double.parseDouble(args[++i]);
                    case "--tz" -> tz = args[++i];
                    case "--journal" -> journal = true;
                    case "--json" -> json = true;
                    case "-r", "--raw" -> raw = true;
                    case "--usedns" -> usedns = args[++i];
                    case "--screen" -> screen = true;
                    case "--no-screen" -> screen = false;
                    case "-o", "--out" -> outFormat = args[++i];
                    case "-v", "--verbose" -> verbose++;
                    case "--verbosity" -> verbose = Integer.parseInt(args[++i]);
                    case "--no-check-all" -> checkAll = false;
                    case "--verbose-date", "--VD" -> verboseDate = true;
                    case "-l", "--log-level" -> logLevel = args[++i];
                    case "-t", "--log-traceback", "--full-traceback" -> traceback = true;
                    case "--version" -> {
                        out.println("portcullis test-filter " + version);
                        return 0;
                    }
                    case "-V" -> {
                        out.println(version);
                        return 0;
                    }
                    case "-e", "--encoding" -> encoding = args[++i];
                    case "--print-all-matched", "--print-all-missed", "--print-all-ignored", "--print-no-missed",
                            "--print-no-ignored" -> print.add(a.substring(8));
                    case "--opt" -> {
                        String kv = args[++i];
                        int eq = kv.indexOf('=');
                        if (eq < 0) {
                            err.println("test-filter: --opt needs KEY=VALUE: " + kv);
                            return 2;
                        }
                        opts.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        if (a.matches("-v+")) { // optparse's -vv
                            verbose += a.length() - 1;
                            continue;
                        }
                        if (a.startsWith("-") && a.length() > 1) {
                            err.println("test-filter: unknown option " + a);
                            err.println(USAGE);
                            return 2;
                        }
                        positional.add(a);
                    }
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            err.println("test-filter: bad arguments: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Arguments.Filter shown = null; // the filter whose "Use" lines a regex error follows
        try {
            if (json) {
                if (configDir == null || filter == null || log == null) {
                    err.println(USAGE);
                    return 2;
                }
                FilterDefinition def = FilterLoader.load(configDir, filter, opts);
                long nowMs = now == null ? System.currentTimeMillis() : Math.round(now * 1000);
                return machine(def, log, nowMs, tz, journal, out);
            }
            if (positional.size() != 2 && positional.size() != 3) {
                err.println(USAGE);
                return 2;
            }
            for (String k : new String[] {"missed", "ignored"}) {
                if (print.contains("all-" + k) && print.contains("no-" + k)) {
                    err.println("test-filter: --print-no-" + k + " and --print-all-" + k + " are mutually exclusive");
                    return 2;
                }
            }
            String logArg = positional.get(0);
            boolean fromJournal = logArg.startsWith("systemd-journal") && !Files.isRegularFile(Path.of(logArg));
            Arguments.Filter flt = Arguments.filter(positional.get(1), positional.size() == 3 ? positional.get(2) : null,
                    configDir == null ? DEFAULT_CONFIG : configDir, opts, datepattern, maxlines, fromJournal ? "systemd" : "auto");
            shown = flt;
            if (outFormat != null && (outFormat.indexOf('<') >= 0 || outFormat.isEmpty())) {
                err.println("test-filter: -o takes ip, id, msg, row or a failure field's name (user, ip4, dns, ...);"
                        + " action-tag templates such as '<ip>' are not supported");
                return 2;
            }
            HostNames.Use use = HostNames.parse(usedns);
            if (use == null) {
                err.println("test-filter: incorrect value for usedns '" + usedns + "' (yes, warn, no or raw); using no,"
                        + " as fail2ban does");
                use = HostNames.Use.NO;
            }
            HostNames names = new HostNames(use, raw, lookup);
            RegexLog regexLog = RegexLog.at(logLevel);
            if (regexLog == null) {
                err.println("test-filter: Invalid log level " + PyText.quote(logLevel)
                        + " (critical, error, warning, notice, info, debug or a number)");
                return 2;
            }
            if (regexLog.belowWarning()) {
                err.println("test-filter: -l " + logLevel + " logs the filter's warnings and errors as fail2ban-regex does;"
                        + " fail2ban's own info and debug messages have no counterpart here");
            }
            if (traceback) {
                err.println("test-filter: -t/--full-traceback change nothing: the tracebacks they add are Python's");
            }
            if (verbose > 1) {
                err.println("test-filter: verbosity " + verbose + " prints what -v does; fail2ban's debug log is not reproduced");
            }
            SummaryOptions how = new SummaryOptions(verbose > 0, checkAll, verboseDate, regexLog);
            if (fromJournal) {
                return journal(flt, logArg, journalMatch, journalOpener, outFormat, print, names, how, encoding, out, err);
            }
            java.nio.charset.Charset charset = StandardCharsets.UTF_8;
            if (encoding != null) {
                try {
                    java.nio.charset.Charset c = ips.config.LogEncoding.of(encoding);
                    charset = c == null ? charset : c;
                } catch (IllegalArgumentException e) {
                    err.println("test-filter: -e: " + e.getMessage());
                    return 2;
                }
                if (!DatedLines.asciiCompatible(charset)) {
                    err.println("test-filter: -e " + encoding + ": only encodings that write ASCII as ASCII are read"
                            + " (latin-1, cp1252, utf-8, ...), not " + charset);
                    return 2;
                }
            }
            Arguments.Log input = Arguments.log(logArg, flt.definition().maxlines(), encoding, charset);
            if (outFormat != null) {
                return outIp(flt.definition(), input, tz, outFormat, screen, names, regexLog, out, err);
            }
            List<String> header = new java.util.ArrayList<>(flt.header());
            header.addAll(input.header());
            return summary(flt.definition(), header, input, tz, screen, print, names, how, out, err);
        } catch (ConfigException e) {
            err.println("test-filter: " + e.getMessage());
            return 1;
        } catch (FilterException e) {
            if (shown != null && e.fail2banWords() != null) {
                return regexError(shown, e, outFormat == null, out);
            }
            err.println("test-filter: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("test-filter: " + e);
            return 1;
        } catch (Exception e) {
            err.println("test-filter: " + e);
            return 1;
        }
    }

    /**
     * A regex fail2ban would refuse too, said as fail2ban-regex says it: on standard output, after
     * the "Use" lines it prints before it compiles the regexes (the filter's first lines, and the
     * command line's ignoreregex when that is the one refused; none with {@code -o}), {@code
     * ERROR: } and fail2ban's words, exit status 255. The reason after the regex is
     * {@code java.util.regex}'s, not Python's.
     */
    private static int regexError(Arguments.Filter flt, FilterException e, boolean withHeader, PrintStream out) {
        if (withHeader) {
            out.println();
            out.println("Running tests");
            out.println("=============");
            out.println();
            for (String h : flt.header()) {
                boolean ignoreLine = h.startsWith("Use ignoreregex line : ");
                if (h.startsWith("Use         maxlines : ") || h.startsWith("Use      datepattern : ")
                        || ignoreLine && !"ignoreregex".equals(e.kind())) {
                    continue; // fail2ban-regex says these once the regexes are in
                }
                out.println(h);
            }
        }
        out.println("ERROR: " + e.fail2banWords());
        out.flush();
        return 255;
    }

    /** The sample-test contract: every failregex tried, raw hosts, no findtime check. */
    private static int machine(FilterDefinition def, Path log, long nowMs, String tz, boolean journal, PrintStream out)
            throws Exception {
        CompiledFilter cf = CompiledFilter.compile(def, "warn");
        LongSupplier now = () -> nowMs;
        ZoneRules zone = Dating.zone(tz);
        LineDater dater = journal ? LineDater.NONE : Dating.create(def.datepattern(), zone, now);
        StringBuilder sb = new StringBuilder(256);
        long time = journal ? nowMs : LogLine.UNKNOWN_TIME;
        try (InputStream in = new java.io.FileInputStream(log.toFile());
                DatedLines r = new DatedLines(in, dater, DatedLines.Mode.EVERY_LINE)) {
            FilterMatcher m = cf.newMatcher(journal ? LineDater.NONE : r.dater(), now, true);
            CharSequence line;
            while ((line = r.next()) != null) {
                m.process(line, time, (lineNo, f) -> {
                    sb.setLength(0);
                    record(sb, lineNo, f);
                    out.println(sb);
                });
            }
        }
        out.flush();
        return 0;
    }

    static void record(StringBuilder sb, long lineNo, FilterFailure f) {
        sb.append("{\"line\": ").append(lineNo).append(", \"fid\": ");
        Json.value(sb, f.fid());
        sb.append(", \"time\": ");
        if (f.timeMillis() == FilterFailure.NO_TIME) {
            sb.append("null");
        } else {
            sb.append(f.timeMillis() / 1000.0);
        }
        sb.append(", \"nofail\": ").append(f.nofail());
        sb.append(", \"regex\": ").append(f.regex());
        sb.append(", \"fields\": ");
        Json.value(sb, f.fields());
        sb.append('}');
    }

    /**
     * LOG {@code systemd-journal[OPTIONS]}: every journal entry from the oldest, through the
     * filter's journalmatch (or {@code -m}), each with its own time and no date detection, as
     * fail2ban-regex reads the journal; then the summary, or one {@code -o} line per failure.
     */
    private static int journal(Arguments.Filter flt, String logArg, String matchOption, JournalOpener opener,
            String outFormat, java.util.Set<String> print, HostNames names, SummaryOptions how, String encoding,
            PrintStream out, PrintStream err) throws Exception {
        if (opener == null) {
            err.println("test-filter: " + logArg + ": this image has no journal source");
            return 1;
        }
        FilterLoader.Spec spec = FilterLoader.spec(logArg);
        FilterDefinition def = flt.definition();
        List<String> matches = matchOption != null ? List.of(matchOption) : def.journalmatch();
        CompiledFilter cf = CompiledFilter.compile(def, names.useDns());
        long t0 = System.nanoTime();
        ips.api.LogSource opened;
        try {
            opened = opener.open(matches, spec.options());
        } catch (IOException e) {
            err.println("test-filter: " + logArg + ": " + e.getMessage());
            return 1;
        }
        try (ips.api.LogSource source = opened) {
            for (String problem : source.notFollowed()) {
                err.println("test-filter: " + problem); // no journal to read: say so rather than count 0 lines
            }
            if (outFormat != null) {
                boolean lines = keepsLines(outFormat);
                FilterMatcher m = cf.newMatcher(LineDater.NONE, new LineClock(), false);
                if (!lines) {
                    m.withoutMatches();
                }
                if (!how.log().silent()) {
                    m.warningTo(how.log().warnings(out::println));
                }
                names.warningTo(how.log().dnsWarnings(out::println));
                FirstHits hits = new FirstHits();
                ips.filter.FailureSink sink = names.before(hits);
                java.time.zone.ZoneRules local = ips.filter.date.TimeZones.system();
                drain(source, line -> {
                    hits.clear();
                    m.process(line.text(), line.timeMillis(), JournalTime.text(line, local), sink);
                    hits.printEntry(outFormat, m, out, line);
                });
                out.flush();
                return 0;
            }
            Tally tally = new Tally(cf.failRegexCount(), cf.maxLines(), print, how.verbose()).resolving(names);
            names.warningTo(how.log().dnsWarnings(tally.logLines::add));
            FilterMatcher m = how.matcher(cf, LineDater.NONE, tally);
            java.time.zone.ZoneRules local = ips.filter.date.TimeZones.system();
            drain(source, line -> tally.count(m, line.text(), line.timeMillis(), null, JournalTime.text(line, local)));
            List<String> header = new java.util.ArrayList<>(flt.header());
            header.add("Use         systemd journal");
            header.add("Use         encoding : " + (encoding == null ? "UTF-8" : encoding)); // as given, like fail2ban-regex
            if (!matches.isEmpty()) {
                header.add("Use    journal match : " + String.join(" + ", matches));
            }
            // fail2ban-regex sets no datepattern for the journal: a filter's own still makes a detector,
            // listed (its templates never hit), and without one there is no "Date template hits"
            List<String> dateHits = def.datepattern() == null ? null
                    : Dating.detector(def.datepattern(), Dating.zone(null), new LineClock()).templateHits(how.verbose(),
                            how.verboseDate());
            report(def, cf, header, tally, m, dateHits, (System.nanoTime() - t0) / 1e9, out);
            return 0;
        }
    }

    /**
     * fail2ban-regex's {@code -v} and {@code --no-check-all} for the summary: with {@code verbose}
     * every regex and date template is listed, hits or not, each failregex with the failures it
     * found, and the prefregex with the groups of its first 20 matches; without {@code checkAll}
     * a line stops at its first failregex that matches.
     */
    record SummaryOptions(boolean verbose, boolean checkAll, boolean verboseDate, RegexLog log) {
        /** The summary's matcher, its log lines ({@code -l}) kept in {@code tally} to be printed before the results. */
        FilterMatcher matcher(CompiledFilter cf, LineDater dater, Tally tally) {
            FilterMatcher m = cf.newMatcher(dater, new LineClock(), checkAll).withoutMatches().reportingPending();
            if (!log.silent()) {
                m.warningTo(log.warnings(tally.logLines::add));
            }
            return verbose ? m.keepingPrefregexGroups() : m.countingPrefregex();
        }

        /** A screen for the summary's reader: none with {@code verbose} (the matcher keeps the prefregex's groups). */
        LineScreen screen(CompiledFilter cf) {
            return verbose ? null : counting(LineScreen.of(cf, !checkAll));
        }
    }

    /** Polls {@code source} until it has nothing more to give, each line to {@code each}. */
    private static void drain(ips.api.LogSource source, java.util.function.Consumer<LogLine> each) throws Exception {
        List<LogLine> batch = new java.util.ArrayList<>();
        while (source.poll(batch::add, 0) > 0) {
            batch.forEach(each);
            batch.clear();
        }
    }

    /** A line's failures for {@code -o}: printed unless the line is ignored or has a nofail hit. */
    static final class FirstHits implements FailureSink {
        private final List<FilterFailure> failures = new java.util.ArrayList<>();
        private boolean nofail;

        void clear() {
            failures.clear();
            nofail = false;
        }

        @Override
        public void accept(long lineNo, FilterFailure f) {
            if (f.nofail()) {
                nofail = true;
            } else {
                failures.add(f);
            }
        }

        void print(String fmt, FilterMatcher m, PrintStream out) {
            printEntry(fmt, m, out, null);
        }

        /** {@link #print} for a journal entry ({@code entry}, or null for a file's line): its time to the microsecond. */
        void printEntry(String fmt, FilterMatcher m, PrintStream out, LogLine entry) {
            if (!failures.isEmpty() && !nofail && !m.lastLineIgnored()) {
                for (FilterFailure f : failures) {
                    printOut(fmt, f, out, entry);
                }
            }
        }
    }

    /** {@code -o FMT} prints a failure's matched lines: they are kept ({@link FilterMatcher#withoutMatches} not set). */
    static boolean keepsLines(String fmt) {
        return fmt.equals("msg") || fmt.equals("row") || fmt.equals("matches") || fmt.equals("nofail-matches");
    }

    /** One failure as fail2ban-regex's {@code -o FMT} prints it (fail2banregex.py _prepaireOutput). */
    static void printOut(String fmt, FilterFailure f, PrintStream out) {
        printOut(fmt, f, out, null);
    }

    /**
     * {@link #printOut(String, FilterFailure, PrintStream)}; a failure dated by journal entry {@code
     * entry} (not null) has its time to the microsecond, as fail2ban's {@code getJrnEntTime}.
     */
    static void printOut(String fmt, FilterFailure f, PrintStream out, LogLine entry) {
        switch (fmt) {
            case "id", "fid" -> out.println(PyText.str(f.fid()));
            case "ip" -> out.println(PyText.str(f.fields().containsKey("ip") ? f.fields().get("ip") : f.fid()));
            case "msg" -> {
                Object matches = f.fields().get("matches");
                if (matches instanceof java.util.List<?> l) {
                    l.forEach(line -> out.println(PyText.str(line)));
                }
            }
            case "row" -> {
                Map<String, Object> fields = new LinkedHashMap<>(f.fields());
                fields.remove("matches");
                Object time = f.timeMillis() == FilterFailure.NO_TIME ? null
                        : entry != null && entry.timeMillis() == f.timeMillis() ? (Object) JournalTime.seconds(entry)
                        : f.wholeSeconds() ? (Object) Math.floorDiv(f.timeMillis(), 1000L) // calendar.timegm's int
                        : (Object) (f.timeMillis() / 1000.0);
                out.println("[" + PyText.repr(f.fid()) + ",\t" + PyText.repr(time) + ",\t" + PyText.repr(fields) + "],");
            }
            default -> out.println(PyText.str(f.fields().get(fmt)));
        }
    }

    /** Says on stderr that the log's unterminated last line was left unread, as fail2ban-regex leaves it. */
    private static void noteUnterminated(DatedLines r, Arguments.Log log, PrintStream err) {
        if (r.leftUnterminatedLine()) {
            err.println("test-filter: the last line of " + log.file()
                    + " has no line end and was not read (fail2ban-regex waits for a line's end as well)");
        }
    }

    /** fail2ban-regex -o FMT: first hit per line (no checkAllRegex), ignored lines print nothing. */
    private static int outIp(FilterDefinition def, Arguments.Log log, String tz, String fmt, boolean screen, HostNames names,
            RegexLog regexLog,
            PrintStream out,
            PrintStream err)
            throws Exception {
        boolean lines = keepsLines(fmt); // the failure's matched lines are needed
        CompiledFilter cf = CompiledFilter.compile(def, names.useDns());
        LineDater dater = Dating.dater(Dating.detector(def.datepattern(), tz, new LineClock())); // the reader's
        FirstHits hits = new FirstHits();
        ips.filter.FailureSink sink = names.before(hits);
        names.warningTo(regexLog.dnsWarnings(out::println)); // between the failures, as fail2ban-regex logs them
        try (InputStream in = log.open();
                DatedLines r = new DatedLines(in, log.charset(), dater, DatedLines.Mode.SKIP_BLANK_AND_COMMENTS,
                        LineScreen.of(cf, true), LineScreen.of(cf, true), screen, DatedLines.GateHandOver.WHEN_MATCHER_WAITS)) {
            FilterMatcher m = cf.newMatcher(r.dater(), new LineClock(), false);
            if (!lines) {
                m.withoutMatches();
            }
            if (!regexLog.silent()) {
                m.warningTo(regexLog.warnings(out::println)); // between the failures, as fail2ban-regex logs them
            }
            CharSequence line;
            while ((line = r.next()) != null) {
                hits.clear();
                m.process(line, LogLine.UNKNOWN_TIME, sink, r.screened());
                hits.print(fmt, m, out);
            }
            noteUnterminated(r, log, err);
        }
        out.flush();
        return 0;
    }

    /**
     * fail2ban-regex's summary: the filter, counts per failregex and ignoreregex, date template hits,
     * the line counts and time, then the ignored and missed lines when there are few ({@code
     * print}: {@code all-KIND} / {@code no-KIND} as fail2ban-regex's {@code --print-all-KIND} /
     * {@code --print-no-KIND}). Not printed: the prefregex's match count, which would need the
     * prefregex run on every line rather than only on those the literal gate lets through.
     */
    private static int summary(FilterDefinition def, List<String> header, Arguments.Log log, String tz, boolean screen,
            java.util.Set<String> print, HostNames names, SummaryOptions how, PrintStream out, PrintStream err) throws Exception {
        long t0 = System.nanoTime();
        CompiledFilter cf = CompiledFilter.compile(def, names.useDns());
        DateDetector detector = Dating.detector(def.datepattern(), tz, new LineClock()); // the reader's
        LineDater dater = Dating.dater(detector);
        Tally tally = new Tally(cf.failRegexCount(), cf.maxLines(), print, how.verbose()).resolving(names);
        names.warningTo(how.log().dnsWarnings(tally.logLines::add));
        // with errors logged, every line's date is looked at by the matcher (an unparsable one is an error)
        boolean skipping = !how.log().errors();
        FilterMatcher m;
        try (InputStream in = log.open();
                DatedLines r = new DatedLines(in, log.charset(), dater, DatedLines.Mode.SKIP_BLANK_AND_COMMENTS,
                        how.screen(cf), how.screen(cf), screen, DatedLines.GateHandOver.WHEN_MATCHER_WAITS)) {
            m = how.matcher(cf, r.dater(), tally);
            CharSequence line;
            while ((line = r.next()) != null) {
                tally.count(m, line, LogLine.UNKNOWN_TIME, r.screened());
                if (skipping && tally.keptMissed.listsNoMore()) {
                    // the lines after a missed one that no failregex can match either, counted in one go
                    int k = r.skipMissed(m);
                    tally.missedUnlisted(k, r.skippedPrefMatched());
                }
            }
            noteUnterminated(r, log, err);
        }
        report(def, cf, header, tally, m, detector.templateHits(how.verbose(), how.verboseDate()), (System.nanoTime() - t0) / 1e9,
                out);
        return 0;
    }

    /**
     * fail2ban-regex's counts as the lines go by: lines, and of them ignored (an ignoreregex or a
     * nofail hit), matched and missed, hits per failregex (every failregex tried), and the lines
     * kept to list.
     */
    /** How test-filter resolves host names (tests replace it: no test may send a DNS query). */
    static volatile java.util.function.Function<String, List<ips.api.IpAddress>> lookup = HostNames::systemLookup;

    /** fail2ban-regex's {@code _maxlines}: how many prefregex group dicts {@code -v} lists. */
    private static final int PREF_GROUPS = 20;
    /** Python's {@code time.strftime("%a %b %d %H:%M:%S %Y")} in the C locale. */
    private static final class Ctime {
        static final java.time.format.DateTimeFormatter FORMAT =
                java.time.format.DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", java.util.Locale.ROOT);
    }

    static final class Tally implements FailureSink {
        final long[] hits;
        long lines;
        long matched;
        long ignored;
        long missed;
        /** Lines the prefregex matched (fail2ban-regex's {@code Prefregex: N total}). */
        long prefMatched;
        final Report.Kept keptMatched;
        final Report.Kept keptIgnored;
        final Report.Kept keptMissed;
        private boolean anyFailure;
        private boolean anyNofail;
        private final int maxLines;
        /** Where the matcher's failures go: this, or a host-name resolver in front of it. */
        private ips.filter.FailureSink in = this;
        /** fail2ban-regex {@code -v}: per failregex, its failures as listed; the prefregex's first groups. */
        private final boolean verbose;
        final List<List<String>> failures;
        final List<String> prefGroups = new java.util.ArrayList<>();
        /** fail2ban-regex's log lines ({@code -l}), printed between the "Use" lines and the results. */
        final List<String> logLines = new java.util.ArrayList<>();
        /** Failures (not nofail) of the current line so far (fail2ban-regex's {@code len(ret)}). */
        private int lineFailures;
        /** The host's zone, as Python's {@code time.localtime} sees it. */
        private java.time.zone.ZoneRules localZone;

        Tally(int failRegexes, int maxLines, java.util.Set<String> print, boolean verbose) {
            hits = new long[failRegexes];
            this.maxLines = maxLines;
            this.verbose = verbose;
            failures = new java.util.ArrayList<>();
            for (int i = 0; verbose && i < failRegexes; i++) {
                failures.add(new java.util.ArrayList<>());
            }
            keptMatched = new Report.Kept("matched", print.contains("all-matched"), true);
            keptIgnored = new Report.Kept("ignored", print.contains("all-ignored"), print.contains("no-ignored"));
            keptMissed = new Report.Kept("missed", print.contains("all-missed"), print.contains("no-missed"));
        }

        /**
         * fail2ban-regex's testRegex with maxlines &gt; 1: each earlier line that was in the buffer
         * before this line (less the one a full buffer drops) and that a failure took out of it is
         * counted matched instead of missed, and leaves the missed lines listed.
         */
        private void takenFromBuffer(java.util.List<ips.filter.LogTuple> before, java.util.List<ips.filter.LogTuple> after) {
            for (int i = before.size() >= maxLines ? 1 : 0; i < before.size(); i++) {
                ips.filter.LogTuple t = before.get(i);
                boolean kept = false;
                for (ips.filter.LogTuple a : after) {
                    if (a.sameAs(t)) {
                        kept = true;
                        break;
                    }
                }
                if (!kept) {
                    String whole = t.toString();
                    keptMissed.remove(whole);
                    keptMatched.add(whole);
                    matched++;
                    missed--;
                }
            }
        }

        @Override
        public void accept(long lineNo, FilterFailure f) {
            hits[f.regex()]++;
            if (verbose) {
                // fail2ban-regex: "    %s  %s%s" % (fid, time.strftime("%a %b %d %H:%M:%S %Y",
                // time.localtime(date)), " (multiple regex matched)" when len(ret) > 1)
                if (localZone == null) {
                    localZone = ips.filter.date.TimeZones.system();
                }
                long ms = f.timeMillis() == FilterFailure.NO_TIME ? System.currentTimeMillis() : f.timeMillis();
                long s = Math.floorDiv(ms, 1000);
                String when = Ctime.FORMAT.format(java.time.LocalDateTime.ofEpochSecond(s, 0,
                        localZone.getOffset(java.time.Instant.ofEpochSecond(s))));
                failures.get(f.regex()).add("    " + PyText.str(f.fid()) + "  " + when
                        + (lineFailures > 1 ? " (multiple regex matched)" : ""));
            }
            if (!f.nofail()) {
                lineFailures++;
            }
            if (f.nofail()) {
                anyNofail = true;
            } else {
                anyFailure = true;
            }
        }

        /** fail2ban-regex's usedns: names resolved (or dropped) before they are counted. */
        Tally resolving(HostNames names) {
            in = names.before(this);
            return this;
        }

        /**
         * {@code k} lines missed that are not listed ({@link Report.Kept#listsNoMore()}), {@code
         * prefs} of which the prefregex matched.
         */
        void missedUnlisted(int k, int prefs) {
            prefMatched += prefs;
            lines += k;
            missed += k;
            keptMissed.addUnlisted(k);
        }

        /** One line through {@code m}, counted. */
        void count(FilterMatcher m, CharSequence line, long timeMillis, ips.filter.ScreenedLine screened) {
            count(m, line, timeMillis, screened, null);
        }

        /**
         * One line through {@code m}, counted; {@code timeText} not null: a journal entry's time as
         * fail2ban writes it before the entry's text ({@link JournalTime#text}), in the lines listed too.
         */
        void count(FilterMatcher m, CharSequence text, long timeMillis, ips.filter.ScreenedLine screened, String timeText) {
            anyFailure = false;
            anyNofail = false;
            lineFailures = 0;
            java.util.List<ips.filter.LogTuple> before = maxLines > 1 ? java.util.List.copyOf(m.lineBuffer()) : null;
            if (timeText != null) {
                m.process(text, timeMillis, timeText, in);
            } else {
                m.process(text, timeMillis, in, screened);
            }
            CharSequence line = timeText == null ? text : timeText + text;
            if (before != null) {
                takenFromBuffer(before, m.lineBuffer());
            }
            lines++;
            if (m.prefregexMatched()) {
                prefMatched++;
                if (verbose && prefGroups.size() <= PREF_GROUPS) {
                    // fail2ban-regex keeps the groups of the first 20 matches, then "..."
                    prefGroups.add(prefGroups.size() < PREF_GROUPS ? "    " + PyText.repr(m.prefregexGroups()) : "    ...");
                }
            }
            if (anyNofail || m.lastLineIgnored()) {
                ignored++;
                keptIgnored.add(line);
            } else if (anyFailure) {
                matched++;
                keptMatched.add(line);
            } else {
                missed++;
                keptMissed.add(line);
            }
        }
    }

    /** {@code s} also answering for the prefregex on the lines it gates out (null stays null). */
    private static LineScreen counting(LineScreen s) {
        return s == null ? null : s.countingPrefregex();
    }

    /** The "Running tests" and "Results" parts, as fail2ban-regex prints them. */
    private static void report(FilterDefinition def, CompiledFilter cf, List<String> header, Tally tally, FilterMatcher m,
            List<String> dateHits, double secs, PrintStream out) {
        long total = 0;
        for (long h : tally.hits) {
            total += h;
        }
        out.println();
        out.println("Running tests");
        out.println("=============");
        out.println();
        for (String h : header) {
            out.println(h);
        }
        out.println();
        for (String l : tally.logLines) {
            out.println(l);
        }
        out.println();
        out.println("Results");
        out.println("=======");
        out.println();
        if (cf.prefRegex() != null) {
            out.println("Prefregex: " + tally.prefMatched + " total");
            List<String> pref = new java.util.ArrayList<>(List.of(cf.prefRegex()));
            pref.addAll(tally.prefGroups);
            Report.list(out, null, pref);
            out.println();
        }
        out.println("Failregex: " + total + " total");
        java.util.List<String> failList = new java.util.ArrayList<>();
        for (int i = 0; i < tally.hits.length; i++) {
            if (tally.hits[i] > 0 || tally.verbose) {
                failList.add(String.format("%2d) [%d] %s", i + 1, tally.hits[i], def.failregex().get(i)));
            }
            if (tally.verbose) {
                failList.addAll(tally.failures.get(i));
            }
        }
        Report.list(out, " #) [# of hits] regular expression", failList);
        out.println();
        long ig = 0;
        java.util.List<String> ignoreList = new java.util.ArrayList<>();
        for (int i = 0; i < cf.ignoreRegexCount(); i++) {
            ig += m.ignoreHits(i);
            if (m.ignoreHits(i) > 0 || tally.verbose) {
                ignoreList.add(String.format("%2d) [%d] %s", i + 1, m.ignoreHits(i), def.ignoreregex().get(i)));
            }
        }
        out.println("Ignoreregex: " + ig + " total");
        Report.list(out, " #) [# of hits] regular expression", ignoreList);
        out.println();
        if (dateHits != null) { // null: no date detector (the journal, and a filter without a datepattern)
            out.println("Date template hits:");
            Report.list(out, "[# of hits] date format", dateHits);
            out.println();
        }
        out.printf("Lines: %d lines, %d ignored, %d matched, %d missed%n", tally.lines, tally.ignored, tally.matched,
                tally.missed);
        out.printf("[processed in %.2f sec]%n", secs);
        if (m.budgetExceeded() > 0) {
            out.printf("[%d regex searches abandoned: per-line work budget spent]%n", m.budgetExceeded());
        }
        out.println();
        tally.keptMatched.print(out);
        tally.keptIgnored.print(out);
        tally.keptMissed.print(out);
        out.flush();
    }
}
