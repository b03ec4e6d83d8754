package ips.app.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.LogLine;
import ips.filter.FilterMatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jail.conf without fail2ban's {@code [DEFAULT] filter = %(__name__)s} (this used to crash
 * {@code run} and {@code check-config} with a NullPointerException in the filter compiler).
 */
class JailWithoutFilterTest {
    @TempDir
    Path dir;

    @BeforeEach
    void tree() throws Exception {
        Files.createDirectories(dir.resolve("filter.d"));
        Files.writeString(dir.resolve("filter.d/sshd.conf"),
                "[Definition]\nfailregex = ^Failed password for .* from <HOST>\n");
        Files.writeString(dir.resolve("portcullis.conf"), "");
        Files.writeString(dir.resolve("auth.log"), "");
        Files.writeString(dir.resolve("jail.conf"), """
                [DEFAULT]
                banaction = nftables
                action = %(banaction)s[port=ssh]
                logpath = DIR/auth.log
                [sshd]
                enabled = true
                filter = sshd
                [nofilter]
                enabled = true
                [ownregex]
                enabled = true
                failregex = ^bad login from <HOST>$
                """.replace("DIR", dir.toString()));
    }

    @Test
    void runSkipsTheJailWithNoFilterAndKeepsTheOthers() throws Exception {
        ConfigSnapshot s = ConfigSnapshot.load(dir, false);
        assertEquals(java.util.Set.of("sshd", "ownregex"), s.setups().keySet());
        assertTrue(s.notices().stream().anyMatch(n -> n.startsWith("jail 'nofilter' skipped: No filter set for jail 'nofilter'")
                && n.contains(dir.resolve("jail.conf") + ":")), s.notices().toString());
        FilterMatcher m = s.setups().get("ownregex").filter().newSourceMatcher(ZoneOffset.UTC.getRules(), () -> 0L);
        List<String> ids = new ArrayList<>();
        m.process(LogLine.ofFile("auth.log", "bad login from 192.0.2.7"), (n, f) -> {
            if (f.isFailure()) {
                ids.add(f.fid());
            }
        });
        assertEquals(List.of("192.0.2.7"), ids);
    }

    @Test
    void checkConfigNamesTheJail() {
        ConfigSnapshot.InvalidConfigException e = assertThrows(ConfigSnapshot.InvalidConfigException.class,
                () -> ConfigSnapshot.load(dir, true));
        assertTrue(e.getMessage().startsWith("jail 'nofilter': No filter set for jail 'nofilter'"), e.getMessage());
    }
}
