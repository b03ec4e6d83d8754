package ips.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.PortRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** portcullis.conf, fail2ban.conf, durations and port lists. */
class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void portcullisDefaultsApplyWhenTheFileIsAbsent() throws Exception {
        assertEquals(PortcullisSettings.defaults(), PortcullisSettings.load(dir));
    }

    @Test
    void portcullisLocalOverridesConfAndInterpolates() throws Exception {
        Files.writeString(dir.resolve("portcullis.conf"), """
                [portcullis]
                statedir = /srv/pc
                ledger = %(statedir)s/bans.ledger
                memory.maxentries = 50000
                table = pc
                metrics = 127.0.0.1:9100
                """);
        Files.writeString(dir.resolve("portcullis.local"), "[portcullis]\nforward = yes\nblocktype = reject\n"
                + "socket.group = adm\nmemory.maxentries = 2_000\n");
        PortcullisSettings s = PortcullisSettings.load(dir);
        assertEquals(Path.of("/srv/pc"), s.stateDir());
        assertEquals(Path.of("/srv/pc/bans.ledger"), s.ledger());
        assertEquals(2000, s.maxEntries());
        assertEquals("pc", s.table());
        assertEquals("127.0.0.1", s.metricsHost());
        assertEquals(9100, s.metricsPort());
        assertTrue(s.forward());
        assertEquals("reject", s.blockType());
        assertEquals("adm", s.socketGroup());
        assertEquals(Path.of("/run/portcullis/portcullis.sock"), s.socket());
    }

    @Test
    void badPortcullisValueNamesFileLineAndKey() throws Exception {
        Files.writeString(dir.resolve("portcullis.local"), "[portcullis]\n\nmetrics = nowhere\n");
        ConfigException e = assertThrows(ConfigException.class, () -> PortcullisSettings.load(dir));
        assertEquals("metrics", e.key());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(dir.resolve("portcullis.local") + ":3: "), e.getMessage());
    }

    @Test
    void fail2banConfOfTheInstalledTreeReadsAndReportsWhatWeIgnore() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/etc/fail2ban/fail2ban.conf")), "needs /etc/fail2ban");
        Fail2banSettings s = Fail2banSettings.load(Path.of("/etc/fail2ban"));
        assertEquals("INFO", s.logLevel());
        assertEquals(86400, s.dbPurgeAgeSeconds());
        assertTrue(s.ignored().stream().anyMatch(l -> l.contains("dbfile")), s.ignored().toString());
    }

    @Test
    void theDatabaseAndSocketSettingsWeDoNotUseAreOneNoticeNamingEach() throws Exception {
        Files.writeString(dir.resolve("fail2ban.conf"), "[Definition]\nloglevel = INFO\ndbfile = /var/lib/f2b.sqlite3\n"
                + "dbpurgeage = 1d\nsocket = /run/f2b.sock\n\n[Thread]\nstacksize = 0\n");
        Fail2banSettings s = Fail2banSettings.load(dir);
        assertEquals(List.of("dbfile = /var/lib/f2b.sqlite3, dbpurgeage = 1d, socket = /run/f2b.sock: not used"
                + " (Portcullis has its own ledger, socket and state directory: portcullis.conf)", "[Thread]: not used"),
                s.ignored());
    }

    @Test
    void fail2banLocalOverridesConf() throws Exception {
        Files.writeString(dir.resolve("fail2ban.conf"), "[Definition]\nloglevel = INFO\nlogtarget = /var/log/f.log\n");
        Files.writeString(dir.resolve("fail2ban.local"), "[Definition]\nloglevel = DEBUG\ndbpurgeage = 1w\n");
        Fail2banSettings s = Fail2banSettings.load(dir);
        assertEquals("DEBUG", s.logLevel());
        assertEquals("/var/log/f.log", s.logTarget());
        assertEquals(604800, s.dbPurgeAgeSeconds());
    }

    @ParameterizedTest(name = "{0} = {1} s")
    @CsvSource({
        "600, 600", "10m, 600", "1h, 3600", "1d, 86400", "1w, 604800", "-1, -1", "1h30m, 5400",
        "'1h 30m', 5400", "0d 1h 30m, 5400", "1hour+30min, 5400", "1d12h, 129600", "2 days, 172800",
        "6 months, 15778800", "1year-6mo, 15778800", "1y, 31557600", "30s, 30", "5mo, 13149000", "1.5h, 5400",
        "(1+1)*10m, 1200", "10sec, 10", "3hours, 10800"
    })
    void durationsFollowFail2bansStr2seconds(String text, long seconds) {
        assertEquals(seconds, Durations.toSeconds(text));
    }

    @ParameterizedTest
    @CsvSource({"forever", "1h 30x", "'1 2 3'", "''"})
    void nonDurationsAreRejected(String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.toSeconds(text));
    }

    @Test
    void portListsAcceptNamesNumbersAndBothRangeForms() {
        assertEquals(List.of(PortRange.single(22), PortRange.single(80), PortRange.single(443),
                new PortRange(6000, 6010), new PortRange(7000, 7005), PortRange.single(20), PortRange.single(465)),
                Services.parse("ssh, http,https,6000:6010,7000-7005,ftp-data,smtps"));
        assertThrows(IllegalArgumentException.class, () -> Services.parse("no-such-service-name"));
        assertThrows(IllegalArgumentException.class, () -> Services.parse("70000"));
    }

    @Test
    void everyPortNameJailConfUsesIsKnown() throws Exception {
        Path jailConf = Path.of("/etc/fail2ban/jail.conf");
        assumeTrue(Files.isRegularFile(jailConf), "needs /etc/fail2ban/jail.conf");
        for (String line : Files.readAllLines(jailConf)) {
            if (line.matches("^port\\s*=.*") && !line.contains("%(")) {
                Services.parse(line.substring(line.indexOf('=') + 1));
            }
        }
    }
}
