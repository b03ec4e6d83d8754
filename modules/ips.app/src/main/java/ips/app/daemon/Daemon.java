package ips.app.daemon;

import ips.api.Ban;
import ips.api.Enforcer;
import ips.api.EnforcerException;
import ips.api.EnforcerProvider;
import ips.api.EnforcerSettings;
import ips.api.LogSource;
import ips.api.LogSourceProvider;
import ips.api.LogSourceSpec;
import ips.api.ServiceNotifier;
import ips.app.ops.EventLog;
import ips.config.JailDefinition;
import ips.config.LogPath;
import ips.config.PortcullisSettings;
import ips.engine.EngineSettings;
import ips.engine.JailEngine;
import ips.engine.ledger.BanLedger;
import ips.filter.FilterMatcher;
import ips.filter.date.DatePatternException;
import ips.filter.date.TimeZones;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;

/**
 * The running daemon: one configuration snapshot, the firewall, the engine with its ledger, one
 * reader per log source, and a 1 s tick. {@link #reload} is all or nothing: a configuration that
 * cannot be read, whose log sources cannot be opened or whose layout the firewall refuses leaves
 * the running one, its readers and every ban as they were.
 *
 * <p>Locks: {@code lifecycle} orders start, reload, close, the tick and the control verbs that
 * change bans ({@link #withRunningEngine}); the ledger's monitor is
 * the engine's (see {@link JailEngine}) and guards the swap of the engine in a reload.
 */
public final class Daemon implements AutoCloseable {
    private final Path configDir;
    private final EventLog log;
    private final ServiceNotifier notifier;
    private final LongSupplier clock = System::currentTimeMillis;
    private final Iterable<EnforcerProvider> firewalls;
    private final Iterable<LogSourceProvider> logSources;
    private HostResolver resolver;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile ConfigSnapshot snapshot;
    /** The configuration the daemon started with: its logtarget is the one in use until a restart. */
    private ConfigSnapshot snapshotAtStart;
    private Enforcer enforcer;
    private BanLedger ledger;
    private volatile JailEngine engine;
    private volatile List<SourceReader> readers = List.of();
    private Thread ticker;
    private volatile boolean running;
    private long reloads;
    private long scaffoldGeneration;
    private final Object lifecycle = new Object();

    public Daemon(Path configDir, EventLog log, ServiceNotifier notifier) {
        this(configDir, log, notifier, ServiceLoader.load(EnforcerProvider.class), ServiceLoader.load(LogSourceProvider.class));
    }

    /** With the firewalls and log sources given rather than found (tests). */
    Daemon(Path configDir, EventLog log, ServiceNotifier notifier, Iterable<EnforcerProvider> firewalls,
            Iterable<LogSourceProvider> logSources) {
        this.configDir = configDir;
        this.log = log;
        this.notifier = notifier;
        this.firewalls = firewalls;
        this.logSources = logSources;
    }

