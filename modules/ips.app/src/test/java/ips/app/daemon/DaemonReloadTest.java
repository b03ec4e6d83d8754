package ips.app.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.Ban;
import ips.api.Enforcer;
import ips.api.EnforcerException;
import ips.api.EnforcerProvider;
import ips.api.EnforcerSettings;
import ips.api.IpPrefix;
import ips.api.JailRule;
import ips.api.LineSink;
import ips.api.LogLine;
import ips.api.LogSource;
import ips.api.LogSourceProvider;
import ips.api.LogSourceSpec;
import ips.api.ServiceNotifier;
import ips.app.control.ControlReply;
import ips.app.ops.EventLog;
import ips.engine.JailEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reload} is all or nothing, and a reload that goes through reads every line once: the real
 * {@link Daemon} (configuration, engine, ledger, readers) with a firewall that keeps bans in memory
 * and a file source that keeps its position as the real one does (loaded when it opens, saved when
 * it stops).
 */
@Timeout(60)
class DaemonReloadTest {
    private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final EventLog log = new EventLog(out);
    private final MemoryFirewall firewall = new MemoryFirewall();
    private final PositionedFiles files = new PositionedFiles();
    private final QuietJournal journal = new QuietJournal();
    private Daemon daemon;

    /** The firewall as nftables behaves for our purposes: one set per scaffolded jail, whole batches. */
    private static final class MemoryFirewall implements Enforcer, EnforcerProvider {
        final List<List<String>> scaffolds = new CopyOnWriteArrayList<>();
        final Map<String, Set<IpPrefix>> sets = new ConcurrentHashMap<>();
        final AtomicInteger refusedBatches = new AtomicInteger();
        volatile boolean refuseNextScaffold;
        /** Refuse every ban until the next scaffold (a firewall in trouble that a reload repairs). */
        volatile boolean refuseBansUntilScaffold;

        @Override
        public String name() {
            return "memory";
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        /** The settings it was opened with, then each one it adopted. */
        final List<EnforcerSettings> settings = new CopyOnWriteArrayList<>();

        @Override
        public Enforcer open(EnforcerSettings settings) {
            this.settings.add(settings);
            return this;
        }

        /** As nftables: the block type and forward chain change, the table does not. */
        @Override
        public boolean adopt(EnforcerSettings next) {
            if (!next.table().equals(settings.getLast().table())) {
                return false;
            }
            settings.add(next);
            return true;
        }

        @Override
        public void scaffold(List<JailRule> jails) throws EnforcerException {
            if (refuseNextScaffold) {
                refuseNextScaffold = false;
                throw new EnforcerException("scaffold", 22, "Invalid argument");
            }
            refuseBansUntilScaffold = false;
            List<String> names = jails.stream().map(JailRule::name).toList();
            sets.keySet().retainAll(names);
            names.forEach(n -> sets.computeIfAbsent(n, k -> ConcurrentHashMap.newKeySet()));
            scaffolds.add(names);
        }

        @Override
        public void ban(Collection<Ban> bans) throws EnforcerException {
            if (refuseBansUntilScaffold) {
                throw new EnforcerException("ban", 105, "No buffer space available");
            }
            for (Ban b : bans) {
                if (!sets.containsKey(b.jail())) {
                    refusedBatches.incrementAndGet();
                    throw new EnforcerException("ban", 2, "No such file or directory (no set for jail " + b.jail() + ")");
                }
            }
            bans.forEach(b -> sets.get(b.jail()).add(b.target()));
        }

        @Override
        public void unban(String jail, Collection<IpPrefix> targets) {
            Set<IpPrefix> s = sets.get(jail);
            if (s != null) {
                s.removeAll(targets);
            }
        }

        @Override
        public List<Ban> list() {
            return List.of();
        }

        @Override
        public void flush(String jail) {}

        /** The jails each {@link #liftLeftovers} call was given. */
        final List<Set<String>> leftoversLifted = new CopyOnWriteArrayList<>();

        @Override
        public int liftLeftovers(Collection<String> jails) {
            leftoversLifted.add(Set.copyOf(jails));
            return jails.size();
        }

        @Override
        public void close() {}

        boolean banned(String jail, String address) {
            Set<IpPrefix> s = sets.get(jail);
            return s != null && s.contains(IpPrefix.tryParse(address));
        }
    }

    /**
     * Files followed from a byte position which, as the real file source's, is read from the state
     * directory when the source opens and written there when it is checkpointed or closed: a source
     * opened while another still reads the same file starts behind it. Paths under a directory named
     * {@code forbidden} cannot be opened.
     */
    private static final class PositionedFiles implements LogSourceProvider {
        final Set<Path> open = ConcurrentHashMap.newKeySet();
        final AtomicInteger openedTwice = new AtomicInteger();
        final List<String> opened = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();

        @Override
        public String backend() {
            return "file";
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public LogSource open(LogSourceSpec spec) throws IOException {
            Path file = Path.of(spec.paths().getFirst());
            if (file.toString().contains("/forbidden/")) {
                throw new AccessDeniedException(file.toString());
            }
            return new PositionedFile(this, spec.jail(), file, spec.stateDir().resolve("position"), spec.encoding());
        }
    }

    private static final class PositionedFile implements LogSource {
        final PositionedFiles all;
        final String jail;
        final Path file;
        final Path state;
        /** The spec's logencoding, as the real file source decodes with it. */
        final java.nio.charset.Charset encoding;
        long position;

        PositionedFile(PositionedFiles all, String jail, Path file, Path state, java.nio.charset.Charset encoding)
                throws IOException {
            this.encoding = encoding;
            this.all = all;
            this.jail = jail;
            this.file = file;
            this.state = state;
            if (!all.open.add(file)) {
                all.openedTwice.incrementAndGet();
            }
            all.opened.add(jail);
            position = Files.exists(state) ? Long.parseLong(Files.readString(state).strip())
                    : Files.exists(file) ? Files.size(file) : 0;
        }

        @Override
        public List<String> notFollowed() {
            return Files.exists(file) ? List.of() : List.of(file + ": no such file; read once it appears");
        }

        @Override
        public String description() {
            return "file " + file;
        }

