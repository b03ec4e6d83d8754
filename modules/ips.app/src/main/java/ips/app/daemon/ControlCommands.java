package ips.app.daemon;

import ips.api.AddressFormatException;
import ips.api.Ban;
import ips.api.IpPrefix;
import ips.app.control.ControlHandler;
import ips.app.control.ControlReply;
import ips.app.ops.Json;
import ips.config.JailDefinition;
import ips.engine.BanDecision;
import ips.engine.JailStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * fail2ban-client's verbs, answered by the daemon: {@code ping}, {@code status [JAIL]},
 * {@code ban JAIL ADDR…}, {@code unban ADDR…|--all}, {@code banned [ADDR]}, {@code reload [JAIL]},
 * {@code get JAIL KEY}, {@code set JAIL banip|unbanip ADDR…}, {@code flushlogs}, {@code stop}.
 * {@code --json} anywhere asks for JSON.
 */
public final class ControlCommands implements ControlHandler {
    private final Daemon daemon;

    public ControlCommands(Daemon daemon) {
        this.daemon = daemon;
    }

    @Override
    public ControlReply handle(List<String> request) {
        List<String> args = new ArrayList<>(request);
        boolean json = args.remove("--json");
        if (args.isEmpty()) {
            return ControlReply.error("empty request");
        }
        String verb = args.remove(0);
        try {
            return switch (verb) {
                case "ping" -> ControlReply.ok(json ? "{\"pong\":true}\n" : "Server replied: pong\n"); // as fail2ban-client
                case "status" -> args.isEmpty() ? status(json) : jailStatus(args.get(0), json);
                case "ban" -> ban(args, json);
                case "unban" -> unban(args, json);
                case "banned" -> banned(args, json);
                case "reload" -> reload(args, json);
                case "get" -> get(args, json);
                case "set" -> set(args, json);
                case "flushlogs" -> {
                    // fail2ban-client flushlogs, which logrotate's postrotate runs: reopen the logtarget file
                    boolean reopened = daemon.log().reopen(true);
                    yield ControlReply.ok(json ? "{\"reopened\":" + reopened + "}\n"
                            : reopened ? "rollover performed\n" : "the log is not a file: nothing to reopen\n");
                }
                case "stop" -> {
                    daemon.requestStop();
                    yield ControlReply.ok(json ? "{\"stopping\":true}\n" : "Shutdown successful\n");
                }
                default -> ControlReply.error("unknown command '" + verb + "'");
            };
        } catch (IllegalArgumentException e) {
            return ControlReply.error(e.getMessage());
        }
    }

    private ControlReply status(boolean json) {
        List<String> names = daemon.engine().jailNames();
        if (json) {
            return ControlReply.ok(Json.object(Map.of("jails", names)) + "\n");
        }
        List<String> sorted = names.stream().sorted().toList(); // fail2ban's server sorts the list
        return ControlReply.ok("Status\n|- Number of jail:\t" + names.size() + "\n`- Jail list:\t" + String.join(", ", sorted) + "\n");
    }

    /** fail2ban-client's answer for a jail that does not run. */
    private static IllegalArgumentException noSuchJail(String jail) {
        return new IllegalArgumentException("Sorry but the jail '" + jail + "' does not exist");
    }