    /** Reads the configuration, prepares the firewall, restores the ledger and starts reading. */
    public void start() throws ConfigSnapshot.InvalidConfigException, EnforcerException, IOException {
        synchronized (lifecycle) {
            long t0 = System.nanoTime();
            // Open the firewall (socket, native linking) on a second thread while the
            // configuration is read and its filters compiled: the two are independent.
            PortcullisSettings early;
            try {
                early = PortcullisSettings.load(ConfigSource.settingsDir(configDir));
            } catch (ips.config.ConfigException e) {
                throw new ConfigSnapshot.InvalidConfigException(e.getMessage(), e);
            }
            java.util.concurrent.CompletableFuture<Enforcer> opening = new java.util.concurrent.CompletableFuture<>();
            Thread.ofPlatform().name("open-firewall").start(() -> {
                try {
                    opening.complete(openEnforcer(early));
                } catch (EnforcerException | RuntimeException ex) {
                    opening.completeExceptionally(ex);
                }
                // then sd_notify, on this same thread: linked one after the other, the two
                // leave the configuration one core of two instead of sharing it three ways (the
                // main thread links it instead when it is done first; link() runs once)
                if (notifier instanceof DeferredNotifier d) {
                    d.link();
                }
            });
            ConfigSnapshot s;
            try {
                s = ConfigSnapshot.load(configDir, false);
            } catch (ConfigSnapshot.InvalidConfigException | RuntimeException ex) {
                opening.thenAccept(Enforcer::close);
                throw ex;
            }
            long t1 = System.nanoTime();
            for (String n : s.notices()) {
                log.warning("portcullis.config", n);
            }
            sayJailsReadingOurLog(s);
            List<String> jails = s.policies().stream().map(p -> p.name()).toList();
            jails.forEach(j -> {
                log.info("fail2ban.jail", "Creating new jail " + PyRepr.str(j));
                saySettings(s, j);
            });
            PortcullisSettings ps = s.settings();
            // Open the log sources and build their matchers on another thread while this one
            // scaffolds the firewall and restores the ledger; the readers start once both are done.
            java.util.concurrent.CompletableFuture<List<OpenSource>> sources = new java.util.concurrent.CompletableFuture<>();
            Thread.ofPlatform().name("open-sources").start(() -> {
                try {
                    sources.complete(openSources(s));
                } catch (IOException | RuntimeException ex) {
                    sources.completeExceptionally(ex);
                }
            });
            BanLedger.RestoreReport restore;
            long t2;
            long t3;
            try {
                // the ledger needs no firewall: opened while the firewall thread still links
                Files.createDirectories(ps.ledger().toAbsolutePath().getParent());
                // a damaged or read-only ledger is logged by BanLedger itself, once
                ledger = BanLedger.open(ps.ledger(), 7L * 24 * 3600 * 1000);
                t2 = System.nanoTime();
                // Still linking the firewall: link sd_notify here rather than after it on that
                // thread (READY=1 needs both; this thread would otherwise only wait).
                if (!opening.isDone() && notifier instanceof DeferredNotifier d) {
                    d.link();
                }
                enforcer = join(opening, EnforcerException.class);
                enforcer.scaffold(s.rules());
                t3 = System.nanoTime();
                engine = newEngine(s);
                restore = engine.restore();
            } catch (EnforcerException | IOException | RuntimeException ex) {
                sources.thenAccept(opened -> opened.forEach(o -> o.close(log)));
                if (enforcer == null) {
                    opening.thenAccept(Enforcer::close);
                }
                if (engine == null && ledger != null) {
                    ledger.close();
                    ledger = null;
                }
                throw ex;
            }
            logRestore(restore);
            liftLeftovers(restore.otherJailNames());
            snapshot = s;
            snapshotAtStart = s;
            running = true;
            long t4 = System.nanoTime();
            readers = startReaders(join(sources, IOException.class), engine);
            jails.forEach(j -> log.info("fail2ban.jail", "Jail " + PyRepr.str(j) + " started"));
            long t5 = System.nanoTime();
            // "firewall (after config)": sd_notify linked here, waiting for the firewall, scaffold
            log.debug("portcullis.server", String.format("start-up: config %.1f ms, firewall (after config) %.1f ms, ledger %.1f ms,"
                    + " engine and restore %.1f ms, sources %.1f ms (main to daemon %.1f ms)",
                    (t1 - t0) / 1e6, (t3 - t2) / 1e6, (t2 - t1) / 1e6, (t4 - t3) / 1e6, (t5 - t4) / 1e6,
                    (t0 - ips.app.Main.STARTED_NANOS) / 1e6));
            ticker = Thread.ofPlatform().name("tick").daemon().start(this::tickLoop);
            log.info("portcullis.server", "Portcullis started: " + s.setups().size() + " jail(s) " + s.policies().stream().map(p -> p.name()).toList()
                    + ", config " + configDir + ", firewall " + enforcer.name() + " table " + ps.table()
                    + ", " + restore.restored().size() + " ban(s) restored"
                    + (restore.otherJails() > 0 ? ", " + restore.otherJails() + " ban(s) of jails not enabled kept in the ledger only" : ""));
            notifier.ready();
            // the JIT warm-up competes for the CPU: only once READY=1 is out
            Warmup.start(s, enforcer, log, clock, this);
            notifier.status(statusLine());
        }
    }

    /** One "Restore Ban" line per ban put back, and what the restore found wrong. */
    private void logRestore(BanLedger.RestoreReport restore) {
        for (Ban b : restore.restored()) {
            log.restoreBan(b.jail(), b.target().toString());
        }
        if (!restore.foreign().isEmpty()) {
            log.warning("portcullis.ledger", restore.foreign().size() + " ban(s) in the firewall were not written by us: "
                    + restore.foreign().stream().limit(10).map(b -> b.jail() + ":" + b.target()).toList());
        }
        if (restore.problem() != null) {
            log.error("portcullis.ledger", "restore: " + restore.problem());
        }
    }

    /** The firewall's settings now: those of the start, then of each reload that changed them ({@link Enforcer#adopt}). */
    private volatile EnforcerSettings enforcerInUse;

    private EnforcerSettings enforcerSettings(PortcullisSettings ps) {
        EnforcerSettings.BlockType bt = "reject".equalsIgnoreCase(ps.blockType()) || "REJECT".equalsIgnoreCase(ps.blockType())
                ? EnforcerSettings.BlockType.REJECT : EnforcerSettings.BlockType.DROP;
        return new EnforcerSettings(ps.table(), bt, ps.forward());
    }

    private Enforcer openEnforcer(PortcullisSettings ps) throws EnforcerException {
        Enforcer e = openFirewall(firewalls, enforcerSettings(ps));
        enforcerInUse = enforcerSettings(ps);
        return e;
    }

    /**
     * Opens the first firewall backend linked into the image that can run here (its module's
     * {@code provides}); the error says why none could, backend by backend.
     */
    public static Enforcer openFirewall(Iterable<EnforcerProvider> providers, EnforcerSettings settings) throws EnforcerException {
        List<String> why = new ArrayList<>();
        for (EnforcerProvider p : providers) {
            String reason = p.unavailableReason();
            if (reason == null) {
                return p.open(settings);
            }
            why.add(p.name() + ": " + reason);
        }
        throw new EnforcerException("open firewall", 0, why.isEmpty()
                ? "no firewall backend is linked into this image" : "no firewall backend can run here (" + String.join("; ", why) + ")");
    }