        @Override
        public int poll(LineSink sink, long timeoutMillis) throws IOException, InterruptedException {
            ByteBuffer b;
            if (!Files.exists(file)) {
                Thread.sleep(Math.min(timeoutMillis, 5));
                return 0;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                b = ByteBuffer.allocate((int) Math.max(0, ch.size() - position));
                ch.read(b, position);
            }
            byte[] bytes = b.array();
            int n = 0;
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    sink.accept(LogLine.ofFile(file.toString(), new String(bytes, start, i - start, encoding)));
                    position += i + 1 - start;
                    start = i + 1;
                    n++;
                }
            }
            if (n == 0) {
                Thread.sleep(Math.min(timeoutMillis, 5));
            }
            return n;
        }

        @Override
        public void checkpoint() throws IOException {
            Files.createDirectories(state.getParent());
            Files.writeString(state, Long.toString(position));
        }

        @Override
        public void close() throws IOException {
            checkpoint();
            all.open.remove(file);
            all.closed.add(jail);
        }
    }

    /** backend = systemd: a journal that stays silent. */
    private static final class QuietJournal implements LogSourceProvider {
        /** What the daemon asked of the journal, per jail. */
        final Map<String, LogSourceSpec> specs = new ConcurrentHashMap<>();

        @Override
        public String backend() {
            return "systemd";
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public LogSource open(LogSourceSpec spec) {
            specs.put(spec.jail(), spec);
            return new LogSource() {
                @Override
                public String description() {
                    return "journal of " + spec.jail();
                }

                @Override
                public int poll(LineSink sink, long timeoutMillis) throws InterruptedException {
                    Thread.sleep(Math.min(timeoutMillis, 5));
                    return 0;
                }

                @Override
                public void checkpoint() {}

                @Override
                public void close() {}
            };
        }
    }

    private static String jail(String name, Path logpath, String... more) {
        return "[" + name + "]\nenabled = true\nlogpath = " + logpath + "\n"
                + "failregex = sshd\\[\\d+\\]: Failed password for \\S+ from <HOST>\n" + String.join("\n", more) + "\n";
    }

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("portcullis.conf"), "[portcullis]\nstatedir = " + dir.resolve("state") + "\n");
        Files.createFile(dir.resolve("a.log"));
        Files.createFile(dir.resolve("b.log"));
        Files.writeString(dir.resolve("jail.conf"), """
                [DEFAULT]
                banaction = nftables
                action = %(banaction)s[port=ssh]
                logtimezone = UTC
                maxretry = 3
                findtime = 10m
                bantime = 1h
                usedns = no
                ignoreself = false
                """ + jail("a", dir.resolve("a.log")));
        daemon = new Daemon(dir, log, ServiceNotifier.none(), List.of(firewall), List.of(files, journal));
        daemon.start();
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private void local(String text) throws IOException {
        Files.writeString(dir.resolve("jail.local"), text);
    }

