package ips.app.daemon;

import ips.api.JailRule;
import ips.config.ConfigException;
import ips.config.Fail2banSettings;
import ips.config.JailDefinition;
import ips.config.Jails;
import ips.config.JailsLoader;
import ips.config.PortcullisSettings;
import ips.engine.FormulaException;
import ips.engine.JailPolicy;
import ips.filter.CompiledFilter;
import ips.filter.FilterException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One complete, validated reading of a configuration tree: every enabled jail with its compiled
 * filter, its engine policy and its firewall rule, plus our own and fail2ban's global settings.
 * Built whole or not at all, so a reload with a broken file changes nothing.
 */
public record ConfigSnapshot(Path dir, Jails jails, PortcullisSettings settings, Fail2banSettings fail2ban,
        Map<String, JailSetup> setups, List<String> notices) {

    /** What one jail needs at run time. */
    public record JailSetup(JailDefinition definition, CompiledFilter filter, JailPolicy policy, JailRule rule,
            List<String> notMapped) {}

    /** A configuration that cannot run; the message names the file, line and key where known. */
    public static class InvalidConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@code reload JAIL} of a jail that neither runs nor is enabled: nothing was changed. */
    public static final class NoSuchJailException extends InvalidConfigException {
        private static final long serialVersionUID = 1L;

        NoSuchJailException(String jail) {
            super("Sorry but the jail '" + jail + "' does not exist", null); // fail2ban-client's words
        }
    }

    /**
     * Reads and compiles the tree. {@code strict} refuses a tree in which an enabled jail has
     * errors (reload: keep what runs); otherwise such a jail is skipped and reported, as fail2ban
     * does at start.
     */
    public static ConfigSnapshot load(Path dir, boolean strict) throws InvalidConfigException {
        return load(dir, strict, null);
    }

    /**
     * As {@link #load(Path, boolean)}, building (compiling the filter of) only jail {@code onlyJail}
     * when it is not null: {@code reload JAIL}, which another jail's broken filter must not stop.
     * The snapshot then has every jail's definition but only that jail's setup.
     */
    static ConfigSnapshot load(Path dir, boolean strict, String onlyJail) throws InvalidConfigException {
        Jails jails;
        PortcullisSettings settings;
        Fail2banSettings f2b;
        try {
            jails = JailsLoader.load(dir);
            settings = PortcullisSettings.load(ConfigSource.settingsDir(dir));
            f2b = Fail2banSettings.load(dir);
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage(), e);
        }
        Map<String, JailSetup> setups = new LinkedHashMap<>();
        List<String> notices = new ArrayList<>(jails.notices());
        for (Map.Entry<String, String> skipped : jails.skipped().entrySet()) {
            if (strict) {
                throw new InvalidConfigException("jail '" + skipped.getKey() + "': " + skipped.getValue(), null);
            }
            notices.add("jail '" + skipped.getKey() + "' skipped: " + skipped.getValue());
        }
        List<JailDefinition> toBuild = onlyJail == null ? jails.jails()
                : jails.jails().stream().filter(j -> j.name().equals(onlyJail)).toList();
        Object[] compiled = compileFilters(toBuild);
        for (int i = 0; i < compiled.length; i++) {
            JailDefinition j = toBuild.get(i);
            if (j.blocking() == JailDefinition.Blocking.LETS_IN) {
                // enforced as a block, it would lock out exactly the addresses the jail means to let in
                String why = "blocktype " + j.blockType().strip() + " makes its bans let addresses in (an allow list,"
                        + " the rest refused by returntype); Portcullis bans only by blocking, so it does not run this jail";
                if (strict) {
                    throw new InvalidConfigException("jail '" + j.name() + "': " + why, null);
                }
                notices.add("jail '" + j.name() + "' skipped: " + why);
                continue;
            }
            CompiledFilter filter;
            switch (compiled[i]) {
                case CompiledFilter f -> filter = f;
                case FilterException e -> throw new InvalidConfigException(
                        "jail '" + j.name() + "', filter '" + j.filterSpec() + "': " + e.getMessage(), e);
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new IllegalStateException("filter of jail '" + j.name() + "' not compiled");
            }
            JailPolicy policy;
            try {
                policy = PolicyMapping.policy(j);
            } catch (FormulaException | IllegalArgumentException e) {
                throw new InvalidConfigException("jail '" + j.name() + "': " + e.getMessage(), e);
            }
            ActionMapping.Mapped mapped = ActionMapping.map(j, settings.forward());
            for (String a : mapped.notMapped()) {
                notices.add("jail '" + j.name() + "': action " + a + " is not run by Portcullis");
            }
            notices.addAll(mapped.notices());
            if (j.logPaths().isEmpty() && !j.usesJournal()) {
                throw new InvalidConfigException("jail '" + j.name() + "': no logpath (and backend is not systemd)", null);
            }
            setups.put(j.name(), new JailSetup(j, filter, policy, mapped.rule(), mapped.notMapped()));
        }
        if (settings.recidive() != null && setups.containsKey(settings.recidive())) {
            throw new InvalidConfigException("portcullis.conf: recidive '" + settings.recidive()
                    + "' is also a configured jail; give the native recidive another name", null);
        }
        notices.addAll(f2b.ignored().stream().map(s -> "fail2ban.conf: " + s).toList());
        return new ConfigSnapshot(dir, jails, settings, f2b, Map.copyOf(setups), List.copyOf(notices));
    }

    /**
     * Compiles every jail's filter, in configuration order: on this thread and, with two jails or
     * more on a machine with two cores or more, on one helper thread taking jails from the same
     * list (compiling is pure: the filters are independent). Each element is the jail's
     * {@link CompiledFilter} or what its compilation threw; the caller reports the first failure
     * in configuration order, as a sequential loop does.
     */
    private static Object[] compileFilters(List<JailDefinition> js) {
        Object[] out = new Object[js.size()];
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int i = next.getAndIncrement(); i < out.length; i = next.getAndIncrement()) {
                JailDefinition j = js.get(i);
                try {
                    out[i] = CompiledFilter.compile(j.filter(), j.usedns());
                } catch (FilterException | RuntimeException | Error e) {
                    out[i] = e;
                }
            }
        };
        Thread helper = js.size() > 1 && Runtime.getRuntime().availableProcessors() > 1
                ? Thread.ofPlatform().name("compile-filters").start(work) : null;
        work.run();
        if (helper != null) {
            boolean interrupted = false;
            while (true) {
                try {
                    helper.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return out;
    }

    /** The firewall rules of every jail, in configuration order, then the native recidive's. */
    /**
     * {@code running} with one jail as {@code fresh} (the tree read again, not strictly) has it:
     * started, changed, or stopped when no longer enabled; every other jail, portcullis.conf and
     * fail2ban.conf as they run. Refused when the jail is enabled but cannot run (its reason), or
     * is neither running nor enabled.
     */
    static ConfigSnapshot withJail(ConfigSnapshot running, ConfigSnapshot fresh, String jail) throws InvalidConfigException {
        String skipped = fresh.jails().skipped().get(jail);
        if (skipped != null) {
            throw new InvalidConfigException("jail '" + jail + "': " + skipped, null);
        }
        JailDefinition def = fresh.jails().jails().stream().filter(j -> j.name().equals(jail)).findFirst().orElse(null);
        if (def != null && !fresh.setups().containsKey(jail)) {
            throw new InvalidConfigException(fresh.notices().stream().filter(n -> n.startsWith("jail '" + jail + "' skipped: "))
                    .findFirst().orElse("jail '" + jail + "' cannot run"), null);
        }
        if (def == null && !running.setups().containsKey(jail)) {
            throw new NoSuchJailException(jail);
        }
        if (def != null && jail.equals(running.settings().recidive())) {
            throw new InvalidConfigException("portcullis.conf: recidive '" + jail
                    + "' is also a configured jail; give the native recidive another name", null);
        }
        List<JailDefinition> defs = new ArrayList<>();
        boolean placed = false;
        for (JailDefinition j : running.jails().jails()) {
            if (!j.name().equals(jail)) {
                defs.add(j);
            } else if (def != null) {
                defs.add(def);
                placed = true;
            }
        }
        if (def != null && !placed) {
            defs.add(def);
        }
        Map<String, JailSetup> setups = new LinkedHashMap<>(running.setups());
        if (def != null) {
            setups.put(jail, fresh.setups().get(jail));
        } else {
            setups.remove(jail);
        }
        Map<String, String> stillSkipped = new LinkedHashMap<>(running.jails().skipped());
        stillSkipped.remove(jail);
        // its notices: "jail 'J' ...", "[J] ..." and "FILE:LINE: [J] ..."
        List<String> notices = fresh.notices().stream()
                .filter(n -> n.startsWith("jail '" + jail + "'") || n.startsWith("[" + jail + "]") || n.contains(": [" + jail + "] "))
                .toList();
        return new ConfigSnapshot(running.dir(), new Jails(defs, stillSkipped, running.jails().notices()), running.settings(),
                running.fail2ban(), Map.copyOf(setups), notices);
    }

    /** The jails that run, in configuration order (a jail skipped at start, such as one that lets addresses in, is not among them). */
    private List<JailSetup> running() {
        List<JailSetup> out = new ArrayList<>();
        for (JailDefinition j : jails.jails()) {
            JailSetup s = setups.get(j.name());
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    public List<JailRule> rules() {
        List<JailRule> rules = new ArrayList<>(running().stream().map(JailSetup::rule).toList());
        if (settings.recidive() != null) {
            rules.add(JailRule.allPorts(settings.recidive()));
        }
        return rules;
    }

    public List<JailPolicy> policies() {
        return running().stream().map(JailSetup::policy).toList();
    }
}
