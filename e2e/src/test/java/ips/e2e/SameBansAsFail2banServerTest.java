package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Portcullis and the real fail2ban-server (Debian's 1.0.2) read one auth.log side by side, from the
 * same jail.conf, and must end with the same banned addresses and the same failure counts: an
 * attacker at maxretry and one below it, IPv4 and IPv6, an address in ignoreip and the host's own
 * (ignoreself), successful logins (nofail), a user name that holds another address, failures older
 * than findtime, and sshd's multi-line connection tracking. fail2ban-server runs without actions
 * (its bans are only its own state), Portcullis with its kernel set; both in one scratch namespace.
 */
class SameBansAsFail2banServerTest {
    private static final Path SERVER = Path.of("/usr/bin/fail2ban-server");
    private static final Path CLIENT = Path.of("/usr/bin/fail2ban-client");
    private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);
    private static final String SENTINEL = "203.0.113.99";

    @Test
    void bothBanTheSameAddressesAndCountTheSameFailures() throws Exception {
        assumeBothRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcf2bs", "pcf2bs")) {
            Path auth = daemon.createLog("auth.log");
            Path nginx = daemon.createLog("error.log");
            String jail = """
                    [sshd]
                    enabled = true
                    filter = sshd
                    logpath = %1$s
                    maxretry = 3
                    findtime = 10m
                    bantime = 1h
                    [aggr]
                    enabled = true
                    filter = sshd[mode=aggressive]
                    logpath = %1$s
                    maxretry = 2
                    [nginx]
                    enabled = true
                    filter = nginx-http-auth
                    logpath = %2$s
                    maxretry = 2
                    logencoding = latin-1
                    bantime.maxtime = 2h
                    [perm]
                    enabled = true
                    filter = nginx-http-auth
                    logpath = %2$s
                    maxretry = 2
                    bantime = -1
                    """.formatted(auth, nginx);
            String defaults = "[DEFAULT]\nbackend = polling\nignoreip = 192.0.2.250\n";
            Path f2b = configureBoth(daemon, defaults, jail, jail);
            Path sock = daemon.work().resolve("f2b.sock");
            try {
                startBoth(daemon, f2b, sock);

                DaemonInNamespace.append(auth, scenario());
                DaemonInNamespace.append(nginx, nginxScenario());
                long deadline = System.nanoTime() + 30_000_000_000L;
                for (String name : new String[] {"sshd", "aggr", "nginx", "perm"}) {
                    while (!(banned(daemon.cli("status", name).out()).contains(SENTINEL)
                            && banned(fail2ban(f2b, sock, "status", name)).contains(SENTINEL))) {
                        assertTrue(System.nanoTime() < deadline, "the sentinel was not banned by both within 30 s:\n"
                                + daemon.cli("status", name).out() + "\n" + fail2ban(f2b, sock, "status", name));
                        DaemonInNamespace.sleep(100);
                    }
                }
                DaemonInNamespace.sleep(1500); // fail2ban's actions thread bans in rounds

                Set<String> expected = new TreeSet<>(Set.of("192.0.2.1", "192.0.2.3", "2001:db8::3", "192.0.2.5", SENTINEL));
                assertEquals(expected, banned(fail2ban(f2b, sock, "status", "sshd")), "fail2ban-server itself");
                for (String name : new String[] {"sshd", "aggr", "nginx", "perm"}) {
                    String ours = daemon.cli("status", name).out();
                    String theirs = fail2ban(f2b, sock, "status", name);
                    String both = "ours:\n" + ours + "\ntheirs:\n" + theirs;
                    assertEquals(banned(theirs), banned(ours), both);
                    for (String f : new String[] {"Total failed:", "Currently failed:", "Total banned:"}) {
                        assertEquals(field(theirs, f), field(ours, f), f + "\n" + both);
                    }
                    for (String a : banned(ours)) {
                        String set = name + (a.indexOf(':') >= 0 ? "-v6" : "-v4");
                        assertTrue(daemon.set(set).contains("\"" + a + "\""), a + " is not in the kernel set: " + daemon.set(set));
                    }
                }

                // what log watchers read: the same "Found", "Ignore" and "Ban" lines (messages, sorted:
                // the two write them in their own order)
                assertEquals(events(Files.readString(daemon.work().resolve("f2b.log"))), events(daemon.output()));

                // what scripts written for fail2ban-client read: the same text, byte for byte
                String[][] asked = {
                    {"ping"}, {"status"}, {"status", "sshd"}, {"status", "nginx"}, {"banned"},
                    {"banned", "192.0.2.1", "192.0.2.2", "2001:db8::3"}, {"get", "sshd", "banned"},
                    {"get", "sshd", "banned", "192.0.2.3"}, {"get", "sshd", "banned", "192.0.2.3", "192.0.2.2"},
                    {"get", "sshd", "banip"}, {"get", "sshd", "banip", ","}, {"get", "sshd", "banip", "--with-time"},
                    {"get", "sshd", "maxretry"}, {"get", "sshd", "findtime"}, {"get", "sshd", "bantime"},
                    {"get", "sshd", "logpath"}, {"get", "sshd", "ignoreip"}, {"get", "sshd", "ignoreself"},
                    {"get", "sshd", "ignorecommand"}, {"get", "sshd", "usedns"}, {"get", "sshd", "maxlines"},
                    {"get", "sshd", "datepattern"}, {"get", "sshd", "journalmatch"}, {"get", "sshd", "logencoding"},
                    {"get", "sshd", "bantime.increment"}, {"get", "sshd", "prefregex"}, {"get", "aggr", "failregex"},
                    {"get", "sshd", "ignoreregex"}, {"get", "nginx", "failregex"}, {"get", "nginx", "datepattern"},
                    {"get", "loglevel"}, {"status", "perm"}, {"get", "perm", "banip", "--with-time"}, {"get", "perm", "bantime"},
                    {"-q", "status", "sshd"}, {"-q", "get", "nginx", "logencoding"}, // fail2ban-client's options before the command
                };
                for (String[] q : asked) {
                    String theirs = withoutLogLines(fail2ban(f2b, sock, q));
                    assertEquals(theirs, daemon.cli(q).out(), String.join(" ", q));
                }

                // both reload (the lifecycle lines below: "Reload jail 'sshd'", "Jail 'sshd' reloaded"...)
                fail2ban(f2b, sock, "reload");
                assertTrue(daemon.cli("reload").ok(), daemon.output());
                DaemonInNamespace.sleep(500);

                // both restart: the bans come back (fail2ban's from its database, ours from the
                // ledger), in the order they were made, counted as banned, and the logs are not read again
                fail2ban(f2b, sock, "stop");
                daemon.stop();
                startBoth(daemon, f2b, sock);
                for (String name : new String[] {"sshd", "aggr", "nginx", "perm"}) {
                    awaitBanned(daemon, f2b, sock, name, SENTINEL, true);
                }
                DaemonInNamespace.sleep(1500);
                String[][] after = {
                    {"status", "sshd"}, {"status", "aggr"}, {"status", "nginx"}, {"banned"},
                    {"get", "sshd", "banip", "--with-time"}, {"get", "nginx", "banip", "--with-time"},
                };
                for (String[] q : after) {
                    String theirs = withoutLogLines(fail2ban(f2b, sock, q));
                    assertEquals(theirs, daemon.cli(q).out(), "after the restart: " + String.join(" ", q));
                }
                assertTrue(daemon.output().contains("NOTICE  [sshd] Restore Ban 192.0.2.1"), daemon.output());
                // the jails' lifecycle lines log watchers know: created, started, reloaded, stopped, started again
                String theirLifecycle = lifecycle(Files.readString(daemon.work().resolve("f2b.log")));
                assertTrue(theirLifecycle.contains("Jail 'sshd' stopped"), theirLifecycle);
                assertEquals(theirLifecycle, lifecycle(daemon.output()), daemon.output());

                // failures reported from elsewhere (fail2ban-client set JAIL attempt): one, then three at
                // once (last: when such a ban starts is the second each server handles it in)
                for (String[] q : new String[][] {{"set", "sshd", "attempt", "192.0.2.90"},
                        {"set", "sshd", "attempt", "192.0.2.91", "a", "b", "c"}}) {
                    assertEquals(withoutLogLines(fail2ban(f2b, sock, q)), daemon.cli(q).out(), String.join(" ", q));
                }
                awaitBanned(daemon, f2b, sock, "sshd", "192.0.2.91", true);
                DaemonInNamespace.sleep(1500);
                assertEquals(withoutLogLines(fail2ban(f2b, sock, "status", "sshd")), daemon.cli("status", "sshd").out(),
                        "after the attempts");
            } finally {
                stopFail2ban(daemon, f2b, sock);
            }
        }
    }

    /**
     * bantime.increment: a 4-second ban, then, after the unban, the same attacker again. fail2ban
     * counts its failures double (two are enough) and doubles the ban (its log: "Increase Ban
     * 192.0.2.1 (2 # 8s -> ...)"); both must show the same bans with their times ({@code get JAIL
     * banip --with-time}: start + bantime = end), the same log lines and the same counts.
     */
    @Test
    void bantimeIncrementBansAReturningAttackerSoonerAndLongerAsFail2banDoes() throws Exception {
        assumeBothRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcf2bi", "pcf2bi")) {
            Path auth = daemon.createLog("auth.log");
            String jail = sshdJail("logpath = " + auth, "4", "bantime.increment = true");
            String defaults = "[DEFAULT]\nbackend = polling\n";
            Path f2b = configureBoth(daemon, defaults, jail, jail);
            Path sock = daemon.work().resolve("f2b.sock");
            try {
                startBoth(daemon, f2b, sock);
                String attacker = "192.0.2.1";
                String[] first = new String[2];
                String[] second = new String[2];
                for (String[] round : new String[][] {first, second}) {
                    String now = SYSLOG.format(LocalDateTime.now());
                    StringBuilder sb = new StringBuilder();
                    // the second time two failures are enough: an address banned before counts each
                    // failure twice (fail2ban's observer: "Found 192.0.2.1, bad - ..., 1 # -> 2.0")
                    lines(sb, now, round == first ? 3 : 2, "sshd[1001]: Failed password for root from " + attacker + " port 5000%d ssh2");
                    DaemonInNamespace.append(auth, sb.toString());
                    round[0] = awaitBanned(daemon, f2b, sock, "sshd", attacker, true);
                    round[1] = fail2ban(f2b, sock, "get", "sshd", "banip", "--with-time");
                    awaitBanned(daemon, f2b, sock, "sshd", attacker, false);
                    if (round == first) {
                        // a ban that runs out says so in the log at once, even while the logs are quiet
                        assertTrue(daemon.awaitOutput("NOTICE  [sshd] Unban " + attacker, 2_000), daemon.output());
                    }
                }
                for (String[] round : new String[][] {first, second}) {
                    assertEquals(withTime(round[1]), withTime(round[0]), "ours: " + round[0] + "\ntheirs: " + round[1]);
                }
                assertTrue(withTime(first[1]).contains(" + 4 = "), first[1]);
                assertTrue(withTime(second[1]).contains(" + 8 = "), "fail2ban doubles the second ban: " + second[1]);
                // and says so in its log, a line log watchers know: ours is the same, byte for byte
                String theirs = increaseLine(Files.readString(daemon.work().resolve("f2b.log")));
                assertTrue(theirs.startsWith("[sshd] Increase Ban 192.0.2.1 (2 # 8s -> "), theirs);
                assertEquals(theirs, increaseLine(daemon.output()), daemon.output());
                // status stops listing a ban once its time is over; the tick that lifts it (and says
                // "Unban") follows within a second
                long until = System.nanoTime() + 3_000_000_000L;
                while (daemon.output().split("\\] Unban ", -1).length < 3 && System.nanoTime() < until) {
                    DaemonInNamespace.sleep(50);
                }
                assertEquals(events(Files.readString(daemon.work().resolve("f2b.log"))), events(daemon.output()),
                        "the Found, Ban and Unban lines");
                assertEquals(withoutLogLines(fail2ban(f2b, sock, "status", "sshd")), daemon.cli("status", "sshd").out());
            } finally {
                stopFail2ban(daemon, f2b, sock);
            }
        }
    }

    /**
     * Both read one journal file ({@code backend = systemd[journalfiles=FILE]}, fail2ban through
     * python3-systemd, Portcullis through libsystemd), written by systemd-journal-remote: the
     * filter's journalmatch (a CRON entry with sshd's words is not sshd's), the journal's own
     * times, IPv4 and IPv6; the same bans, counts and Found and Ban lines.
     */
    @Test
    void bothBanTheSameFromAJournal() throws Exception {
        assumeBothRunnable();
        Path journalRemote = Path.of("/lib/systemd/systemd-journal-remote");
        assumeTrue(Files.isExecutable(journalRemote), "needs systemd-journal-remote");
        assumeTrue(Shell.run(30, "/usr/bin/python3", "-c", "import systemd.journal").status() == 0,
                "fail2ban's systemd backend needs python3-systemd");
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcf2bj", "pcf2bj")) {
            long t = System.currentTimeMillis() * 1000 - 30_000_000; // half a minute ago, in microseconds
            StringBuilder export = new StringBuilder();
            String[][] entries = {
                {"sshd", "Failed password for bob from 192.0.2.1 port 20 ssh2"},
                {"sshd", "Failed password for bob from 192.0.2.1 port 21 ssh2"},
                {"sshd", "Failed password for bob from 192.0.2.1 port 22 ssh2"},
                {"sshd", "Failed password for bob from 192.0.2.2 port 20 ssh2"}, // below maxretry
                {"sshd", "Failed password for bob from 192.0.2.2 port 21 ssh2"},
                {"CRON", "Failed password for bob from 192.0.2.3 port 20 ssh2"}, // not sshd's
                {"CRON", "Failed password for bob from 192.0.2.3 port 21 ssh2"},
                {"CRON", "Failed password for bob from 192.0.2.3 port 22 ssh2"},
                {"sshd", "Invalid user x1 from 2001:db8::5 port 22"},
                {"sshd", "Invalid user x2 from 2001:db8::5 port 22"},
                {"sshd", "Invalid user x3 from 2001:db8::5 port 22"},
                {"sshd", "Accepted publickey for amy from 192.0.2.4 port 22 ssh2"},
            };
            for (int i = 0; i < entries.length; i++) {
                String comm = entries[i][0];
                long at = t + i * 1000L;
                export.append("__REALTIME_TIMESTAMP=").append(at).append("\n__MONOTONIC_TIMESTAMP=").append(at / 10)
                        .append("\n_BOOT_ID=5f1c0d4a2b3e4f60718293a4b5c6d7e8\n_HOSTNAME=web1\n_SYSTEMD_UNIT=")
                        .append(comm.equals("sshd") ? "ssh.service" : "cron.service").append("\nSYSLOG_IDENTIFIER=").append(comm)
                        .append("\n_COMM=").append(comm).append("\n_PID=").append(100 + i).append("\nPRIORITY=6\nMESSAGE=")
                        .append(entries[i][1]).append("\n\n");
            }
            Path exportFile = Files.writeString(daemon.work().resolve("entries.export"), export.toString());
            Path journal = daemon.work().resolve("auth.journal");
            Shell.Result made = Shell.run(60, journalRemote.toString(), "-o", journal.toString(), exportFile.toString());
            assertEquals(0, made.status(), made.out());
            String jail = sshdJail("backend = systemd[journalfiles=" + journal + "]", "1h",
                    "journalmatch = _SYSTEMD_UNIT=ssh.service + _COMM=sshd\n  _SYSTEMD_UNIT=sshd.service _COMM=sshd");
            Path f2b = configureBoth(daemon, "[DEFAULT]\n", jail, jail);
            Path sock = daemon.work().resolve("f2b.sock");
            try {
                startBoth(daemon, f2b, sock);
                awaitBanned(daemon, f2b, sock, "sshd", "192.0.2.1", true);
                awaitBanned(daemon, f2b, sock, "sshd", "2001:db8::5", true);
                DaemonInNamespace.sleep(1500);
                String ours = daemon.cli("status", "sshd").out();
                String theirs = fail2ban(f2b, sock, "status", "sshd");
                assertEquals(Set.of("192.0.2.1", "2001:db8::5"), banned(theirs), theirs);
                assertEquals(withoutLogLines(theirs), ours);
                String theirLog = Files.readString(daemon.work().resolve("f2b.log"));
                assertEquals(events(theirLog), events(daemon.output()), "the Found and Ban lines");
                assertAnswersAlike(daemon, f2b, sock, java.util.List.of(new String[] {"get", "sshd", "journalmatch"},
                        new String[] {"get", "sshd", "logpath"}, new String[] {"get", "sshd", "logencoding"},
                        new String[] {"get", "sshd", "datepattern"}, new String[] {"banned"}));
                // and both say when they have caught up with the journal
                java.util.regex.Pattern caughtUp = java.util.regex.Pattern.compile(
                        "fail2ban\\.filtersystemd +\\[\\d+\\]: INFO +\\[sshd\\] Jail is in operation now \\(process new journal entries\\)");
                assertTrue(caughtUp.matcher(theirLog).find(), theirLog);
                assertTrue(caughtUp.matcher(daemon.output()).find(), daemon.output());
                // the jail's lines, with its journal match and settings
                String theirLifecycle = lifecycle(theirLog);
                assertTrue(theirLifecycle.contains("Added journal match for: "), theirLifecycle);
                assertEquals(theirLifecycle, lifecycle(daemon.output()), daemon.output());
            } finally {
                stopFail2ban(daemon, f2b, sock);
            }
        }
    }

    /**
     * fail2ban's warnings about a jail's dates, from both on the same log: old lines skipped at
     * start, a line dated five hours back once in operation (a log in another time zone), a failure
     * without a date; each said once, word for word (the messages of the WARNING lines, in order).
     */
    @Test
    void bothWarnAboutTheSameDatesInTheSameWords() throws Exception {
        assumeBothRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcf2bw", "pcf2bw")) {
            Path auth = daemon.createLog("auth.log");
            String jail = sshdJail("logpath = " + auth, "1h");
            String defaults = "[DEFAULT]\nbackend = polling\n";
            Path f2b = configureBoth(daemon, defaults, jail, jail);
            Path sock = daemon.work().resolve("f2b.sock");
            StringBuilder old = new StringBuilder();
            lines(old, SYSLOG.format(LocalDateTime.now().minusHours(2)), 2, "sshd[1001]: Failed password for root from 192.0.2.1 port 5000%d ssh2");
            DaemonInNamespace.append(auth, old.toString());
            try {
                startBoth(daemon, f2b, sock);
                DaemonInNamespace.sleep(1500); // both caught up: in operation from here on
                StringBuilder sb = new StringBuilder();
                lines(sb, SYSLOG.format(LocalDateTime.now().minusHours(5)), 2, "sshd[1002]: Failed password for root from 192.0.2.2 port 5000%d ssh2");
                sb.append("web sshd[1003]: Failed password for root from 192.0.2.3 port 50001 ssh2\n");
                lines(sb, SYSLOG.format(LocalDateTime.now()), 3, "sshd[1099]: Failed password for root from " + SENTINEL + " port 5000%d ssh2");
                DaemonInNamespace.append(auth, sb.toString());
                awaitBanned(daemon, f2b, sock, "sshd", SENTINEL, true);
                DaemonInNamespace.sleep(500);
                String theirs = warnings(Files.readString(daemon.work().resolve("f2b.log")));
                assertTrue(theirs.contains("This looks like a timezone problem"), theirs);
                assertTrue(theirs.contains("Please try setting a custom date pattern"), theirs);
                assertEquals(theirs, warnings(daemon.output()), daemon.output());
            } finally {
                stopFail2ban(daemon, f2b, sock);
            }
        }
    }

    /**
     * A jail whose settings are none of the defaults: every {@code get} fail2ban-client has for a
     * jail gets the same answer from both servers, and both log the same settings lines.
     */
    @Test
    void bothAnswerEveryGetAlikeForAJailOfUnusualSettings() throws Exception {
        assumeBothRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcf2bg", "pcf2bg")) {
            Path auth = daemon.createLog("auth.log");
            daemon.createLog("other-1.log");
            daemon.createLog("other-2.log");
            String jail = """
                    [odd]
                    enabled = true
                    filter = sshd[mode=ddos]
                    logpath = %s
                              %s/other-*.log
                    ignorecommand = /bin/false <ip>
                    maxretry = 7
                    maxmatches = 4
                    findtime = 1.5h
                    bantime = 2d
                    bantime.increment = yes
                    bantime.factor = 2
                    bantime.maxtime = 1w
                    bantime.rndtime = 30
                    bantime.overalljails = false
                    usedns = no
                    ignoreself = false
                    ignoreip = 10.0.0.0/8 192.0.2.7 2001:db8::/32
                    logencoding = utf-8
                    maxlines = 2
                    datepattern = ^%%%%b %%%%d %%%%H:%%%%M:%%%%S
                    ignoreregex = ^x ignore me <HOST>$
                    """.formatted(auth, daemon.work());
            Path f2b = configureBoth(daemon, "[DEFAULT]\nbackend = polling\n", jail, jail);
            Path sock = daemon.work().resolve("f2b.sock");
            try {
                startBoth(daemon, f2b, sock);
                String[] keys = {"logpath", "logencoding", "journalmatch", "ignoreself", "ignoreip", "ignorecommand",
                    "failregex", "ignoreregex", "findtime", "bantime", "datepattern", "usedns", "maxretry", "maxmatches",
                    "maxlines", "prefregex", "bantime.increment", "bantime.factor", "bantime.maxtime", "bantime.rndtime",
                    "bantime.overalljails", "bantime.formula", "bantime.multipliers", "banip", "banned"};
                java.util.List<String[]> asked = new java.util.ArrayList<>();
                for (String k : keys) {
                    asked.add(new String[] {"get", "odd", k});
                }
                asked.add(new String[] {"status", "odd"}); // the glob's files in the File list
                assertAnswersAlike(daemon, f2b, sock, asked);
                String theirLifecycle = lifecycle(Files.readString(daemon.work().resolve("f2b.log")));
                assertTrue(theirLifecycle.contains("Set banTime.increment = True"), theirLifecycle);
                assertEquals(theirLifecycle, lifecycle(daemon.output()), daemon.output());

                // failures from addresses the ignore list covers (a network, an IPv6 network, an
                // address) and from one it does not, which seven failures ban
                StringBuilder sb = new StringBuilder();
                String now = SYSLOG.format(LocalDateTime.now());
                for (String a : new String[] {"10.1.2.3", "2001:db8::9", "192.0.2.7"}) {
                    lines(sb, now, 1, "sshd[2001]: Did not receive identification string from " + a);
                }
                lines(sb, now, 7, "sshd[2002]: Did not receive identification string from 192.0.2.60 port 4%d");
                DaemonInNamespace.append(auth, sb.toString());
                awaitBanned(daemon, f2b, sock, "odd", "192.0.2.60", true);
                DaemonInNamespace.sleep(1000);
                String theirEvents = events(Files.readString(daemon.work().resolve("f2b.log")));
                assertTrue(theirEvents.contains("[odd] Ignore 10.1.2.3 by ip") && theirEvents.contains("[odd] Ban 192.0.2.60"),
                        theirEvents);
                assertEquals(theirEvents, events(daemon.output()), "the Ignore, Found and Ban lines");
                assertAnswersAlike(daemon, f2b, sock, java.util.List.<String[]>of(new String[] {"status", "odd"}));
            } finally {
                stopFail2ban(daemon, f2b, sock);
            }
        }
    }

    /** Date patterns and usedns of every kind: both servers answer {@code get} alike. */
    @Test
    void bothAnswerDatePatternsAndUsednsAlike() throws Exception {
        assumeBothRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcf2bd", "pcf2bd")) {
            Path auth = daemon.createLog("auth.log");
            String[][] kinds = {
                {"EPOCH", "yes"}, {"LEPOCH", "warn"}, {"TAI64N", "no"}, {"{^LN-BEG}EPOCH", "raw"},
                {"^%%Y-%%m-%%d %%H:%%M:%%S", "yes"}, {"%%Y-%%m-%%dT%%H:%%M:%%S\n  %%d/%%b/%%Y:%%H:%%M:%%S", "no"},
                {"{NONE}", "no"}, {"{^LN-BEG}%%ExY%%Exm%%Exd", "no"}, {"{^LN-BEG}", "no"}, {"{DEFAULT}", "no"},
                {"^%%b %%d %%H:%%M:%%S(?:\\.%%f)?", "no"},
            };
            StringBuilder jails = new StringBuilder();
            for (int i = 0; i < kinds.length; i++) {
                jails.append("[d").append(i).append("]\nenabled = true\nfilter = sshd\nlogpath = ").append(auth)
                        .append("\ndatepattern = ").append(kinds[i][0]).append("\nusedns = ").append(kinds[i][1]).append('\n');
            }
            Path f2b = configureBoth(daemon, "[DEFAULT]\nbackend = polling\n", jails.toString(), jails.toString());
            Path sock = daemon.work().resolve("f2b.sock");
            try {
                startBoth(daemon, f2b, sock);
                java.util.List<String[]> asked = new java.util.ArrayList<>();
                for (int i = 0; i < kinds.length; i++) {
                    asked.add(new String[] {"get", "d" + i, "datepattern"});
                    asked.add(new String[] {"get", "d" + i, "usedns"});
                }
                assertAnswersAlike(daemon, f2b, sock, asked);
            } finally {
                stopFail2ban(daemon, f2b, sock);
            }
        }
    }

    /** Bans and unbans made by hand, and the answers to them, one after the other: the same from both servers. */
    @Test
    void bothAnswerBansAndUnbansByHandAlike() throws Exception {
        assumeBothRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcf2bu", "pcf2bu")) {
            Path auth = daemon.createLog("auth.log");
            String jail = sshdJail("logpath = " + auth, "1h") + sshdJail("logpath = " + auth, "2h").replace("[sshd]", "[other]");
            Path f2b = configureBoth(daemon, "[DEFAULT]\nbackend = polling\n", jail, jail);
            Path sock = daemon.work().resolve("f2b.sock");
            try {
                startBoth(daemon, f2b, sock);
                String[][] steps = {
                    {"set", "sshd", "banip", "192.0.2.1", "192.0.2.2"}, {"set", "sshd", "banip", "192.0.2.1"},
                    {"set", "other", "banip", "192.0.2.1", "2001:db8::1"}, {"banned"}, {"banned", "192.0.2.1"},
                    {"get", "sshd", "banned", "192.0.2.2"}, {"status", "sshd"},
                    {"unban", "192.0.2.1", "192.0.2.99"}, {"banned"},
                    {"set", "sshd", "unbanip", "192.0.2.2"}, {"set", "sshd", "unbanip", "192.0.2.2"},
                    {"set", "sshd", "banip", "192.0.2.3", "192.0.2.3"}, {"unban", "--all"}, {"banned"}, {"status", "other"},
                    // one address in both jails, a network
                    {"set", "sshd", "banip", "192.0.2.5"}, {"set", "other", "banip", "192.0.2.5"}, {"banned", "192.0.2.5"},
                    {"unban", "192.0.2.5"}, {"set", "sshd", "banip", "198.51.100.0/24"}, {"get", "sshd", "banip"},
                    {"unban", "198.51.100.0/24"}, {"banned"},
                    // what a script gets wrong
                    {"status", "nojail"}, {"get", "nojail", "maxretry"}, {"reload", "nojail"},
                    {"set", "nojail", "banip", "192.0.2.4"}, {"get", "sshd", "nosuchkey"},
                };
                Path link = Files.createSymbolicLink(daemon.work().resolve("fail2ban-client"),
                        daemon.image().resolve("bin/portcullis"));
                for (String[] q : steps) {
                    assertAnswersAlike(daemon, f2b, sock, java.util.List.<String[]>of(q), link);
                }
                // a reload with changed settings, then one that lifts a jail's bans
                String local = "[sshd]\nmaxretry = 9\nfindtime = 2h\n";
                Files.writeString(daemon.etc().resolve("jail.local"), local);
                Files.writeString(f2b.resolve("jail.local"), local);
                String[][] after = {
                    {"set", "sshd", "banip", "192.0.2.6"}, {"set", "other", "banip", "192.0.2.7"}, {"reload"},
                    {"get", "sshd", "maxretry"}, {"get", "sshd", "findtime"}, {"banned"},
                    {"reload", "--unban", "sshd"}, {"banned"}, {"reload", "--restart", "other"},
                };
                for (String[] q : after) {
                    assertAnswersAlike(daemon, f2b, sock, java.util.List.<String[]>of(q), link);
                }
                // fail2ban restores a restarted jail's bans from its database in the background (ours stay)
                awaitBanned(daemon, f2b, sock, "other", "192.0.2.7", true);
                assertAnswersAlike(daemon, f2b, sock, java.util.List.<String[]>of(new String[] {"banned"}), link);
            } finally {
                stopFail2ban(daemon, f2b, sock);
            }
        }
    }

    /**
     * usedns = warn on failures from host names: one that does not resolve, then localhost. Both
     * servers warn of the first once, with the resolver's reason in Python's words, and count
     * nothing for it; both resolve localhost (from /etc/hosts), warn in the same words, and find and
     * ban the same address. The namespace's resolver answers nothing (a resolv.conf that names
     * 127.0.0.1, where nothing listens), so no DNS query leaves it.
     */
    @Test
    void bothResolveHostNamesAlike() throws Exception {
        assumeBothRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcf2bn", "pcf2bn")) {
            daemon.resolverAnswersNothing();
            Path auth = daemon.createLog("auth.log");
            String jail = sshdJail("logpath = " + auth, "1h", "usedns = warn", "ignoreself = false");
            Path f2b = configureBoth(daemon, "[DEFAULT]\nbackend = polling\n", jail, jail);
            Path sock = daemon.work().resolve("f2b.sock");
            try {
                startBoth(daemon, f2b, sock);
                StringBuilder sb = new StringBuilder();
                lines(sb, SYSLOG.format(LocalDateTime.now()), 3, "sshd[3001]: Failed password for root from nowhere.invalid port 5000%d ssh2");
                DaemonInNamespace.append(auth, sb.toString());
                DaemonInNamespace.sleep(2000); // the warnings' order: the lookup ends before localhost's lines come
                sb.setLength(0);
                lines(sb, SYSLOG.format(LocalDateTime.now()), 3, "sshd[3002]: Failed password for root from localhost port 5100%d ssh2");
                DaemonInNamespace.append(auth, sb.toString());
                awaitBanned(daemon, f2b, sock, "sshd", "127.0.0.1", true);
                DaemonInNamespace.sleep(1000);
                String theirLog = Files.readString(daemon.work().resolve("f2b.log"));
                // the WARNING lines of fail2ban.ipdns, a Python set's items sorted (their order is the process's)
                java.util.function.Function<String, String> dns = log -> String.join("\n", java.util.regex.Pattern
                        .compile("(?m) fail2ban\\.ipdns +\\[\\d+\\]: WARNING +(.*)$").matcher(log).results()
                        .map(r -> java.util.regex.Pattern.compile("\\{([^}]*)\\}").matcher(r.group(1)).replaceAll(set -> "{"
                                + String.join(", ", new java.util.TreeSet<>(java.util.List.of(set.group(1).split(", ")))) + "}"))
                        .toList());
                assertTrue(dns.apply(theirLog).startsWith("Unable to find a corresponding IP address for nowhere.invalid: "
                        + "[Errno -3] Temporary failure in name resolution\n"), theirLog);
                assertTrue(dns.apply(theirLog).contains("Determined IP using DNS Lookup: localhost = {"), theirLog);
                assertEquals(dns.apply(theirLog), dns.apply(daemon.output()), daemon.output());
                assertEquals(events(theirLog), events(daemon.output()), "the Found and Ban lines");
                assertAnswersAlike(daemon, f2b, sock, java.util.List.<String[]>of(new String[] {"status", "sshd"}));
            } finally {
                stopFail2ban(daemon, f2b, sock);
            }
        }
    }

    /** fail2ban-client's answers to {@code asked} from fail2ban-server and from the daemon: the same text, all at once. */
    private static void assertAnswersAlike(DaemonInNamespace daemon, Path f2b, Path sock, java.util.List<String[]> asked) {
        assertAnswersAlike(daemon, f2b, sock, asked, null);
    }

    /**
     * As above, through {@code link} (a link named fail2ban-client to the image's launcher) when
     * not null: then the exit status too, and errors as fail2ban-client says them.
     */
    private static void assertAnswersAlike(DaemonInNamespace daemon, Path f2b, Path sock, java.util.List<String[]> asked,
            Path link) {
        StringBuilder theirs = new StringBuilder();
        StringBuilder ours = new StringBuilder();
        for (String[] q : asked) {
            String head = String.join(" ", q) + ":\n";
            if (link == null) {
                theirs.append(head).append(withoutLogLines(fail2ban(f2b, sock, q)));
                ours.append(head).append(daemon.cli(q).out());
                continue;
            }
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(CLIENT.toString(), "-c", f2b.toString(),
                    "-s", sock.toString()));
            cmd.addAll(java.util.List.of(q));
            Shell.Result t = Shell.run(cmd.toArray(String[]::new));
            theirs.append(head).append(withoutLogLines(t.out())).append("exit ").append(t.status()).append('\n');
            cmd.set(0, link.toString());
            cmd.set(2, daemon.etc().toString());
            cmd.set(4, daemon.socket().toString());
            Shell.Result o = Shell.run(cmd.toArray(String[]::new));
            ours.append(head).append(withoutLogLines(o.out())).append("exit ").append(o.status()).append('\n');
        }
        assertEquals(theirs.toString(), ours.toString());
    }

    /**
     * The jails' lifecycle lines of a fail2ban-style log ("fail2ban.jail ... INFO Jail 'sshd'
     * started", "Creating new jail 'sshd'", reloads) and their settings' lines ("  maxRetry: 3",
     * "  banTime: -1", "Set banTime.maxtime = 2h", "  encoding: latin-1", "[sshd] Added journal match
     * for: '...'"), logger and message, sorted: the two stop their jails in their own order.
     */
    static String lifecycle(String log) {
        java.util.List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?m) (fail2ban\\.(?:jail|server|filter|actions|filtersystemd)) +\\[\\d+\\]: INFO {4}((?:Creating new jail|Reload jail) '[^']*'"
                        + "|Jail '[^']*' (?:started|stopped|reloaded)|Reload all jails|Reload finished\\."
                        + "|  (?:maxLines|maxRetry|findtime|banTime|encoding): \\S+|Set banTime\\.\\S+ = .*"
                        + "|\\[[^\\]]+\\] Added journal match for: .*)$")
                .matcher(log);
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        java.util.Collections.sort(out);
        return String.join("\n", out);
    }

    /** The messages of a fail2ban-style log's WARNING lines from its filter, in order. */
    static String warnings(String log) {
        java.util.List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m) fail2ban\\.filter +\\[\\d+\\]: WARNING +(.*)$").matcher(log);
        while (m.find()) {
            out.add(m.group(1).strip());
        }
        return String.join("\n", out);
    }

    /**
     * fail2ban's recidive jail on each daemon's own log file: an attacker banned twice by sshd is
     * banned by recidive, from the "Ban" lines each daemon wrote itself. (Four-second bans: fail2ban
     * skips a ban that is already over when its poll sees the lines.)
     */
    @Test
    void recidiveBansFromEachDaemonsOwnBanLinesAsFail2banDoes() throws Exception {
        assumeBothRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pcf2br", "pcf2br")) {
            Path auth = daemon.createLog("auth.log");
            Path ours = daemon.work().resolve("portcullis.log");
            String jail = """
                    [sshd]
                    enabled = true
                    filter = sshd
                    logpath = %s
                    maxretry = 3
                    findtime = 10m
                    bantime = 4
                    [recidive]
                    enabled = true
                    filter = recidive
                    logpath = %%s
                    maxretry = 2
                    findtime = 1d
                    bantime = 1w
                    """.formatted(auth);
            String defaults = "[DEFAULT]\nbackend = polling\n";
            Files.writeString(daemon.etc().resolve("fail2ban.conf"), "[Definition]\nlogtarget = " + ours + "\n");
            Path f2b = configureBoth(daemon, defaults, jail.formatted(ours), jail.formatted(daemon.work().resolve("f2b.log")));
            Path sock = daemon.work().resolve("f2b.sock");
            Files.writeString(daemon.work().resolve("f2b.log"), ""); // fail2ban wants a jail's log to exist
            try {
                startBoth(daemon, f2b, sock);
                String attacker = "192.0.2.7";
                for (int round = 0; round < 2; round++) {
                    StringBuilder sb = new StringBuilder();
                    lines(sb, SYSLOG.format(LocalDateTime.now()), 3,
                            "sshd[1001]: Failed password for root from " + attacker + " port 5000%d ssh2");
                    DaemonInNamespace.append(auth, sb.toString());
                    awaitBanned(daemon, f2b, sock, "sshd", attacker, true);
                    awaitBanned(daemon, f2b, sock, "sshd", attacker, false);
                }
                awaitBanned(daemon, f2b, sock, "recidive", attacker, true);
                DaemonInNamespace.sleep(1500);
                for (String[] q : new String[][] {{"status", "recidive"}, {"banned"}}) {
                    // each reads its own log: the file list differs by that name only
                    String theirs = withoutLogLines(fail2ban(f2b, sock, q)).replace(daemon.work().resolve("f2b.log").toString(),
                            ours.toString());
                    assertEquals(theirs, daemon.cli(q).out(), String.join(" ", q));
                }
                assertTrue(daemon.set("recidive-v4").contains("\"" + attacker + "\""), daemon.set("recidive-v4"));
            } finally {
                stopFail2ban(daemon, f2b, sock);
            }
        }
    }

    /** An sshd jail at maxretry 3 in 10 minutes, reading what {@code source} says, banning for {@code bantime}. */
    private static String sshdJail(String source, String bantime, String... more) {
        StringBuilder sb = new StringBuilder("[sshd]\nenabled = true\nfilter = sshd\n").append(source)
                .append("\nmaxretry = 3\nfindtime = 10m\nbantime = ").append(bantime).append('\n');
        for (String m : more) {
            sb.append(m).append('\n');
        }
        return sb.toString();
    }

    /**
     * Both configurations: ours bans on every port in the kernel, fail2ban-server's has no action
     * (its bans are its own state); returns fail2ban's directory.
     */
    private static Path configureBoth(DaemonInNamespace daemon, String defaults, String ourJails, String theirJails)
            throws java.io.IOException {
        Files.writeString(daemon.etc().resolve("jail.conf"), defaults + "banaction_allports = nftables-allports\n"
                + "action = %(banaction_allports)s\n" + ourJails);
        daemon.writePortcullisConf("");
        return fail2banConfig(daemon, defaults + "action =\n" + theirJails);
    }

    /** fail2ban-server's configuration beside the daemon's: its own fail2ban.conf, the same filter.d. */
    private static Path fail2banConfig(DaemonInNamespace daemon, String jailConf) throws java.io.IOException {
        Path f2b = Files.createDirectories(daemon.work().resolve("f2b-etc"));
        Files.createSymbolicLink(f2b.resolve("filter.d"), daemon.etc().resolve("filter.d"));
        Files.writeString(f2b.resolve("fail2ban.conf"), """
                [Definition]
                loglevel = INFO
                logtarget = %s
                socket = %s
                pidfile = %s
                dbfile = %s
                """.formatted(daemon.work().resolve("f2b.log"), daemon.work().resolve("f2b.sock"),
                daemon.work().resolve("f2b.pid"), daemon.work().resolve("f2b.sqlite3")));
        Files.writeString(f2b.resolve("jail.conf"), jailConf);
        return f2b;
    }

    /** Namespaces, the image and the real fail2ban-server are all here (else the test is skipped). */
    private static void assumeBothRunnable() {
        DaemonInNamespace.assumeRunnable();
        assumeTrue(Files.isExecutable(SERVER) && Files.isExecutable(CLIENT), "fail2ban-server is not installed");
    }

    /** fail2ban-server, then the daemon, each answering before this returns. */
    private static void startBoth(DaemonInNamespace daemon, Path f2b, Path sock) throws java.io.IOException {
        startFail2ban(daemon, f2b, sock);
        daemon.start();
    }

    private static void startFail2ban(DaemonInNamespace daemon, Path f2b, Path sock) {
        Shell.Result started = daemon.inNamespace(SERVER.toString(), "-b", "-x", "-c", f2b.toString(),
                "-s", sock.toString(), "-p", daemon.work().resolve("f2b.pid").toString());
        assertTrue(started.ok(), "fail2ban-server: " + started.out());
        assertTrue(awaitFail2ban(f2b, sock), "fail2ban-server did not answer ping");
    }

    private static void stopFail2ban(DaemonInNamespace daemon, Path f2b, Path sock) throws java.io.IOException {
        fail2ban(f2b, sock, "stop");
        Path pid = daemon.work().resolve("f2b.pid");
        if (Files.isRegularFile(pid)) {
            Shell.run("kill", Files.readString(pid).strip());
        }
    }

    /** Waits until both have {@code address} banned (or both not); returns our {@code get JAIL banip --with-time}. */
    private static String awaitBanned(DaemonInNamespace daemon, Path f2b, Path sock, String jail, String address,
            boolean present) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (banned(daemon.cli("status", jail).out()).contains(address) != present
                || banned(fail2ban(f2b, sock, "status", jail)).contains(address) != present) {
            assertTrue(System.nanoTime() < deadline, address + (present ? " not banned" : " not unbanned")
                    + " by both within 20 s:\n" + daemon.cli("status", jail).out() + "\n" + fail2ban(f2b, sock, "status", jail));
            DaemonInNamespace.sleep(50);
        }
        return daemon.cli("get", jail, "banip", "--with-time").out();
    }

    /** The message of the last "Increase Ban" line of a fail2ban-style log ("" when none). */
    static String increaseLine(String log) {
        String found = "";
        for (String line : log.split("\n")) {
            int at = line.indexOf("[sshd] Increase Ban ");
            if (at >= 0 && line.contains(" NOTICE ")) {
                found = line.substring(at).strip();
            }
        }
        return found;
    }

    /** The lines of a {@code get JAIL banip --with-time} answer that name a ban (fail2ban-client adds its warnings). */
    static String withTime(String answer) {
        StringBuilder sb = new StringBuilder();
        for (String line : answer.split("\n")) {
            if (line.contains(" + ") && line.contains(" = ")) {
                sb.append(line.strip()).append('\n');
            }
        }
        return sb.toString();
    }

    /** The log lines, oldest first; the sentinel's three failures come last. */
    private static String scenario() {
        String now = SYSLOG.format(LocalDateTime.now());
        String old = SYSLOG.format(LocalDateTime.now().minusMinutes(20));
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 3; i++) { // older than findtime: not counted
            sb.append(old).append(" web sshd[1006]: Failed password for root from 192.0.2.6 port 5000").append(i).append(" ssh2\n");
        }
        lines(sb, now, 3, "sshd[1001]: Failed password for root from 192.0.2.1 port 5000%d ssh2");
        lines(sb, now, 2, "sshd[1002]: Failed password for root from 192.0.2.2 port 5000%d ssh2"); // below maxretry
        lines(sb, now, 4, "sshd[1003]: Invalid user admin from 192.0.2.3 port 5000%d");
        lines(sb, now, 3, "sshd[1004]: Failed password for root from 2001:db8::3 port 5000%d ssh2");
        lines(sb, now, 4, "sshd[1005]: Failed password for root from 192.0.2.250 port 5000%d ssh2"); // ignoreip
        lines(sb, now, 3, "sshd[1020]: Failed password for root from 127.0.0.1 port 5000%d ssh2"); // ignoreself
        lines(sb, now, 4, "sshd[1010]: Accepted publickey for alice from 192.0.2.4 port 22 ssh2: RSA SHA256:x%d");
        // the user name holds an address: the failure is the connection's, 192.0.2.5
        lines(sb, now, 3, "sshd[1011]: Failed password for invalid user from 198.51.100.9 from 192.0.2.5 port 2%d ssh2");
        lines(sb, now, 3, "sshd[101%d]: Connection closed by authenticating user root 192.0.2.9 port 50009 [preauth]");
        lines(sb, now, 3, "sshd[1099]: Failed password for root from " + SENTINEL + " port 5000%d ssh2");
        return sb.toString();
    }

    /** nginx's error.log: auth failures, another error of the same client, and the sentinel last. */
    private static String nginxScenario() {
        String now = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").format(LocalDateTime.now());
        String fail = " [error] 816#816: *%d user \"%s\" was not found in \"/etc/nginx/.htpasswd\", client: %s,"
                + " server: example.com, request: \"GET /admin HTTP/1.1\", host: \"example.com\"\n";
        String mismatch = " [error] 816#816: *%d user \"%s\": password mismatch, client: %s, server: example.com,"
                + " request: \"GET /admin HTTP/1.1\", host: \"example.com\"\n";
        String other = " [error] 816#816: *%d open() \"/var/www/html/x\" failed (2: No such file or directory), client: %s,"
                + " server: example.com, request: \"GET /x HTTP/1.1\", host: \"example.com\"\n";
        StringBuilder sb = new StringBuilder();
        sb.append(now).append(fail.formatted(1, "admin", "192.0.2.31"));
        sb.append(now).append(mismatch.formatted(2, "bob", "192.0.2.31"));
        sb.append(now).append(fail.formatted(3, "admin", "192.0.2.32"));
        sb.append(now).append(other.formatted(4, "192.0.2.32"));
        sb.append(now).append(other.formatted(5, "192.0.2.33"));
        sb.append(now).append(other.formatted(6, "192.0.2.33"));
        sb.append(now).append(mismatch.formatted(7, "x\", client: 192.0.2.34, y", "192.0.2.35"));
        sb.append(now).append(mismatch.formatted(8, "x\", client: 192.0.2.34, y", "192.0.2.35"));
        sb.append(now).append(fail.formatted(9, "root", SENTINEL));
        sb.append(now).append(fail.formatted(10, "root", SENTINEL));
        return sb.toString();
    }

    private static void lines(StringBuilder sb, String date, int count, String format) {
        for (int i = 1; i <= count; i++) {
            sb.append(date).append(" web ").append(format.formatted(i)).append('\n');
        }
    }

    private static boolean awaitFail2ban(Path conf, Path sock) {
        for (int i = 0; i < 100; i++) {
            if (Shell.run(CLIENT.toString(), "-c", conf.toString(), "-s", sock.toString(), "ping").ok()) {
                return true;
            }
            DaemonInNamespace.sleep(100);
        }
        return false;
    }

    private static String fail2ban(Path conf, Path sock, String... args) {
        String[] cmd = new String[args.length + 5];
        cmd[0] = CLIENT.toString();
        cmd[1] = "-c";
        cmd[2] = conf.toString();
        cmd[3] = "-s";
        cmd[4] = sock.toString();
        System.arraycopy(args, 0, cmd, 5, args.length);
        return Shell.run(cmd).out();
    }

    /** The jails' event messages of a fail2ban-style log ("[sshd] Found 192.0.2.1 - 2026-...", sorted). */
    static String events(String log) {
        java.util.List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)(?:INFO|NOTICE) +(\\[[\\w-]+\\] (?:Found|Ignore|Ban|Unban|Restore Ban) .*)$").matcher(log);
        while (m.find()) {
            out.add(m.group(1).strip());
        }
        java.util.Collections.sort(out);
        return String.join("\n", out);
    }

    /** fail2ban-client's answer without the log lines it writes besides (its configuration warnings). */
    static String withoutLogLines(String out) {
        StringBuilder sb = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            if (!line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} fail2ban.*")) {
                sb.append(line).append('\n');
            }
        }
        return sb.substring(0, sb.length() - 1);
    }

    /** The addresses of a status's "Banned IP list:" line. */
    static Set<String> banned(String status) {
        String list = field(status, "Banned IP list:");
        Set<String> out = new TreeSet<>();
        if (!list.isEmpty()) {
            out.addAll(Arrays.asList(list.split("\\s+")));
        }
        return out;
    }

    /** The text after {@code name} on its line of a fail2ban-style status, trimmed ("" when absent). */
    static String field(String status, String name) {
        for (String line : status.split("\n")) {
            int at = line.indexOf(name);
            if (at >= 0) {
                return line.substring(at + name.length()).strip();
            }
        }
        return "";
    }
}