    private ControlReply jailStatus(String jail, boolean json) {
        if (!daemon.engine().jailNames().contains(jail)) {
            throw noSuchJail(jail);
        }
        JailStatus st = daemon.engine().status(jail);
        List<String> sources = new ArrayList<>();
        for (SourceReader r : daemon.readers()) {
            if (r.jail().equals(jail)) {
                sources.add(r.source().description());
            }
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jail", jail);
            m.put("currently_failed", st.currentlyFailed());
            m.put("total_failed", st.totalFailed());
            m.put("sources", sources);
            m.put("currently_banned", st.currentlyBanned());
            m.put("total_banned", st.totalBanned());
            m.put("banned", st.bannedList().stream().map(IpPrefix::toString).toList());
            return ControlReply.ok(Json.object(m) + "\n");
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Status for the jail: ").append(jail).append('\n');
        sb.append("|- Filter\n");
        sb.append("|  |- Currently failed:\t").append(st.currentlyFailed()).append('\n');
        sb.append("|  |- Total failed:\t").append(st.totalFailed()).append('\n');
        sb.append(sourceLine(jail, sources));
        sb.append("`- Actions\n");
        sb.append("   |- Currently banned:\t").append(st.currentlyBanned()).append('\n');
        sb.append("   |- Total banned:\t").append(st.totalBanned()).append('\n');
        sb.append("   `- Banned IP list:\t")
                .append(String.join(" ", st.bannedList().stream().map(IpPrefix::toString).toList())).append('\n');
        return ControlReply.ok(sb.toString());
    }

    /**
     * fail2ban's last Filter line: "File list:" with the logpath entries, or for a journal jail
     * "Journal matches:" with its matches (terms of a line by spaces, lines by " + ").
     */
    private String sourceLine(String jail, List<String> descriptions) {
        ConfigSnapshot.JailSetup s = daemon.snapshot().setups().get(jail);
        if (s == null) { // a jail of our own making (the native recidive): what its readers read
            return "|  `- File list:\t" + String.join(" ", descriptions) + "\n";
        }
        JailDefinition j = s.definition();
        if (j.usesJournal()) {
            List<String> lines = j.filter().journalMatchGroups().stream().map(m -> String.join(" ", m)).toList();
            return "|  `- Journal matches:\t" + String.join(" + ", lines) + "\n";
        }
        return "|  `- File list:\t" + String.join(" ", fileList(j)) + "\n";
    }

    /**
     * The files a file jail reads now, as fail2ban lists them (its logpath globs expanded, each
     * file once); the logpath entries as configured while it reads none (none exists yet).
     */
    private List<String> fileList(JailDefinition j) {
        java.util.LinkedHashSet<String> files = new java.util.LinkedHashSet<>();
        for (SourceReader r : daemon.readers()) {
            if (r.jail().equals(j.name())) {
                files.addAll(r.source().followed());
            }
        }
        return files.isEmpty() ? j.logPaths().stream().map(p -> p.glob()).toList() : List.copyOf(files);
    }

    private static IpPrefix target(String text) {
        try {
            return IpPrefix.parse(text);
        } catch (AddressFormatException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private ControlReply ban(List<String> args, boolean json) {
        if (args.size() < 2) {
            throw new IllegalArgumentException("usage: ban JAIL ADDR...");
        }
        String jail = args.get(0);
        List<IpPrefix> targets = new ArrayList<>();
        for (String a : args.subList(1, args.size())) {
            targets.add(target(a));
        }
        // the jail is checked and banned in on one engine, with no reload in between
        int banned = daemon.withRunningEngine(e -> {
            if (!e.jailNames().contains(jail)) {
                throw noSuchJail(jail);
            }
            int n = 0;
            for (IpPrefix t : targets) {
                BanDecision d = e.ban(jail, t);
                if (d != null) {
                    n++;
                }
            }
            return n;
        });
        daemon.log().flush(); // the "Ban" lines
        return ControlReply.ok(json ? "{\"banned\":" + banned + "}\n" : banned + "\n");
    }

    /**
     * fail2ban-client's {@code set JAIL banip ADDR...} (as {@code ban}) and {@code set JAIL unbanip
     * [--report-absent] ADDR...} (lifts bans in that jail only; with {@code --report-absent} an
     * address that jail does not ban is an error, as fail2ban's). Each answers the count, as
     * fail2ban-client prints it. Other settings come from the configuration: change it and reload.
     */
    private ControlReply set(List<String> args, boolean json) {
        if (args.size() < 2) {
            throw new IllegalArgumentException("usage: set JAIL banip ADDR... | set JAIL unbanip [--report-absent] ADDR...");
        }
        String jail = args.get(0);
        String key = args.get(1);
        List<String> rest = new ArrayList<>(args.subList(2, args.size()));
        switch (key) {
            case "banip" -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("usage: set JAIL banip ADDR...");
                }
                rest.add(0, jail);
                return ban(rest, json);
            }
            case "unbanip" -> {
                boolean reportAbsent = !rest.isEmpty() && rest.get(0).equals("--report-absent");
                if (reportAbsent) {
                    rest.remove(0);
                }
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("usage: set JAIL unbanip [--report-absent] ADDR...");
                }
                List<IpPrefix> targets = new ArrayList<>();
                for (String a : rest) {
                    targets.add(target(a));
                }
                // checked and lifted on one engine, with no reload in between (the lock is reentrant)
                int lifted = daemon.withRunningEngine(e -> {
                    if (!e.jailNames().contains(jail)) {
                        throw noSuchJail(jail);
                    }
                    List<IpPrefix> banned = daemon.activeBans().getOrDefault(jail, List.of()).stream().map(Ban::target).toList();
                    List<String> absent = new ArrayList<>();
                    for (IpPrefix t : reportAbsent ? targets : List.<IpPrefix>of()) {
                        if (!banned.contains(t)) {
                            absent.add(t.toString());
                        }
                    }
                    if (!absent.isEmpty()) {
                        throw new IllegalArgumentException("not banned: " + PyRepr.list(absent)); // fail2ban's words
                    }
                    return lift(jail, b -> targets.contains(b.target()));
                });
                return ControlReply.ok(json ? "{\"unbanned\":" + lifted + "}\n" : lifted + "\n");
            }
            case "attempt" -> {
                // fail2ban-client's set JAIL attempt ADDR [FAILURE...]: failures reported from elsewhere
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("usage: set JAIL attempt ADDR [FAILURE...]");
                }
                ips.api.IpAddress address = ips.api.IpAddress.tryParse(rest.get(0));
                if (address == null) {
                    throw new IllegalArgumentException("invalid address '" + rest.get(0) + "'");
                }
                int count = rest.size() - 1;
                daemon.withRunningEngine(e -> {
                    if (!e.jailNames().contains(jail)) {
                        throw noSuchJail(jail);
                    }
                    daemon.log().info("fail2ban.filter", "[" + jail + "] Attempt " + address + " - "
                            + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(java.time.LocalDateTime.now()));
                    return e.attempt(jail, address, count);
                });
                daemon.log().flush(); // the "Ban" line
                return ControlReply.ok(json ? "{\"attempted\":1}\n" : "1\n");
            }
            default -> throw new IllegalArgumentException("set " + jail + " " + key
                    + ": Portcullis takes its settings from the configuration; change it and run reload"
                    + " (set supports banip, unbanip and attempt)");
        }
    }

    private ControlReply unban(List<String> args, boolean json) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("usage: unban ADDR...|--all");
        }
        boolean all = args.contains("--all");
        List<IpPrefix> targets = new ArrayList<>();
        if (!all) {
            for (String a : args) {
                targets.add(target(a));
            }
        }
        int lifted = lift(null, b -> all || targets.contains(b.target()));
        return ControlReply.ok(json ? "{\"unbanned\":" + lifted + "}\n" : lifted + "\n");
    }

    /**
     * Lifts the active bans that {@code which} selects, of {@code jail} only (refused when it does
     * not run) or of every jail (null), and returns how many. The bans listed and lifted are one
     * engine's, with no reload in between; the "Unban" lines are flushed.
     */
    private int lift(String jail, java.util.function.Predicate<Ban> which) {
        int lifted = daemon.withRunningEngine(e -> {
            if (jail != null && !e.jailNames().contains(jail)) {
                throw noSuchJail(jail);
            }
            int n = 0;
            for (Map.Entry<String, List<Ban>> bans : daemon.activeBans().entrySet()) {
                if (jail != null && !bans.getKey().equals(jail)) {
                    continue;
                }
                for (Ban b : bans.getValue()) {
                    if (which.test(b) && e.unban(b.jail(), b.target())) {
                        n++;
                    }
                }
            }
            return n;
        });
        daemon.log().flush();
        return lifted;
    }

    private ControlReply banned(List<String> args, boolean json) {
        List<String> jails = daemon.engine().jailNames();
        if (!args.isEmpty()) {
            Map<String, List<Ban>> all = daemon.activeBans();
            List<String> jailsOf = new ArrayList<>();
            List<String> perAddress = new ArrayList<>();
            for (String a : args) {
                IpPrefix t = target(a);
                List<String> of = new ArrayList<>();
                for (String jail : jails) {
                    if (all.getOrDefault(jail, List.of()).stream().anyMatch(b -> b.target().equals(t) || b.target().contains(t))) {
                        of.add(jail);
                    }
                }
                jailsOf.addAll(of);
                perAddress.add(PyRepr.list(of));
            }
            // fail2ban-client prints the server's answer as Python does: [['sshd'], []]
            return ControlReply.ok(json ? Json.object(Map.of("jails", jailsOf)) + "\n" : "[" + String.join(", ", perAddress) + "]\n");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> perJail = new ArrayList<>();
        for (String jail : jails) {
            List<String> bans = bannedInOrder(jail);
            if (!bans.isEmpty()) { // --json: the jails that have bans, as it always answered
                m.put(jail, bans);
            }
            perJail.add("{" + PyRepr.str(jail) + ": " + PyRepr.list(bans) + "}");
        }
        return ControlReply.ok(json ? Json.object(m) + "\n" : "[" + String.join(", ", perJail) + "]\n");
    }

    /** A running jail's bans in the order they were made (fail2ban's ban list); the jail must run. */
    private List<String> bannedInOrder(String jail) {
        return daemon.engine().status(jail).bannedList().stream().map(IpPrefix::toString).toList();
    }

    /**
     * fail2ban-client's {@code reload [--restart] [--unban] [--if-exists] [JAIL]}: the whole tree,
     * all or nothing, or only the named jail's section ({@link Daemon#reload(String)}); a named
     * jail that neither runs nor is enabled in the new configuration is refused as fail2ban refuses
     * it, or left alone with {@code --if-exists}. {@code --unban} then
     * lifts every ban of the named jail, or of every jail; {@code --restart} changes nothing here
     * (fail2ban's restart of a jail restores its bans, which a reload keeps).
     */
    private ControlReply reload(List<String> args, boolean json) {
        boolean unbanAfter = args.remove("--unban");
        args.remove("--restart");
        boolean ifExists = args.remove("--if-exists");
        for (String a : args) {
            if (a.startsWith("--")) {
                throw new IllegalArgumentException("unknown option '" + a + "': reload [--restart] [--unban] [--if-exists] [JAIL]");
            }
        }
        if (args.size() > 1) {
            throw new IllegalArgumentException("usage: reload [--restart] [--unban] [--if-exists] [JAIL]");
        }
        String jail = args.isEmpty() ? null : args.get(0);
        try {
            String msg = daemon.reload(jail);
            if (unbanAfter) {
                // a jail the reload stopped has no ban left in the firewall to lift
                int lifted = jail != null && !daemon.engine().jailNames().contains(jail) ? 0 : lift(jail, b -> true);
                msg = msg + "; " + lifted + " ban(s) lifted (--unban)";
            }
            return ControlReply.ok(json ? Json.object(Map.of("reloaded", true, "message", msg)) + "\n" : "OK\n");
        } catch (ConfigSnapshot.NoSuchJailException e) { // read before anything changed: not an error of the daemon's
            if (ifExists) {
                return ControlReply.ok(json ? Json.object(Map.of("reloaded", false)) + "\n" : "OK\n");
            }
            return ControlReply.error(e.getMessage());
        } catch (ConfigSnapshot.InvalidConfigException e) {
            daemon.log().error("portcullis.config", "reload refused, running configuration kept: " + e.getMessage());
            return ControlReply.error("reload refused, the running configuration and every ban are kept:\n" + e.getMessage() + "\n");
        } catch (Exception e) {
            daemon.log().error("portcullis.config", "reload failed: " + e);
            return ControlReply.error("reload failed: " + e.getMessage() + "\n");
        }
    }

    private ControlReply get(List<String> args, boolean json) {
        if (args.size() == 1) {
            return serverSetting(args.get(0), json);
        }
        if (args.size() >= 2 && args.get(1).equals("banned")) {
            return bannedIn(args.get(0), args.subList(2, args.size()), json);
        }
        if (args.size() == 3 && !json && args.get(1).equals("banip")) {
            return banIpList(args.get(0), args.get(2));
        }
        if (args.size() != 2) {
            throw new IllegalArgumentException("usage: get JAIL KEY (maxretry, findtime, bantime, logpath, ignoreip, "
                    + "failregex, ignoreregex, datepattern, journalmatch, maxlines, actions, backend, logencoding, port, protocol, usedns, "
                    + "ignorecommand, maxmatches, bantime.increment, bantime.factor, bantime.formula, bantime.multipliers, bantime.maxtime, "
                    + "bantime.rndtime, bantime.overalljails, banip, banned)");
        }
        ConfigSnapshot.JailSetup s = daemon.snapshot().setups().get(args.get(0));
        if (s == null) {
            throw noSuchJail(args.get(0));
        }
        JailDefinition j = s.definition();
        Object v = switch (args.get(1).toLowerCase(java.util.Locale.ROOT)) {
            case "maxretry" -> j.maxRetry();
            // as fail2ban's str2seconds left them: 5400.0 for 1.5h
            case "findtime" -> JailSettingsLines.pythonNumber(JailSettingsLines.seconds(j.options().get("findtime"), j.findTime()));
            case "bantime" -> JailSettingsLines.pythonNumber(JailSettingsLines.seconds(j.options().get("bantime"), j.banTime()));
            case "maxmatches" -> j.maxMatches() == null ? 5 : j.maxMatches(); // failmanager.py's default
            case "bantime.factor", "bantime.formula", "bantime.multipliers", "bantime.maxtime", "bantime.rndtime",
                    "bantime.overalljails" -> JailSettingsLines.banTimeExtra(j, args.get(1).toLowerCase(java.util.Locale.ROOT));
            case "logpath" -> j.usesJournal() ? List.of() : fileList(j);
            case "ignoreip" -> JailSettingsLines.ignoreIpOrder(j.ignoreIp());
            case "ignoreself" -> j.ignoreSelf();
            // as fail2ban's server holds them: tags expanded (fail2ban-client prints them so)
            case "failregex" -> held(j.filter().failregex(), j.usedns());
            case "ignoreregex" -> held(j.filter().ignoreregex(), j.usedns());
            case "prefregex" -> j.filter().prefregex() == null ? "" : held(List.of(j.filter().prefregex()), j.usedns()).get(0);
            case "datepattern" -> j.filter().datepattern() == null ? "" : j.filter().datepattern();
            case "journalmatch" -> j.usesJournal() ? j.filter().journalmatch() : List.of();
            case "maxlines" -> j.filter().maxlines();
            case "actions" -> j.actions().stream().map(a -> a.name()).toList();
            case "backend" -> j.backend();
            case "logencoding" -> JailSettingsLines.encoding(j);
            case "port" -> s.rule().ports().stream().map(Object::toString).toList();
            case "protocol" -> s.rule().protocol().name().toLowerCase(java.util.Locale.ROOT);
            // fail2ban answers None while bantime.increment is not set at all
            case "bantime.increment" -> j.banTimeIncrement() == null || !j.banTimeIncrement().written() ? "None"
                    : j.banTimeIncrement().enabled();
            case "usedns" -> usedns(j.usedns());
            case "ignorecommand" -> j.ignoreCommand() == null ? Boolean.FALSE : j.ignoreCommand();
            case "banip" -> banIpOrder(j.name()).stream().map(b -> b.target().toString()).toList();
            default -> throw new IllegalArgumentException("Invalid command (no get action or not yet implemented)"); // fail2ban's words
        };
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(args.get(1), "None".equals(v) ? null : v); // bantime.* not set
            return ControlReply.ok(Json.object(m) + "\n");
        }
        return ControlReply.ok(GetText.of(args.get(1).toLowerCase(java.util.Locale.ROOT), j, v) + "\n");
    }

    private static List<String> held(List<String> regexes, String usedns) {
        String dns = usedns(usedns);
        return regexes.stream().map(r -> ips.filter.CompiledFilter.asFail2banHoldsIt(r, dns)).toList();
    }

    /** fail2ban-client's {@code get loglevel|logtarget|dbfile}, as its Beautifier words them. */
    private ControlReply serverSetting(String key, boolean json) {
        Object value;
        String text;
        switch (key) {
            case "loglevel" -> {
                value = daemon.snapshot().fail2ban().logLevel();
                text = "Current logging level is '" + value + "'";
            }
            case "logtarget" -> {
                value = daemon.logTargetInUse();
                text = "Current logging target is:\n`- " + value;
            }
            case "dbfile" -> {
                // the ban ledger is to Portcullis what the database is to fail2ban: the bans kept across restarts
                java.nio.file.Path p = daemon.ledger() == null ? null : daemon.ledger().path();
                value = p == null ? null : p.toString();
                text = p == null ? "Database currently disabled" : "Current database file is:\n`- " + p;
            }
            default -> throw new IllegalArgumentException("usage: get loglevel|logtarget|dbfile, or get JAIL KEY");
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(key, value);
            return ControlReply.ok(Json.object(m) + "\n");
        }
        return ControlReply.ok(text + "\n");
    }

    /** filter.py setUseDns: the value lower-cased; anything but yes, warn, no or raw is taken as no. */
    private static String usedns(String value) {
        String v = value == null ? "warn" : value.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "yes", "warn", "no", "raw" -> v;
            default -> "no";
        };
    }

    /**
     * fail2ban-client's {@code get JAIL banned}: the jail's banned addresses (Python's list, in the
     * order the bans were made), or for addresses {@code 1}/{@code 0} each (one: a number, several: a
     * list).
     */
    private ControlReply bannedIn(String jail, List<String> addresses, boolean json) {
        if (!daemon.engine().jailNames().contains(jail)) {
            throw noSuchJail(jail);
        }
        List<String> bans = bannedInOrder(jail);
        if (addresses.isEmpty()) {
            return ControlReply.ok((json ? Json.object(Map.of("banned", bans)) : PyRepr.list(bans)) + "\n");
        }
        List<Integer> in = new ArrayList<>();
        for (String a : addresses) {
            in.add(bans.contains(target(a).toString()) ? 1 : 0);
        }
        if (json) {
            return ControlReply.ok(Json.object(Map.of("banned", in)) + "\n");
        }
        return ControlReply.ok((in.size() == 1 ? in.get(0).toString() : in.toString()) + "\n");
    }

    /**
     * A running jail's active bans as fail2ban's {@code getBanList(ordered=True)} lists them: by the
     * end of the ban, bans ending together in the order they were made.
     */
    private List<Ban> banIpOrder(String jail) {
        Map<IpPrefix, Ban> byTarget = new java.util.HashMap<>();
        for (Ban b : daemon.activeBans().getOrDefault(jail, List.of())) {
            byTarget.put(b.target(), b);
        }
        List<Ban> out = new ArrayList<>();
        for (IpPrefix t : daemon.engine().status(jail).bannedList()) {
            Ban b = byTarget.get(t);
            if (b != null) {
                out.add(b);
            }
        }
        out.sort(java.util.Comparator.comparingLong(Ban::expiresAtMillis)); // stable
        return out;
    }

    /**
     * fail2ban-client's {@code get JAIL banip SEP} (the addresses joined with SEP) and {@code get JAIL
     * banip --with-time} (one per line: {@code ADDR \tSTART + BANTIME = END}, local times, as
     * fail2ban's BanManager writes them; a permanent ban's bantime is -1).
     */
    private ControlReply banIpList(String jail, String sep) {
        if (!daemon.snapshot().setups().containsKey(jail)) {
            throw noSuchJail(jail);
        }
        List<String> out = new ArrayList<>();
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(java.time.ZoneId.systemDefault());
        synchronized (daemon.ledger()) {
            for (Ban b : banIpOrder(jail)) {
                if (!sep.equals("--with-time")) {
                    out.add(b.target().toString());
                    continue;
                }
                ips.engine.ledger.BanLedger.Entry e = daemon.ledger().find(jail, b.target());
                long start = e == null ? b.expiresAtMillis() : e.lastBanTime();
                long seconds = b.expiresAtMillis() == Ban.PERMANENT ? -1 : Math.max(0, (b.expiresAtMillis() - start) / 1000);
                // a permanent ban ends when fail2ban's time2str runs out of years
                String end = seconds < 0 ? "9999-12-31 23:59:59" : f.format(java.time.Instant.ofEpochMilli(start + seconds * 1000));
                out.add(b.target() + " \t" + f.format(java.time.Instant.ofEpochMilli(start)) + " + " + seconds + " = " + end);
            }
        }
        return ControlReply.ok(String.join(sep.equals("--with-time") ? "\n" : sep, out) + "\n");
    }
}