    private JailEngine newEngine(ConfigSnapshot s) {
        EngineSettings es = EngineSettings.of(s.settings().maxEntries()).withKernelExpires(enforcer.name().equals("nftables"));
        if (s.settings().recidive() != null) {
            es = es.withRecidive(ips.engine.RecidivePolicy.standard(s.settings().recidive()));
        }
        return new JailEngine(es, s.policies(), ledger, enforcer);
    }

    /** The future's value; its failure rethrown as it was thrown when it is an {@code X}. */
    private static <T, X extends Exception> T join(java.util.concurrent.CompletableFuture<T> f, Class<X> checked) throws X {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException ex) {
            if (checked.isInstance(ex.getCause())) {
                throw checked.cast(ex.getCause());
            }
            throw ex;
        }
    }

    /** A log source opened for a jail, with its matcher, not yet read. */
    private record OpenSource(JailDefinition jail, LogSource source, FilterMatcher matcher) {
        /**
         * Closes a source no reader ran on (a refused reload): it read nothing, so it saves
         * nothing, and a jail the reload would have started keeps no position it never reached.
         */
        void close(EventLog log) {
            try {
                source.close();
            } catch (IOException | RuntimeException e) {
                log.warning("fail2ban.filter", "[" + jail.name() + "] closing " + source.description() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Opens every jail's log sources and builds their matchers (no reader runs yet): all or none.
     * A failure names the jail, and the log paths or journal it could not open.
     */
    private List<OpenSource> openSources(ConfigSnapshot s) throws IOException {
        List<OpenSource> opened = new ArrayList<>();
        try {
            for (ConfigSnapshot.JailSetup setup : s.setups().values()) {
                for (LogSourceSpec spec : specs(s, setup.definition(), clock.getAsLong(), log.unwritableTarget())) {
                    opened.add(openSource(setup, spec));
                }
            }
        } catch (IOException | RuntimeException ex) {
            opened.forEach(o -> o.close(log));
            throw ex;
        }
        return opened;
    }

    /**
     * As {@link #openSources} for the running configuration after a refused reload, but source by
     * source: one that cannot be opened again is logged and left out, the others read on.
     */
    private List<OpenSource> reopenSources(ConfigSnapshot s) {
        List<OpenSource> opened = new ArrayList<>();
        for (ConfigSnapshot.JailSetup setup : s.setups().values()) {
            for (LogSourceSpec spec : specs(s, setup.definition(), clock.getAsLong(), log.unwritableTarget())) {
                try {
                    opened.add(openSource(setup, spec));
                } catch (IOException | RuntimeException ex) {
                    log.error("fail2ban.jail", ex.getMessage() + "; it is not read until a reload succeeds");
                }
            }
        }
        return opened;
    }

    /** One log source of a jail, opened, with its matcher. */
    private OpenSource openSource(ConfigSnapshot.JailSetup setup, LogSourceSpec spec) throws IOException {
        JailDefinition j = setup.definition();
        ZoneRules zone = zone(j);
        LogSource src;
        try {
            src = openSource(j, spec);
        } catch (IOException | RuntimeException ex) {
            String what = j.usesJournal() ? (spec.paths().isEmpty() ? "the journal" : "the journal " + String.join(" ", spec.paths()))
                    : "logpath " + String.join(", ", spec.paths());
            throw new IOException("jail '" + j.name() + "': cannot open " + what + ": " + ex.getMessage(), ex);
        }
        try {
            FilterMatcher kept = matcherToKeep(j, src);
            return new OpenSource(j, src, kept != null ? kept : setup.filter().newSourceMatcher(zone, clock));
        } catch (RuntimeException ex) {
            new OpenSource(j, src, null).close(log);
            throw ex;
        }
    }

    /** The sources the readers run on now, with their jails and matchers. */
    private volatile List<OpenSource> runningSources = List.of();
    /**
     * The matchers of the readers a reload stopped, by jail and what the source reads, until the
     * reload's sources are open ({@link #matcherToKeep}).
     */
    private volatile Map<String, OpenSource> stoppedSources = Map.of();

    /**
     * The matcher a reload stopped for the same jail and log, when the jail's filter, usedns and
     * logtimezone are as they were: the reader that follows goes on with its multi-line state
     * (maxlines buffers, fail2ban's mlfid cache of lines that share an id, such as sshd's
     * connection lines), as fail2ban's reload keeps a running jail's filter. Else null.
     */
    private FilterMatcher matcherToKeep(JailDefinition j, LogSource src) {
        OpenSource was = stoppedSources.get(j.name() + "\u0000" + src.description());
        if (was == null || !was.jail().filter().equals(j.filter()) || !java.util.Objects.equals(was.jail().usedns(), j.usedns())
                || !java.util.Objects.equals(was.jail().options().get("logtimezone"), j.options().get("logtimezone"))) {
            return null;
        }
        return was.matcher();
    }

    /** One reader per opened source, on engine {@code e}, started once all are built. */
    private List<SourceReader> startReaders(List<OpenSource> opened, JailEngine e) {
        runningSources = List.copyOf(opened);
        stoppedSources = Map.of(); // each kept matcher went to at most one new source
        List<SourceReader> started = new ArrayList<>();
        for (OpenSource o : opened) {
            JailDefinition j = o.jail();
            String dns = j.usedns() == null ? "warn" : j.usedns().strip().toLowerCase(java.util.Locale.ROOT);
            boolean resolve = dns.equals("yes") || dns.equals("warn");
            started.add(new SourceReader(j.name(), o.source(), o.matcher(), j.findTime() * 1000, clock, log, this, e,
                    resolve ? resolver() : null, dns.equals("warn")).readingTheJournal(j.usesJournal()));
            log.info("fail2ban.jail", "[" + j.name() + "] watching " + o.source().description());
            for (String missing : o.source().notFollowed()) {
                // fail2ban refuses such a jail ("Have not found any log file"); we read the file once it appears
                log.warning("fail2ban.jail", "[" + j.name() + "] " + missing);
            }
        }
        // the jails that no longer read our own log (a reload) stop getting copies of its lines
        log.keepOwnLinesFor(opened.stream().filter(o -> o.source() instanceof ips.app.ops.OwnLogSource)
                .map(o -> o.jail().name()).toList());
        started.forEach(SourceReader::start);
        return List.copyOf(started);
    }

    /** How the resolver looks names up: the system's resolver, or a test's. */
    private java.util.function.Function<String, List<ips.api.IpAddress>> dnsLookup = HostResolver::systemLookup;

    /** Tests: look names up with {@code lookup} (before the first jail with usedns starts). */
    void dnsLookup(java.util.function.Function<String, List<ips.api.IpAddress>> lookup) {
        this.dnsLookup = lookup;
    }

    /** The daemon's one DNS resolver (usedns = yes|warn), started on first need. */
    private synchronized HostResolver resolver() {
        if (resolver == null) {
            resolver = new HostResolver(dnsLookup, clock, (name, reason) -> log.warning("fail2ban.ipdns",
                    ips.filter.PyQuote.dnsUnresolvedWarning(name, reason)));
        }
        return resolver;
    }

    /** The zone of dates without one: the jail's {@code logtimezone}, else the system's. */
    private static ZoneRules zone(JailDefinition j) throws IOException {
        String tz = j.options().get("logtimezone");
        if (tz == null || tz.isBlank()) {
            return TimeZones.system();
        }
        try {
            return TimeZones.parse(tz.strip());
        } catch (DatePatternException e) {
            throw new IOException("jail '" + j.name() + "': logtimezone: " + e.getMessage(), e);
        }
    }

    /**
     * A jail's log sources: the journal, or its files by {@code head}/{@code tail}; a logpath that
     * is {@code ownLog} (the logtarget this daemon could not open, or null) gets a source of its
     * own, which {@link #openSource(JailDefinition, LogSourceSpec)} makes one of our own log lines.
     */
    private static List<LogSourceSpec> specs(ConfigSnapshot s, JailDefinition j, long nowMillis, String ownLog) {
        Path state = s.settings().stateDir().resolve("sources").resolve(j.name());
        if (j.usesJournal()) {
            // filtersystemd.py: without a saved cursor, start at now - findtime
            long since = Math.max(1, nowMillis - j.findTime() * 1000);
            return List.of(new LogSourceSpec(j.name(), j.journalPaths(), j.filter().journalmatch(), LogSourceSpec.Start.TAIL,
                    state, since, null, j.journalFlags()));
        }
        List<String> tail = new ArrayList<>();
        List<String> head = new ArrayList<>();
        boolean own = false;
        for (LogPath p : j.logPaths()) {
            if (isOwnLog(p.glob(), ownLog)) {
                own = true;
            } else {
                (p.tail() ? tail : head).add(p.glob());
            }
        }
        List<LogSourceSpec> out = new ArrayList<>();
        if (own) {
            out.add(new LogSourceSpec(j.name(), List.of(ownLog), List.of(), LogSourceSpec.Start.TAIL, null));
        }
        if (!tail.isEmpty()) {
            out.add(new LogSourceSpec(j.name(), tail, List.of(), LogSourceSpec.Start.TAIL, state, LogSourceSpec.NO_SINCE,
                    j.logEncoding()));
        }
        if (!head.isEmpty()) {
            out.add(new LogSourceSpec(j.name(), head, List.of(), LogSourceSpec.Start.HEAD, state.resolveSibling(j.name() + ".head"),
                    LogSourceSpec.NO_SINCE, j.logEncoding()));
        }
        return out;
    }

    private LogSource openSource(JailDefinition j, LogSourceSpec spec) throws IOException {
        if (!j.usesJournal() && spec.paths().size() == 1 && isOwnLog(spec.paths().get(0), log.unwritableTarget())) {
            return log.ownLines(j.name());
        }
        if (j.usesJournal() && spec.paths().isEmpty() && readsFail2banService(spec.journalMatch())) {
            return log.ownLines(j.name(), FAIL2BAN_JOURNAL);
        }
        String backend = j.usesJournal() ? "systemd" : "file";
        List<String> why = new ArrayList<>();
        for (LogSourceProvider p : logSources) {
            if (p.backend().equals(backend)) {
                String reason = p.unavailableReason();
                if (reason == null) {
                    return p.open(spec);
                }
                why.add(reason);
            }
        }
        throw new IOException("backend " + j.backend() + " needs the '" + backend
                + "' log source, which " + (why.isEmpty() ? "is not linked into this image" : "cannot run: " + String.join("; ", why)));
    }

    /** What the status of a jail on fail2ban.service's journal shows it reads ({@link #readsFail2banService}). */
    static final String FAIL2BAN_JOURNAL = "this daemon's own log (for the journal of fail2ban.service)";

    /**
     * The journalmatch selects fail2ban.service's entries ({@code _SYSTEMD_UNIT=fail2ban.service},
     * as fail2ban's recidive filter has it): on the local journal that is the service Portcullis
     * replaces (the unit conflicts with it), so the jail reads this daemon's own log lines
     * instead. A journal path (other hosts' journals) is read as it is.
     */
    public static boolean readsFail2banService(List<String> journalMatch) {
        for (String line : journalMatch) {
            for (String term : line.strip().split("\\s+")) {
                if (term.equals("_SYSTEMD_UNIT=fail2ban.service")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code logpath} names {@code ownLog}, the logtarget this daemon could not open (null when it writes its logtarget). */
    private static boolean isOwnLog(String logpath, String ownLog) {
        return ownLog != null && Path.of(logpath).toAbsolutePath().normalize().toString().equals(ownLog);
    }

    /**
     * A jail that reads the logtarget this daemon could not write (fail2ban's recidive jail on
     * /var/log/fail2ban.log, under the packaged service's user) reads this daemon's own log lines
     * instead ({@link EventLog#ownLines}): say so, since the file itself stays as it was.
     */
    private void sayJailsReadingOurLog(ConfigSnapshot s) {
        for (ConfigSnapshot.JailSetup setup : s.setups().values()) {
            JailDefinition j = setup.definition();
            if (j.usesJournal() && j.journalPaths().isEmpty() && readsFail2banService(j.filter().journalmatch())) {
                log.info("portcullis.config", "jail '" + j.name() + "' reads the journal of fail2ban.service, which Portcullis"
                        + " replaces: it reads this daemon's own log lines instead, from this start on (DEBUG lines left out)");
            }
        }
        String target = log.unwritableTarget();
        if (target == null) {
            return;
        }
        for (JailDefinition j : s.jails().jails()) {
            if (s.setups().containsKey(j.name()) && !j.usesJournal()
                    && j.logPaths().stream().anyMatch(p -> isOwnLog(p.glob(), target))) {
                log.info("portcullis.config", "jail '" + j.name() + "' reads " + target + ", which this daemon cannot"
                        + " write: it reads this daemon's own log lines instead, from this start on (DEBUG lines left out)");
            }
        }
    }

    /**
     * fail2ban.conf's {@code loglevel} as a reload finds it (turning DEBUG on or off, as operators do
     * to look into a problem); a changed {@code logtarget} is said to need a restart.
     */
    private void applyLogLevel(ConfigSnapshot next) {
        boolean debug = "DEBUG".equalsIgnoreCase(next.fail2ban().logLevel().strip());
        log.setDebug(debug);
        ips.app.ops.EventLoggerFinder.use(log, debug);
        String before = snapshotAtStart == null ? null : snapshotAtStart.fail2ban().logTarget();
        String now = next.fail2ban().logTarget();
        if (before != null && !before.strip().equals(now.strip())) {
            log.warning("portcullis.config", "fail2ban.conf logtarget is now " + now + ": the log goes on to "
                    + before + " until Portcullis is restarted");
        }
    }

    /** How the firewall blocks, for the reload's message: "drop by default, forward chain on". */
    private static String describe(EnforcerSettings es) {
        return es.blockType().name().toLowerCase(java.util.Locale.ROOT) + " by default, forward chain "
                + (es.forward() ? "on" : "off");
    }

    /**
     * portcullis.conf's settings a reload cannot apply (the table, the control socket and its
     * group, the state directory, the ledger, the metrics endpoint): each that changed since the
     * start is said once per reload, with what stays in use until a restart. The block type,
     * forward chain, memory ceiling and native recidive are applied by the reload itself.
     */
    private void sayWhatWaitsForRestart(PortcullisSettings now) {
        if (snapshotAtStart == null) {
            return;
        }
        PortcullisSettings was = snapshotAtStart.settings();
        List<String> waiting = new ArrayList<>();
        restartNeeded(waiting, "table", was.table(), now.table());
        restartNeeded(waiting, "socket", was.socket(), now.socket());
        restartNeeded(waiting, "socket.group", was.socketGroup(), now.socketGroup());
        restartNeeded(waiting, "statedir", was.stateDir(), now.stateDir());
        restartNeeded(waiting, "ledger", was.ledger(), now.ledger());
        restartNeeded(waiting, "metrics", was.metricsHost() == null ? null : was.metricsHost() + ":" + was.metricsPort(),
                now.metricsHost() == null ? null : now.metricsHost() + ":" + now.metricsPort());
        for (String w : waiting) {
            log.warning("portcullis.config", w);
        }
    }

    /** Adds to {@code out} the line for setting {@code key} when it changed from {@code was} to {@code now}. */
    private static void restartNeeded(List<String> out, String key, Object was, Object now) {
        if (!java.util.Objects.equals(was, now)) {
            out.add("portcullis.conf " + key + " is now " + (now == null ? "off" : now) + ": "
                    + (was == null ? "off" : was) + " stays in use until Portcullis is restarted");
        }
    }

    /** Commits pending bans: ledger, then one firewall batch (the engine logs each Ban line), then one fsync. */
    void commit(JailEngine e) {
        e.commit();
    }

    /** {@link #commit(JailEngine)}, leaving the fsync to a later commit unless {@code sync}. */
    void commit(JailEngine e, boolean sync) {
        e.commit(sync);
    }

    private void tickLoop() {
        long watchdogEvery = notifier.watchdogIntervalMillis() > 0 ? notifier.watchdogIntervalMillis() / 2 : Long.MAX_VALUE;
        long lastWatchdog = 0;
        while (running) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException ex) {
                return;
            }
            try {
                // Under the lifecycle lock, as reload and close: the engine ticked is the running
                // one, never one a reload has just replaced (its expiries and restores would name
                // jails the firewall has dropped) or one close has closed. A reload or a stop waits
                // for a tick at most (its ignore-list refresh may look up names); the readers never do.
                synchronized (lifecycle) {
                    if (!running) {
                        return;
                    }
                    JailEngine e = engine;
                    verifyFirewall(e);
                    e.tick(clock.getAsLong());
                    if (e.pendingCount() > 0) {
                        commit(e);
                    }
                }
                // what the tick logged ("Unban" lines of bans that ran out) goes out now, not with the
                // next lines a reader finds: a quiet log would keep them back
                log.flush();
                log.reopen(false); // a logtarget file that logrotate moved: write to the new one
                long now = clock.getAsLong();
                if (now - lastWatchdog >= watchdogEvery) {
                    notifier.watchdog();
                    lastWatchdog = now;
                }
            } catch (RuntimeException ex) {
                log.error("portcullis.server", "periodic work failed: " + ex);
            }
        }
    }

    /** Re-applies the ledger's bans when the firewall lost its state (someone flushed the ruleset). */
    private void verifyFirewall(JailEngine e) {
        synchronized (ledger) { // the engine's lock: no commit between the check and the restore
            try {
                long g = enforcer.verifyScaffold();
                if (g != scaffoldGeneration) {
                    scaffoldGeneration = g;
                    BanLedger.RestoreReport r = e.restore();
                    log.warning("portcullis.server", "the firewall lost our table (nft flush ruleset?); re-created it and re-applied "
                            + r.restored().size() + " ban(s) from the ledger");
                }
            } catch (EnforcerException ex) {
                log.error("portcullis.server", "checking the firewall failed: " + ex.getMessage());
            }
        }
    }

    /**
     * Re-reads the configuration, all or nothing: a tree that cannot be read, a log source that
     * cannot be opened or a layout the firewall refuses is refused with its error (jail, file and
     * line where known), and the running configuration, its readers and every ban stay.
     *
     * <p>Order: everything that can fail for a reason in the new configuration comes before what
     * cannot be undone. (1) Read and compile the tree. (2) Stop the readers: each saves its
     * position where it stopped, so the new sources of the same logs resume exactly there, no line
     * lost or read twice (a source opened while the old one still read would start from the last
     * periodic save, seconds behind). (3) Open the new sources and build their matchers. (4) Under
     * the engine's lock: the old engine's last commit (no reader runs, so nothing is decided in a
     * jail after the scaffold drops it), the scaffold, the new engine and the swap. If (3) or (4)'s
     * scaffold fails, what was opened is closed and the running configuration's sources are opened
     * again: they resume from the positions saved in (2).
     *
     * <p>Jails come and go as fail2ban's jail stop and start: a jail no longer enabled loses its
     * firewall state in the scaffold (its bans leave the firewall) and keeps its bans in the
     * ledger, where they neither count as active nor get an "Unban" line when they run out; a
     * jail enabled again, or for the first time, gets its unexpired ledger bans back with what is
     * left of their time, as at start.
     */
    public String reload() throws ConfigSnapshot.InvalidConfigException, EnforcerException, IOException {
        return reload(null);
    }

    /**
     * As {@link #reload()}, for one jail when {@code jail} is not null (fail2ban-client's {@code
     * reload JAIL}): that jail's section is read anew (started, changed, or stopped when it is no
     * longer enabled), every other jail and portcullis.conf stay as they run, and an error
     * elsewhere in the tree (another jail's filter that does not compile too) does not stop it.
     */
    public String reload(String jail) throws ConfigSnapshot.InvalidConfigException, EnforcerException, IOException {
        synchronized (lifecycle) {
            ConfigSnapshot next = jail == null ? ConfigSnapshot.load(configDir, true)
                    : ConfigSnapshot.withJail(snapshot, ConfigSnapshot.load(configDir, false, jail), jail);
            for (String n : next.notices()) {
                log.warning("portcullis.config", n);
            }
            sayJailsReadingOurLog(next);
            log.info("fail2ban.server", jail == null ? "Reload all jails" : "Reload jail " + jail); // server.py reloadJails
            stopReaders();
            List<OpenSource> opened;
            try {
                opened = openSources(next);
            } catch (IOException | RuntimeException ex) {
                resumeReading();
                throw new ConfigSnapshot.InvalidConfigException(ex.getMessage(), ex);
            }
            JailEngine previous = engine;
            List<String> running = previous.jailNames();
            List<String> listed = next.rules().stream().map(ips.api.JailRule::name).toList();
            List<String> stopped = running.stream().filter(j -> !listed.contains(j)).toList();
            List<String> started = listed.stream().filter(j -> !running.contains(j)).toList();
            JailEngine fresh = null;
            String changedFirewall = "";
            BanLedger.RestoreReport restore = null;
            boolean refused;
            int kept = 0;
            Exception notScaffolded = null;
            synchronized (ledger) {
                previous.commit();
                // Bans the firewall refused at that commit (for its own reasons: the layout is
                // still the old jails') would die with the old engine: the listed jails' ledger
                // bans are put back instead.
                refused = previous.pendingCount() > 0;
                EnforcerSettings was = enforcerInUse;
                EnforcerSettings wanted = enforcerSettings(next.settings());
                boolean adopted = was != null && !wanted.equals(was) && enforcer.adopt(wanted);
                try {
                    enforcer.scaffold(next.rules());
                    if (adopted) {
                        enforcerInUse = wanted;
                        changedFirewall = "; firewall now " + describe(wanted);
                    }
                } catch (EnforcerException | RuntimeException ex) {
                    notScaffolded = ex; // the scaffold is one batch: the firewall is as it was
                    if (adopted) {
                        enforcer.adopt(was);
                    }
                }
                if (notScaffolded == null) {
                    kept = (int) ledger.activeBans(clock.getAsLong()).stream().filter(b -> stopped.contains(b.jail())).count();
                    fresh = newEngine(next);
                    fresh.carryOver(previous); // failures counted so far, totals and counters
                    List<String> restoring = refused ? listed : started;
                    restore = restoring.isEmpty() ? null : fresh.restore(restoring);
                    engine = fresh;
                    snapshot = next;
                }
            }
            if (notScaffolded != null) {
                opened.forEach(o -> o.close(log));
                resumeReading();
                throw new ConfigSnapshot.InvalidConfigException("the firewall refused the new jails: " + notScaffolded.getMessage(),
                        notScaffolded);
            }
            if (restore != null) {
                logRestore(restore);
            }
            readers = startReaders(opened, fresh);
            sayReloaded(next, listed, running, started, stopped, jail);
            reloads++;
            notifier.status(statusLine());
            applyLogLevel(next);
            StringBuilder msg = new StringBuilder((jail == null ? "Reloaded: " : "Reloaded jail '" + jail + "': ")
                    + next.setups().size() + " jail(s) " + next.policies().stream().map(p -> p.name()).toList());
            if (!stopped.isEmpty()) {
                msg.append("; stopped ").append(stopped).append(": their bans left the firewall, ").append(kept)
                        .append(" ban(s) kept in the ledger for when they are enabled again");
            }
            if (!started.isEmpty()) {
                msg.append("; started ").append(started).append(": ")
                        .append(restore.restored().stream().filter(b -> started.contains(b.jail())).count())
                        .append(" ban(s) restored from the ledger");
            }
            if (refused) {
                msg.append("; bans the firewall had refused before the reload re-applied from the ledger");
            }
            msg.append(changedFirewall);
            sayWhatWaitsForRestart(next.settings());
            log.info("portcullis.server", msg.toString());
            return msg.toString();
        }
    }

    /**
     * fail2ban's jail lines for a reload, in its order (the client's stream adds every jail, then
     * starts them; server.py's reloadJails then drops the jails left out): "Creating new jail" or
     * "Reload jail" for each listed jail the reload touches, then "Jail started" or "Jail
     * reloaded", then "Jail stopped" for each that is gone, and "Reload finished.". {@code only}:
     * the one jail a {@code reload JAIL} touches, or null for all.
     */
    private void sayReloaded(ConfigSnapshot next, List<String> listed, List<String> running, List<String> started,
            List<String> stopped, String only) {
        List<String> touched = listed.stream().filter(j -> only == null || j.equals(only)).toList();
        for (String j : touched) {
            if (started.contains(j)) {
                log.info("fail2ban.jail", "Creating new jail " + PyRepr.str(j));
                saySettings(next, j);
            } else if (running.contains(j)) {
                log.info("fail2ban.server", "Reload jail " + PyRepr.str(j));
                saySettings(next, j);
            }
        }
        for (String j : touched) {
            if (started.contains(j)) {
                log.info("fail2ban.jail", "Jail " + PyRepr.str(j) + " started");
            } else if (running.contains(j)) {
                log.info("fail2ban.server", "Jail " + PyRepr.str(j) + " reloaded");
            }
        }
        stopped.forEach(j -> log.info("fail2ban.jail", "Jail " + PyRepr.str(j) + " stopped"));
        log.info("fail2ban.server", "Reload finished.");
    }

    /** fail2ban's lines for a jail's settings ({@link JailSettingsLines}), as its server sets them. */
    private void saySettings(ConfigSnapshot s, String jail) {
        ConfigSnapshot.JailSetup setup = s.setups().get(jail);
        if (setup != null) {
            for (JailSettingsLines.Line l : JailSettingsLines.of(setup.definition())) {
                log.info(l.logger(), l.message());
            }
        }
    }

    /**
     * At start: lifts what the firewall still holds, from an earlier run, for jails the ledger has
     * bans of but that are not enabled now ({@link Enforcer#liftLeftovers}). Not fatal: the jails
     * that run are unaffected, so a refusal is logged and the start goes on.
     */
    private void liftLeftovers(java.util.Set<String> notEnabled) {
        if (notEnabled.isEmpty()) {
            return;
        }
        try {
            int lifted = enforcer.liftLeftovers(notEnabled);
            if (lifted > 0) {
                log.info("portcullis.server", "lifted the firewall's bans of " + lifted + " jail(s) no longer enabled "
                        + notEnabled + "; the ledger keeps them for when a jail runs again");
            }
        } catch (EnforcerException | RuntimeException e) {
            log.warning("portcullis.server", "cannot lift the firewall's bans of jails no longer enabled " + notEnabled
                    + ": " + e.getMessage());
        }
    }

    /**
     * Stops every reader, all at once (a waiting poll ends at once: {@link ips.api.LogSource#stopWaiting}),
     * each saving its position.
     */
    private void stopReaders() {
        List<SourceReader> old = readers;
        readers = List.of();
        old.forEach(SourceReader::requestStop);
        old.forEach(SourceReader::stop);
        // their threads are out: the matchers may go to the reload's readers of the same logs
        Map<String, OpenSource> stopped = new java.util.HashMap<>();
        for (OpenSource o : runningSources) {
            stopped.put(o.jail().name() + "\u0000" + o.source().description(), o);
        }
        runningSources = List.of();
        stoppedSources = stopped;
    }

    /**
     * After a refused reload: the running configuration's readers again, on the running engine,
     * each resuming from the position its predecessor saved when the reload stopped it.
     */
    private void resumeReading() {
        readers = startReaders(reopenSources(snapshot), engine);
    }

    /** fail2ban.conf's logtarget as the daemon opened it at start (a reload cannot move the log). */
    String logTargetInUse() {
        ConfigSnapshot s = snapshotAtStart != null ? snapshotAtStart : snapshot;
        return s == null ? "STDERR" : s.fail2ban().logTarget();
    }

    public ConfigSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Runs a control verb that changes bans ({@code ban}, {@code unban}) on the running engine with
     * no reload, tick or stop in between: the engine it gets is the one whose jails the firewall
     * was scaffolded for, and it is not closed. A verb that arrives while the daemon stops is
     * refused with {@link IllegalArgumentException} (the control channel's error reply).
     */
    public <T> T withRunningEngine(java.util.function.Function<JailEngine, T> verb) {
        synchronized (lifecycle) {
            if (!running) {
                throw new IllegalArgumentException("the daemon is stopping");
            }
            return verb.apply(engine);
        }
    }

    public JailEngine engine() {
        return engine;
    }

    public BanLedger ledger() {
        return ledger;
    }

    public List<SourceReader> readers() {
        return readers;
    }

    public long reloads() {
        return reloads;
    }

    public EventLog log() {
        return log;
    }

    /**
     * Active bans by jail, from the ledger, of the running jails only: the ledger also keeps the
     * bans of jails a reload stopped (or that are no longer enabled since a restart), which are
     * not in the firewall.
     */
    public Map<String, List<Ban>> activeBans() {
        Map<String, List<Ban>> byJail = new TreeMap<>();
        synchronized (ledger) { // the engine's lock, under which reload swaps it: its jails and the ledger agree
            java.util.Set<String> running = java.util.Set.copyOf(engine.jailNames());
            for (Ban b : ledger.activeBans(clock.getAsLong())) {
                if (running.contains(b.jail())) {
                    byJail.computeIfAbsent(b.jail(), k -> new ArrayList<>()).add(b);
                }
            }
        }
        return byJail;
    }

    String statusLine() {
        int banned = 0;
        for (List<Ban> bans : activeBans().values()) {
            banned += bans.size();
        }
        return "jails " + snapshot.setups().size() + ", banned " + banned + ", failures " + engine.failures();
    }

    /** Requests a stop from any thread (the control socket's {@code stop}). */
    public void requestStop() {
        Thread.ofPlatform().name("stop").start(this::close);
    }

    /** Blocks until {@link #close} has run. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops reading, commits what is pending, closes the ledger; bans stay in the firewall. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (!running) {
                stopped.countDown();
                return;
            }
            running = false;
            notifier.stopping();
            stopReaders();
            JailEngine stopping = engine;
            if (stopping != null) {
                stopping.jailNames().forEach(j -> log.info("fail2ban.jail", "Jail " + PyRepr.str(j) + " stopped"));
            }
            if (ticker != null) {
                ticker.interrupt();
            }
            JailEngine e = engine;
            if (e != null) {
                e.close();
            }
            if (enforcer != null) {
                enforcer.close();
            }
            synchronized (this) {
                if (resolver != null) {
                    resolver.close();
                }
            }
            log.info("portcullis.server", "Portcullis stopped; bans stay in the firewall and expire there"
                    + " (portcullis remove-firewall takes them out)");
            stopped.countDown();
        }
    }
}