    private static void append(Path log, String... addresses) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String a : addresses) {
            sb.append(SYSLOG.format(Instant.now())).append(" host sshd[42]: Failed password for root from ").append(a)
                    .append(" port 22 ssh2\n");
        }
        Files.writeString(log, sb.toString(), StandardOpenOption.APPEND);
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** How many times each address was found, from the log's "Found" lines. */
    private Map<String, Integer> found() {
        log.flush();
        Map<String, Integer> n = new java.util.HashMap<>();
        Matcher m = Pattern.compile("\\] Found (\\S+) - ").matcher(out.toString(StandardCharsets.UTF_8));
        while (m.find()) {
            n.merge(m.group(1), 1, Integer::sum);
        }
        return n;
    }

    /** The running jails read on: three failures after the refused reload ban, each found once. */
    private void assertStillReadingAndBanning(String attacker) throws Exception {
        append(dir.resolve("a.log"), attacker, attacker, attacker);
        await(() -> firewall.banned("a", attacker), "the running jail bans " + attacker + " after the refused reload");
        assertEquals(3, found().get(attacker), "each line once");
        assertEquals(0, files.openedTwice.get(), "no file was opened while another source still read it");
    }

    @Test
    void jailStatusEndsItsFilterPartAsFail2banDoesWithTheFilesOrTheJournalMatches() throws Exception {
        local("""
                [j]
                enabled = true
                backend = systemd
                journalmatch = _SYSTEMD_UNIT=sshd.service + _COMM=sshd
                               _SYSTEMD_UNIT=ssh.service
                failregex = Failed password for \\S+ from <HOST>
                """);
        daemon.reload();
        ControlCommands control = new ControlCommands(daemon);
        String a = control.handle(List.of("status", "a")).body();
        assertTrue(a.contains("|  `- File list:\t" + dir.resolve("a.log") + "\n`- Actions\n"), a);
        String j = control.handle(List.of("status", "j")).body();
        assertTrue(j.contains("|  `- Journal matches:\t_SYSTEMD_UNIT=sshd.service + _COMM=sshd + _SYSTEMD_UNIT=ssh.service\n"), j);
        append(dir.resolve("a.log"), "192.0.2.55", "192.0.2.55", "192.0.2.55");
        await(() -> firewall.banned("a", "192.0.2.55"), "a bans 192.0.2.55");
        assertEquals("192.0.2.55\n", control.handle(List.of("get", "a", "banip")).body(), "fail2ban-client's get JAIL banip");
        assertEquals("{\"banip\":[\"192.0.2.55\"]}\n", control.handle(List.of("get", "a", "banip", "--json")).body());
        // the rest of get as fail2ban-client's Beautifier prints it
        assertEquals("Current monitored log file(s):\n`- " + dir.resolve("a.log") + "\n",
                control.handle(List.of("get", "a", "logpath")).body());
        assertEquals("Current match filter:\n_SYSTEMD_UNIT=sshd.service + _COMM=sshd + _SYSTEMD_UNIT=ssh.service\n",
                control.handle(List.of("get", "j", "journalmatch")).body());
        assertEquals("No journal match filter set\n", control.handle(List.of("get", "a", "journalmatch")).body());
        // as fail2ban's server holds it, <HOST> expanded for usedns = no (fail2ban-client 1.0.2 prints this)
        assertEquals("The following regular expression are defined:\n`- [0]: Failed password for \\S+ from \\[?(?:(?:::f{4,6}:)?(?P<ip4>(?:\\d{1,3}\\.){3}\\d{1,3})|(?P<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):)))\\]?\n",
                control.handle(List.of("get", "j", "failregex")).body());
        assertEquals("No regular expression is defined\n", control.handle(List.of("get", "j", "ignoreregex")).body());
        assertEquals("Current date pattern set to: Default Detectors\n", control.handle(List.of("get", "j", "datepattern")).body());
        assertEquals("False\n", control.handle(List.of("get", "j", "ignoreself")).body());
        assertEquals("The jail a has the following actions:\nnftables\n", control.handle(List.of("get", "a", "actions")).body());
        assertEquals("3\n", control.handle(List.of("get", "j", "maxretry")).body());
        // the server's own settings: the log in use, the ledger as fail2ban's database
        assertEquals("Current logging level is 'INFO'\n", control.handle(List.of("get", "loglevel")).body());
        assertTrue(control.handle(List.of("get", "logtarget")).body().startsWith("Current logging target is:\n`- "));
        String db = control.handle(List.of("get", "dbfile")).body();
        assertTrue(db.equals("Database currently disabled\n") || db.startsWith("Current database file is:\n`- "), db);
        assertEquals("Server replied: pong\n", control.handle(List.of("ping")).body());
        String withTime = control.handle(List.of("get", "a", "banip", "--with-time")).body();
        assertTrue(withTime.matches("192\\.0\\.2\\.55 \t\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+ 3600 = "
                + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\n"), withTime);
        // fail2ban-client's set JAIL banip / unbanip
        assertEquals("1\n", control.handle(List.of("set", "a", "banip", "192.0.2.60")).body());
        assertTrue(firewall.banned("a", "192.0.2.60"));
        assertTrue(java.util.Set.of("192.0.2.55,192.0.2.60\n", "192.0.2.60,192.0.2.55\n")
                .contains(control.handle(List.of("get", "a", "banip", ",")).body()), "joined with the separator given");
        ips.app.control.ControlReply absent = control.handle(List.of("set", "a", "unbanip", "--report-absent", "192.0.2.61"));
        assertEquals(false, absent.ok());
        assertEquals("not banned: ['192.0.2.61']", absent.body());
        assertTrue(firewall.banned("a", "192.0.2.60"), "nothing lifted when one address is absent");
        assertEquals("0\n", control.handle(List.of("set", "j", "unbanip", "192.0.2.60")).body(), "another jail's ban stays");
        assertEquals("1\n", control.handle(List.of("set", "a", "unbanip", "192.0.2.60", "192.0.2.61")).body());
        assertTrue(!firewall.banned("a", "192.0.2.60"));
        assertTrue(firewall.banned("a", "192.0.2.55"), "only the addresses named");
        ips.app.control.ControlReply setting = control.handle(List.of("set", "a", "maxretry", "5"));
        assertEquals(false, setting.ok());
        assertTrue(setting.body().contains("change it and run reload"), setting.body());
    }

    @Test
    void aJailReadsItsFilesInItsLogencoding() throws Exception {
        // the failregex needs "josé": only a line read as ISO-8859-1 has it (as UTF-8, 0xE9 is U+FFFD)
        local("""
                [latin]
                enabled = true
                logpath = %s
                logencoding = latin-1
                failregex = sshd\\[\\d+\\]: Failed password for jos\u00e9 from <HOST>
                [utf]
                enabled = true
                logpath = %s
                failregex = sshd\\[\\d+\\]: Failed password for jos\u00e9 from <HOST>
                """.formatted(dir.resolve("latin.log"), dir.resolve("utf.log")));
        Files.createFile(dir.resolve("latin.log"));
        Files.createFile(dir.resolve("utf.log"));
        daemon.reload();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            line.writeBytes((SYSLOG.format(Instant.now()) + " host sshd[42]: Failed password for jos").getBytes(StandardCharsets.US_ASCII));
            line.write(0xE9);
            line.writeBytes(" from 192.0.2.77 port 22 ssh2\n".getBytes(StandardCharsets.US_ASCII));
        }
        Files.write(dir.resolve("latin.log"), line.toByteArray(), StandardOpenOption.APPEND);
        Files.write(dir.resolve("utf.log"), line.toByteArray(), StandardOpenOption.APPEND);
        await(() -> firewall.banned("latin", "192.0.2.77"), "latin bans 192.0.2.77");
        // the same failures in UTF-8 from another address: once utf bans it, it has read every line before
        StringBuilder utf8 = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            utf8.append(SYSLOG.format(Instant.now())).append(" host sshd[42]: Failed password for jos\u00e9 from 192.0.2.78 port 22 ssh2\n");
        }
        Files.writeString(dir.resolve("utf.log"), utf8, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        await(() -> firewall.banned("utf", "192.0.2.78"), "utf bans the UTF-8 lines");
        assertTrue(!firewall.banned("utf", "192.0.2.77"), "read as UTF-8 the Latin-1 line has no \u00e9");
        ControlCommands control = new ControlCommands(daemon);
        // the name as configured, as fail2ban-server answers (SameBansAsFail2banServerTest asks both)
        assertEquals("Current log encoding is set to:\nlatin-1\n", control.handle(List.of("get", "latin", "logencoding")).body());
        assertEquals("Current log encoding is set to:\nUTF-8\n", control.handle(List.of("get", "utf", "logencoding")).body());
    }

    @Test
    void aJournalJailReadsTheJournalDirectoryOrFilesItsBackendNames() throws Exception {
        local("""
                [remote]
                enabled = true
                backend = systemd[journalpath=%s]
                journalmatch = _COMM=sshd
                failregex = Failed password for \\S+ from <HOST>
                [local]
                enabled = true
                backend = systemd
                journalmatch = _COMM=sshd
                failregex = Failed password for \\S+ from <HOST>
                [user]
                enabled = true
                backend = systemd[journalflags=8]
                journalmatch = _COMM=sshd
                failregex = Failed password for \\S+ from <HOST>
                """.formatted(dir.resolve("remote")));
        daemon.reload();
        assertEquals(List.of(dir.resolve("remote").toString()), journal.specs.get("remote").paths(),
                "systemd-journal-remote's directory, as fail2ban's journalpath");
        assertEquals(List.of(), journal.specs.get("local").paths(), "the system journal");
        assertEquals(LogSourceSpec.DEFAULT_JOURNAL_FLAGS, journal.specs.get("local").journalFlags());
        assertEquals(8, journal.specs.get("user").journalFlags(), "fail2ban's journalflags, for sd_journal_open");
    }

    @Test
    void reloadTurnsDebugOnAndOffAsFail2banConfSaysAndTellsThatALogtargetChangeNeedsARestart() throws Exception {
        Files.writeString(dir.resolve("fail2ban.conf"), "[Definition]\nloglevel = DEBUG\nlogtarget = STDERR\n");
        daemon.reload();
        log.debug("test", "probe one");
        Files.writeString(dir.resolve("fail2ban.conf"), "[Definition]\nloglevel = INFO\nlogtarget = /var/log/elsewhere.log\n");
        daemon.reload();
        log.debug("test", "probe two");
        log.flush();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("probe one"), text);
        assertTrue(!text.contains("probe two"), text);
        assertTrue(text.contains("WARNING fail2ban.conf logtarget is now /var/log/elsewhere.log: the log goes on to STDERR"
                + " until Portcullis is restarted"), text);
    }

    @Test
    void reloadAppliesPortcullisConfsBlocktypeAndForwardAndSaysWhichSettingsWaitForARestart() throws Exception {
        String state = "statedir = " + dir.resolve("state") + "\n";
        Files.writeString(dir.resolve("portcullis.conf"), "[portcullis]\n" + state + "forward = true\nblocktype = reject\n");
        String answer = daemon.reload();
        assertEquals(new EnforcerSettings("portcullis", EnforcerSettings.BlockType.REJECT, true), firewall.settings.getLast());
        assertTrue(answer.contains("; firewall now reject by default, forward chain on"), answer);
        assertEquals(List.of("a"), firewall.scaffolds.getLast(), "adopted, then scaffolded");

        // a scaffold the firewall refuses leaves the settings as they were
        Files.writeString(dir.resolve("portcullis.conf"), "[portcullis]\n" + state + "forward = false\n");
        firewall.refuseNextScaffold = true;
        assertThrows(ConfigSnapshot.InvalidConfigException.class, () -> daemon.reload());
        assertEquals(new EnforcerSettings("portcullis", EnforcerSettings.BlockType.REJECT, true), firewall.settings.getLast());
        answer = daemon.reload();
        assertEquals(new EnforcerSettings("portcullis", EnforcerSettings.BlockType.DROP, false), firewall.settings.getLast());
        assertTrue(answer.contains("; firewall now drop by default, forward chain off"), answer);
        answer = daemon.reload();
        assertTrue(!answer.contains("firewall now"), "unchanged settings are not announced: " + answer);

        // what a reload cannot move: the table stays (nothing adopted), the others are said too
        int adopted = firewall.settings.size();
        Files.writeString(dir.resolve("portcullis.conf"), "[portcullis]\n" + state + "table = other\nforward = true\n"
                + "socket = " + dir.resolve("elsewhere.sock") + "\nmetrics = 127.0.0.1:9199\n");
        daemon.reload();
        assertEquals(adopted, firewall.settings.size(), "another table is not adopted, nor is forward with it");
        log.flush();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("WARNING portcullis.conf table is now other: portcullis stays in use until Portcullis is restarted"), text);
        assertTrue(text.contains("WARNING portcullis.conf socket is now " + dir.resolve("elsewhere.sock") + ": "), text);
        assertTrue(text.contains("WARNING portcullis.conf metrics is now 127.0.0.1:9199: off stays in use until"), text);
        assertStillReadingAndBanning("192.0.2.77");
    }

    @Test
    void aJailThatWouldLetAddressesInIsSkippedAtStartAndTheOthersRun() throws Exception {
        daemon.close();
        // jail.conf's pass2allow-ftp kind: its bans would be an allow list
        local("[allow]\nenabled = true\nlogpath = " + dir.resolve("b.log") + "\nfailregex = x <HOST>\nblocktype = RETURN\n");
        daemon = new Daemon(dir, log, ServiceNotifier.none(), List.of(firewall), List.of(files, journal));
        daemon.start();
        assertEquals(List.of("a"), firewall.scaffolds.getLast());
        log.flush();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("jail 'allow' skipped: blocktype RETURN"), out.toString(StandardCharsets.UTF_8));
        assertStillReadingAndBanning("192.0.2.78");
    }

    @Test
    void reloadOfAJailTakesFail2banClientsOptionsAndRefusesAJailThatDoesNotExist() throws Exception {
        ControlCommands control = new ControlCommands(daemon);
        ControlReply r = control.handle(List.of("reload", "nosuch"));
        assertEquals("Sorry but the jail 'nosuch' does not exist", r.body().strip(), "fail2ban-client's answer, nothing more");
        assertTrue(!r.ok());
        log.flush();
        assertTrue(!out.toString(StandardCharsets.UTF_8).contains("reload failed"), "not an error of the daemon's");
        assertEquals(List.of(List.of("a")), firewall.scaffolds, "nothing was reloaded");
        assertTrue(control.handle(List.of("reload", "--if-exists", "nosuch")).ok());
        assertEquals(1, firewall.scaffolds.size());
        assertTrue(!control.handle(List.of("reload", "--bogus")).ok());

        // a jail enabled on disk but not running yet may be named
        local(jail("b", dir.resolve("b.log")));
        assertTrue(control.handle(List.of("reload", "--restart", "b")).ok());
        assertEquals(List.of("a", "b"), firewall.scaffolds.getLast());

        append(dir.resolve("a.log"), "192.0.2.61", "192.0.2.61", "192.0.2.61");
        append(dir.resolve("b.log"), "192.0.2.62", "192.0.2.62", "192.0.2.62");
        await(() -> firewall.banned("a", "192.0.2.61") && firewall.banned("b", "192.0.2.62"), "both jails ban");
        r = control.handle(List.of("reload", "--unban", "b"));
        assertTrue(r.ok(), r.body());
        assertTrue(!firewall.banned("b", "192.0.2.62"), "--unban lifts the named jail's bans");
        assertTrue(firewall.banned("a", "192.0.2.61"), "and only that jail's");
        assertTrue(control.handle(List.of("reload", "--unban")).ok());
        assertTrue(!firewall.banned("a", "192.0.2.61"), "--unban without a jail lifts every jail's");
    }

    @Test
    void aJournalJailOnFail2banServiceReadsThisDaemonsOwnLogAndOneOnAJournalPathReadsThatJournal() throws Exception {
        String recidive = """
                [recidive]
                enabled = true
                backend = systemd
                journalmatch = _SYSTEMD_UNIT=fail2ban.service PRIORITY=5
                failregex = NOTICE\\s+\\[(?!recidive\\])(?:.*)\\]\\s+Ban\\s+<HOST>\\s*$
                maxretry = 1
                findtime = 1d
                bantime = 1w
                """;
        Files.createDirectories(dir.resolve("remote"));
        local(recidive + "[remote]\nenabled = true\nbackend = systemd[journalpath=" + dir.resolve("remote") + "]\n"
                + "journalmatch = _SYSTEMD_UNIT=fail2ban.service\nfailregex = Ban <HOST>\n");
        String answer = daemon.reload();
        assertTrue(answer.contains("3 jail(s) [a, recidive, remote]"), "in configuration order: " + answer);
        assertTrue(!journal.specs.containsKey("recidive"), "the local fail2ban.service is this daemon: not read from the journal");
        assertTrue(journal.specs.containsKey("remote"), "other hosts' journals are read as they are");
        log.flush();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("INFO    jail 'recidive' reads the journal of fail2ban.service,"
                + " which Portcullis replaces: it reads this daemon's own log lines instead"), out.toString(StandardCharsets.UTF_8));
        append(dir.resolve("a.log"), "192.0.2.71", "192.0.2.71", "192.0.2.71");
        await(() -> firewall.banned("a", "192.0.2.71"), "a bans");
        await(() -> firewall.banned("recidive", "192.0.2.71"), "recidive sees a's Ban line");
        ControlReply st = new ControlCommands(daemon).handle(List.of("status", "recidive"));
        assertTrue(st.body().contains("Total banned:\t1"), st.body());
    }

    @Test
    void reloadOfOneJailReadsOnlyItsSectionAndAnErrorElsewhereDoesNotStopIt() throws Exception {
        ControlCommands control = new ControlCommands(daemon);
        local(jail("b", dir.resolve("b.log")));
        assertTrue(control.handle(List.of("reload")).ok());
        assertEquals(List.of("a", "b"), firewall.scaffolds.getLast());

        // a and b both change, and jail c is broken: reload b takes b's change only
        local("[a]\nmaxretry = 5\n" + jail("b", dir.resolve("b.log"), "maxretry = 7")
                + "[c]\nenabled = true\nlogpath = " + dir.resolve("a.log") + "\nfilter = nosuch\n"
                + "[d]\nenabled = true\nlogpath = " + dir.resolve("a.log") + "\nfailregex = ( <HOST>\n");
        assertTrue(!control.handle(List.of("reload")).ok(), "the whole tree is refused: jails c and d are broken");
        assertThrows(ConfigSnapshot.InvalidConfigException.class, () -> ConfigSnapshot.load(dir, false),
                "jail d's failregex does not compile, which even a lenient read refuses");
        ControlReply r = control.handle(List.of("reload", "b", "--json"));
        assertTrue(r.ok() && r.body().contains("Reloaded jail 'b': 2 jail(s) [a, b]"), r.body());
        assertEquals("7\n", control.handle(List.of("get", "b", "maxretry")).body());
        assertEquals("3\n", control.handle(List.of("get", "a", "maxretry")).body(), "a runs as it did");
        // a notice about the jail itself is said: a typo elsewhere in its section
        local("[a]\nmaxretry = 5\n" + jail("b", dir.resolve("b.log"), "maxretry = 7", "maxmatches = many"));
        assertTrue(control.handle(List.of("reload", "b")).ok());
        log.flush();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("[b] wrong value for 'maxmatches': 'many' is not an integer"),
                out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("a", "b"), firewall.scaffolds.getLast());
        assertStillReadingAndBanning("192.0.2.81");

        // its own section broken: refused with its reason, b runs on
        local("[a]\nmaxretry = 5\n" + jail("b", dir.resolve("b.log"), "maxretry = 7", "bantime = 1x"));
        r = control.handle(List.of("reload", "b"));
        assertTrue(!r.ok() && r.body().contains("bantime"), r.body());
        assertEquals("7\n", control.handle(List.of("get", "b", "maxretry")).body());

        // no longer enabled: reload b stops it, a stays
        local("[b]\nenabled = false\nlogpath = " + dir.resolve("b.log") + "\n");
        assertTrue(control.handle(List.of("reload", "b")).ok());
        assertEquals(List.of("a"), firewall.scaffolds.getLast());
        assertEquals("3\n", control.handle(List.of("get", "a", "maxretry")).body());
    }

    /** The lines for jails that fail2ban writes at start, reload and stop, in its words and order. */
    @Test
    void jailsAreCreatedStartedReloadedAndStoppedInFail2bansWords() throws Exception {
        ControlCommands control = new ControlCommands(daemon);
        local(jail("b", dir.resolve("b.log")));
        assertTrue(control.handle(List.of("reload")).ok());
        local("");
        assertTrue(control.handle(List.of("reload")).ok());
        local(jail("b", dir.resolve("b.log")));
        assertTrue(control.handle(List.of("reload", "b")).ok());
        assertTrue(control.handle(List.of("reload", "b")).ok());
        daemon.close();
        log.flush();
        List<String> said = out.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.matches(".* fail2ban\\.(jail|server) +\\[\\d+\\]: INFO +(Creating new jail|Reload|Jail) .*"))
                .filter(l -> !l.contains("watching"))
                .map(l -> l.substring(l.indexOf("fail2ban.")).replaceFirst(" +\\[\\d+\\]: INFO +", ": ")).toList();
        assertEquals(List.of(
                "fail2ban.jail: Creating new jail 'a'", "fail2ban.jail: Jail 'a' started",
                // reload: a is reloaded, b new
                "fail2ban.server: Reload all jails", "fail2ban.server: Reload jail 'a'", "fail2ban.jail: Creating new jail 'b'",
                "fail2ban.server: Jail 'a' reloaded", "fail2ban.jail: Jail 'b' started", "fail2ban.server: Reload finished.",
                // reload without b: b is dropped at the end
                "fail2ban.server: Reload all jails", "fail2ban.server: Reload jail 'a'", "fail2ban.server: Jail 'a' reloaded",
                "fail2ban.jail: Jail 'b' stopped", "fail2ban.server: Reload finished.",
                // reload b: b alone, new, then reloaded (server.py's begin line names it without quotes)
                "fail2ban.server: Reload jail b", "fail2ban.jail: Creating new jail 'b'", "fail2ban.jail: Jail 'b' started",
                "fail2ban.server: Reload finished.",
                "fail2ban.server: Reload jail b", "fail2ban.server: Reload jail 'b'", "fail2ban.server: Jail 'b' reloaded",
                "fail2ban.server: Reload finished.",
                "fail2ban.jail: Jail 'a' stopped", "fail2ban.jail: Jail 'b' stopped"), said);
    }

    /**
     * Each jail's settings, said as fail2ban's server says them when it sets them (after "Creating
     * new jail" or "Reload jail"): the durations as str2seconds gives them, the encoding as given
     * (auto is UTF-8); maxLines only when the jail or its filter sets it.
     */
    @Test
    void eachJailsSettingsAreSaidAsFail2banSaysThem() throws Exception {
        ControlCommands control = new ControlCommands(daemon);
        local(jail("b", dir.resolve("b.log"), "maxretry = 7", "findtime = 1.5h", "bantime = -1", "logencoding = latin-1",
                "maxlines = 2", "bantime.increment = yes", "bantime.maxtime = 1w"));
        assertTrue(control.handle(List.of("reload")).ok());
        log.flush();
        List<String> said = out.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.matches(".* fail2ban\\.(jail|server|filter|actions) +\\[\\d+\\]: INFO {4}(Creating new jail|Reload jail '|  |Set banTime).*"))
                .map(l -> l.substring(l.indexOf("fail2ban.")).replaceFirst(" +\\[\\d+\\]: INFO {4}", ": ")).toList();
        assertEquals(List.of(
                // no logencoding in the configuration: fail2ban says none
                "fail2ban.jail: Creating new jail 'a'", "fail2ban.filter:   maxRetry: 3", "fail2ban.filter:   findtime: 600",
                "fail2ban.actions:   banTime: 3600",
                "fail2ban.server: Reload jail 'a'", "fail2ban.filter:   maxRetry: 3", "fail2ban.filter:   findtime: 600",
                "fail2ban.actions:   banTime: 3600",
                "fail2ban.jail: Creating new jail 'b'", "fail2ban.filter:   maxLines: 2", "fail2ban.filter:   maxRetry: 7",
                "fail2ban.filter:   findtime: 5400.0", "fail2ban.actions:   banTime: -1",
                "fail2ban.jail: Set banTime.increment = True", "fail2ban.jail: Set banTime.maxtime = 1w",
                "fail2ban.filter:   encoding: latin-1"), said);
    }

    @Test
    void aFailureWhoseLinesSpanAReloadIsStillFound() throws Exception {
        // fail2ban's mlfid: a NOFAIL line names the host, a later line with the same id is the failure
        local("""
                [m]
                enabled = true
                logpath = %s
                prefregex = ^\\s*host sshd\\[<F-MLFID>\\d+</F-MLFID>\\]: <F-CONTENT>.+</F-CONTENT>$
                failregex = ^<F-NOFAIL>Connection</F-NOFAIL> from <HOST> port \\d+$
                            ^Disconnecting: Too many authentication failures$
                            ^Failed password for \\S+ from <HOST>
                maxretry = 1
                """.formatted(dir.resolve("b.log")));
        daemon.reload();
        String t = SYSLOG.format(Instant.now());
        Files.writeString(dir.resolve("b.log"), t + " host sshd[77]: Connection from 192.0.2.88 port 22\n"
                + t + " host sshd[79]: Failed password for root from 192.0.2.89\n", StandardOpenOption.APPEND);
        await(() -> firewall.banned("m", "192.0.2.89"), "the line after the connection line was read");
        daemon.reload(); // nothing changed: the jail's reader goes on with its matcher
        Files.writeString(dir.resolve("b.log"), SYSLOG.format(Instant.now())
                + " host sshd[77]: Disconnecting: Too many authentication failures\n", StandardOpenOption.APPEND);
        await(() -> firewall.banned("m", "192.0.2.88"), "the failure of connection 77, whose host came before the reload");
        // a changed filter starts a new matcher (its regexes may no longer fit what was kept)
        local("""
                [m]
                enabled = true
                logpath = %s
                prefregex = ^\\s*host sshd\\[<F-MLFID>\\d+</F-MLFID>\\]: <F-CONTENT>.+</F-CONTENT>$
                failregex = ^<F-NOFAIL>Connection</F-NOFAIL> from <HOST> port \\d+$
                            ^Disconnecting: Too many authentication failures$
                maxretry = 1
                """.formatted(dir.resolve("b.log")));
        Files.writeString(dir.resolve("b.log"), SYSLOG.format(Instant.now())
                + " host sshd[90]: Connection from 192.0.2.90 port 22\n" + SYSLOG.format(Instant.now())
                + " host sshd[92]: Failed password for root from 192.0.2.92\n", StandardOpenOption.APPEND);
        await(() -> firewall.banned("m", "192.0.2.92"), "the old matcher read connection 90");
        daemon.reload();
        Files.writeString(dir.resolve("b.log"), SYSLOG.format(Instant.now())
                + " host sshd[90]: Disconnecting: Too many authentication failures\n"
                + SYSLOG.format(Instant.now()) + " host sshd[91]: Connection from 192.0.2.91 port 22\n"
                + SYSLOG.format(Instant.now()) + " host sshd[91]: Disconnecting: Too many authentication failures\n",
                StandardOpenOption.APPEND);
        await(() -> firewall.banned("m", "192.0.2.91"), "the new matcher works");
        assertTrue(!firewall.banned("m", "192.0.2.90"), "the connection line before the filter changed is not carried");
    }

    @Test
    void failuresCountedBeforeAReloadStillCountAfterIt() throws Exception {
        append(dir.resolve("a.log"), "192.0.2.91", "192.0.2.91");
        await(() -> found().getOrDefault("192.0.2.91", 0) == 2, "two failures found");
        daemon.reload();
        append(dir.resolve("a.log"), "192.0.2.91");
        await(() -> found().getOrDefault("192.0.2.91", 0) == 3, "the third found");
        await(() -> firewall.banned("a", "192.0.2.91"), "maxretry 3 reached across the reload");
    }

    @Test
    void aJailWhoseLogDoesNotExistYetStartsWithAWarningAndBansOnceTheLogAppears() throws Exception {
        Path later = dir.resolve("later.log");
        local(jail("later", later));
        daemon.reload();
        log.flush();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("WARNING [later] " + later + ": no such file; read once it appears"), text);
        Files.createFile(later);
        append(later, "192.0.2.77", "192.0.2.77", "192.0.2.77");
        await(() -> firewall.banned("later", "192.0.2.77"), "the jail bans once its log appears");
    }

    @Test
    void aNewJailWhoseTimeZoneCannotBeReadIsRefusedAndTheRunningJailReadsOn() throws Exception {
        JailEngine engine = daemon.engine();
        ConfigSnapshot snapshot = daemon.snapshot();
        append(dir.resolve("a.log"), "192.0.2.10");
        await(() -> found().containsKey("192.0.2.10"), "a line before the reload");

        local(jail("b", dir.resolve("b.log"), "logtimezone = Mars/Olympus_Mons"));
        ConfigSnapshot.InvalidConfigException e = assertThrows(ConfigSnapshot.InvalidConfigException.class, daemon::reload);

        assertTrue(e.getMessage().startsWith("jail 'b': logtimezone: "), e.getMessage());
        assertEquals(List.of(List.of("a")), firewall.scaffolds, "the firewall was not touched");
        assertSame(engine, daemon.engine());
        assertSame(snapshot, daemon.snapshot());
        assertEquals(List.of("a"), daemon.readers().stream().map(SourceReader::jail).toList());
        assertStillReadingAndBanning("192.0.2.1");
        assertEquals(0, daemon.reloads());
    }

    @Test
    void aNewJailWhoseLogCannotBeOpenedIsRefusedNamingJailAndPath() throws Exception {
        Path forbidden = dir.resolve("forbidden/b.log");
        local(jail("b", forbidden));
        ConfigSnapshot.InvalidConfigException e = assertThrows(ConfigSnapshot.InvalidConfigException.class, daemon::reload);

        assertEquals("jail 'b': cannot open logpath " + forbidden + ": " + forbidden, e.getMessage());
        assertEquals(List.of(List.of("a")), firewall.scaffolds);
        assertEquals(Set.of(dir.resolve("a.log")), files.open, "the running jail's file only, opened again");
        assertTrue(files.closed.size() >= 1 && files.closed.stream().allMatch("a"::equals), files.closed.toString());
        assertStillReadingAndBanning("192.0.2.2");
    }

    @Test
    void aLayoutTheFirewallRefusesIsRefusedAndTheRunningJailReadsOnFromWhereItStopped() throws Exception {
        JailEngine engine = daemon.engine();
        local(jail("b", dir.resolve("b.log")));
        firewall.refuseNextScaffold = true;
        // lines that arrive while the reload is refused are read once, by the running jail's next reader
        append(dir.resolve("a.log"), "192.0.2.30");
        ConfigSnapshot.InvalidConfigException e = assertThrows(ConfigSnapshot.InvalidConfigException.class, daemon::reload);

        assertEquals("the firewall refused the new jails: scaffold: Invalid argument", e.getMessage());
        assertSame(engine, daemon.engine());
        assertEquals(Set.of("a"), firewall.sets.keySet());
        assertTrue(files.closed.containsAll(List.of("a", "b")), "the new sources were closed: " + files.closed);
        assertEquals(Set.of(dir.resolve("a.log")), files.open);
        assertEquals(List.of("a"), daemon.readers().stream().map(SourceReader::jail).toList());
        await(() -> found().containsKey("192.0.2.30"), "the line written during the refused reload");
        assertStillReadingAndBanning("192.0.2.3");
        assertEquals(1, found().get("192.0.2.30"), "read once");

        firewall.refuseNextScaffold = false;
        assertTrue(daemon.reload().startsWith("Reloaded: 2 jail(s)"), "the same configuration goes through once the firewall takes it");
        append(dir.resolve("b.log"), "192.0.2.4", "192.0.2.4", "192.0.2.4");
        await(() -> firewall.banned("b", "192.0.2.4"), "the new jail bans");
    }

    @Test
    void reloadsOfAnUnchangedConfigurationWhileLinesArriveFindEachLineOnce() throws Exception {
        AtomicInteger written = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; writing.get() && i < 60_000; i++) {
                    append(dir.resolve("a.log"), "10." + (i / 62_500) + "." + (i / 250 % 250) + "." + (i % 250 + 1));
                    written.incrementAndGet();
                    if (i % 20 == 0) {
                        Thread.sleep(1);
                    }
                }
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        int reloads = 20;
        for (int i = 0; i < reloads; i++) {
            daemon.reload();
        }
        writing.set(false);
        writer.join();
        int lines = written.get();
        await(() -> found().size() == lines, lines + " addresses found");
        Map<String, Integer> twice = new java.util.TreeMap<>(found());
        twice.values().removeIf(n -> n == 1);
        assertEquals(Map.of(), twice, "addresses found more than once, of " + lines + " over " + reloads + " reloads");
        assertTrue(lines > 2 * reloads, "lines kept arriving during the reloads: " + lines);
        assertEquals(0, files.openedTwice.get());
        assertEquals(reloads, daemon.reloads());
    }

    @Test
    void aJailDroppedWhileItIsBanningNeverHasABanRefused() throws Exception {
        local(jail("b", dir.resolve("b.log"), "maxretry = 1"));
        daemon.reload();
        Thread attack = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 2000; i++) {
                    append(dir.resolve("b.log"), "10.1." + (i / 250) + "." + (i % 250 + 1));
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        await(() -> !firewall.sets.getOrDefault("b", Set.of()).isEmpty(), "b bans");
        local("[b]\nenabled = false\n");
        String msg = daemon.reload();
        attack.join();

        assertTrue(msg.contains("stopped [b]: their bans left the firewall"), msg);
        assertEquals(0, firewall.refusedBatches.get(), "no ban of the dropped jail reached the firewall after the scaffold");
        assertEquals(Set.of("a"), firewall.sets.keySet());
        assertEquals(0, daemon.engine().pendingCount());
        assertTrue(daemon.activeBans().isEmpty(), "the dropped jail's bans are in the ledger only");
        assertTrue(daemon.ledger().activeBans(System.currentTimeMillis()).size() > 0);
    }

    @Test
    void aStartLiftsTheFirewallsLeftoversOfJailsTheLedgerKnowsButThatAreNoLongerEnabled() throws Exception {
        local(jail("b", dir.resolve("b.log"), "maxretry = 1"));
        daemon.reload();
        append(dir.resolve("b.log"), "192.0.2.66");
        await(() -> firewall.banned("b", "192.0.2.66"), "b bans");
        daemon.close();
        assertEquals(List.of(), firewall.leftoversLifted, "nothing left over while b ran");

        local("[b]\nenabled = false\n"); // disabled while the daemon is down
        daemon = new Daemon(dir, log, ServiceNotifier.none(), List.of(firewall), List.of(files));
        daemon.start();
        assertEquals(List.of(Set.of("b")), firewall.leftoversLifted);
        log.flush();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("lifted the firewall's bans of 1 jail(s) no longer enabled [b]"),
                out.toString(StandardCharsets.UTF_8));
        assertTrue(daemon.ledger().activeBans(System.currentTimeMillis()).stream().anyMatch(b -> b.jail().equals("b")),
                "the ledger keeps b's ban for when b runs again");
    }

    @Test
    void operatorBansRacingReloadsThatDropTheirJailAreRefusedByNameNeverByTheFirewall() throws Exception {
        ControlCommands control = new ControlCommands(daemon);
        java.util.concurrent.atomic.AtomicInteger banned = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger refusedByName = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> other = new java.util.concurrent.atomic.AtomicReference<>();
        Thread operator = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 400; i++) {
                ips.app.control.ControlReply r = control.handle(List.of("ban", "b", "10.2." + (i / 250) + "." + (i % 250 + 1)));
                if (r.ok()) {
                    banned.incrementAndGet();
                } else if (r.body().contains("no jail named b") || r.body().contains("Sorry but the jail 'b' does not exist")) {
                    refusedByName.incrementAndGet();
                } else {
                    other.set(r.body());
                }
            }
        });
        for (int k = 0; k < 6; k++) {
            local(k % 2 == 0 ? jail("b", dir.resolve("b.log")) : "[b]\nenabled = false\n");
            daemon.reload();
        }
        operator.join();

        assertEquals(null, other.get(), "every reply is a ban or 'no jail named b'");
        assertEquals(400, banned.get() + refusedByName.get());
        assertEquals(0, firewall.refusedBatches.get(), "no operator ban reached the firewall for a jail it no longer had");
        daemon.close();
        assertTrue(control.handle(List.of("ban", "a", "192.0.2.77")).body().contains("stopping"),
                "a ban while the daemon stops is refused");
    }

    @Test
    void aDnsAnswerThatArrivesAfterItsJailWasDroppedIsNotCounted() throws Exception {
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        daemon.dnsLookup(name -> {
            if (name.equals("attacker.example")) {
                asked.countDown();
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of(ips.api.IpAddress.tryParse("198.51.100.77"));
            }
            return List.of(ips.api.IpAddress.tryParse("198.51.100.88"));
        });
        Files.createFile(dir.resolve("c.log"));
        String c = jail("c", dir.resolve("c.log"), "maxretry = 1", "usedns = yes");
        local(jail("b", dir.resolve("b.log"), "maxretry = 1", "usedns = yes") + c);
        daemon.reload();
        append(dir.resolve("b.log"), "attacker.example");
        assertTrue(asked.await(20, java.util.concurrent.TimeUnit.SECONDS), "the name was looked up");
        local("[b]\nenabled = false\n" + c);
        daemon.reload(); // while the lookup is still out
        answer.countDown();
        // the one resolver thread answers in order: once jail c's later name is banned, b's late
        // answer has been handled
        append(dir.resolve("c.log"), "second.example");
        await(() -> firewall.banned("c", "198.51.100.88"), "a name looked up after the reload is banned in the running jail");

        assertEquals(0, firewall.refusedBatches.get(), "the late answer did not reach the firewall for the dropped jail");
        assertTrue(daemon.ledger().activeBans(System.currentTimeMillis()).stream()
                .noneMatch(b -> b.target().toString().startsWith("198.51.100.77")), "and was not banned");
        assertTrue(found().getOrDefault("198.51.100.77", 0) == 0, "nor counted");
        assertStillReadingAndBanning("192.0.2.66");
    }

    @Test
    void aBanTheFirewallRefusedBeforeTheReloadIsPutBackAfterIt() throws Exception {
        firewall.refuseBansUntilScaffold = true;
        append(dir.resolve("a.log"), "192.0.2.5", "192.0.2.5", "192.0.2.5");
        await(() -> daemon.engine().pendingCount() == 1, "the refused ban waits in the engine");

        String msg = daemon.reload();

        assertTrue(msg.endsWith("; bans the firewall had refused before the reload re-applied from the ledger"), msg);
        assertTrue(firewall.banned("a", "192.0.2.5"), "the new engine put it back from the ledger");
        assertEquals(Map.of("a", List.of("192.0.2.5")), daemon.activeBans().entrySet().stream().collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stream().map(b -> b.target().toString()).toList())));
    }
}
