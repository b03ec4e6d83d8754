package ips.filter;

import ips.config.FilterDefinition;
import ips.config.FilterLoader;
import ips.filter.date.DateDetector;
import ips.filter.date.TimeZones;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.zone.ZoneRules;
import java.util.Map;

/** Test helper: stock filters from /etc/fail2ban, set up as fail2ban's sample tests set them up. */
final class Sshd {
    static final Path CONFIG = Path.of("/etc/fail2ban");
    static final long NOW_MS = 1124013600_000L;

    private Sshd() {}

    static boolean available() {
        return Files.isRegularFile(CONFIG.resolve("filter.d/sshd.conf"));
    }

    static FilterMatcher matcher(String filter, Map<String, String> opts, boolean checkAll) throws Exception {
        FilterDefinition def = FilterLoader.load(CONFIG, filter, opts);
        CompiledFilter cf = CompiledFilter.compile(def, "warn");
        ZoneRules zone = TimeZones.parse("CET-01CEST-02,M3.5.0,M10.5.0");
        DateDetector dd = DateDetector.defaults(zone, () -> NOW_MS);
        return cf.newMatcher(dd::find, () -> NOW_MS, checkAll);
    }
}
