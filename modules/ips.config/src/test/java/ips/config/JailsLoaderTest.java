package ips.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.JailRule;
import ips.api.PortRange;
import ips.api.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Jail resolution on small self-contained trees (no /etc/fail2ban needed). */
class JailsLoaderTest extends ConfigTreeFixture {
    @BeforeEach
    void tree() throws IOException {
        write("filter.d/sshd.conf", """
                [Definition]
                mdre-normal = ^Failed password for .* from <HOST>
                mdre-aggressive = %(mdre-normal)s
                                  ^Invalid user .* from <HOST>
                failregex = <mdre-<mode>>
                journalmatch = _SYSTEMD_UNIT=sshd.service + _COMM=sshd
                [Init]
                mode = normal
                """);
        write("action.d/nftables.conf", "[Definition]\nactionban = true\n");
        write("action.d/nftables-allports.conf", "[Definition]\nactionban = true\n");
        write("action.d/sendmail-whois.conf", "[Definition]\nactionban = true\n");
        write("paths-common.conf", "[DEFAULT]\nsshd_log = %(syslog_authpriv)s\nsshd_backend = auto\n");
        write("paths-debian.conf", "[INCLUDES]\nbefore = paths-common.conf\n[DEFAULT]\nsyslog_authpriv = "
                + dir.resolve("log/auth.log") + "\n");
        write("jail.conf", """
                [INCLUDES]
                before = paths-debian.conf

                [DEFAULT]
                enabled = false
                mode = normal
                filter = %(__name__)s[mode=%(mode)s]
                maxretry = 5
                findtime = 10m
                bantime = 10m
                port = 0:65535
                protocol = tcp
                chain = <known/chain>
                banaction = nftables
                banaction_allports = nftables-allports
                action_ = %(banaction)s[port="%(port)s", protocol="%(protocol)s", chain="%(chain)s"]
                action_mw = %(action_)s
                            sendmail-whois[name=%(__name__)s]
                action = %(action_)s

                [sshd]
                port = ssh
                logpath = %(sshd_log)s
                backend = %(sshd_backend)s
                """);
        write("log/auth.log", "");
    }

    @Test
    void enablingSshdInJailLocalResolvesItsFilterPathsAndAction() throws Exception {
        write("jail.local", "[sshd]\nenabled = true\nmode = aggressive\n");
        Jails jails = JailsLoader.load(dir);
        assertEquals(List.of(), List.copyOf(jails.skipped().keySet()));
        JailDefinition j = jails.jail("sshd");
        assertEquals("sshd[mode=aggressive]", j.filterSpec());
        assertEquals(List.of("^Failed password for .* from <HOST>", "^Invalid user .* from <HOST>"), j.filter().failregex());
        assertEquals(List.of(new LogPath(dir.resolve("log/auth.log").toString(), false)), j.logPaths());
        assertEquals(List.of(dir.resolve("log/auth.log")), j.logPaths().get(0).files());
        assertEquals(5, j.maxRetry());
        assertEquals(600, j.findTime());
        assertEquals(1, j.actions().size());
        assertEquals("nftables", j.actions().get(0).name());
        assertEquals(java.util.Map.of("port", "ssh", "protocol", "tcp", "chain", "<known/chain>"), j.actions().get(0).params());
        assertEquals(dir.resolve("action.d/nftables.conf").toString(), j.actions().get(0).resolved().file());
        assertEquals(new JailRule("sshd", Protocol.TCP, List.of(PortRange.single(22))), j.rule());
        assertNull(j.chain(), "<known/chain> is left to the action's default");
        assertEquals(32, j.ipv4Mask());
        assertEquals(128, j.ipv6Mask());
        assertEquals("aggressive", j.options().get("mode"));
    }

    @Test
    void logpathGlobsMatchLikePythonGlobSortedAndWithoutHiddenFiles() throws Exception {
        write("log/b-access.log", "");
        write("log/a-access.log", "");
        write("log/.hidden-access.log", "");
        write("log/sub/c-access.log", "");
        String base = dir.resolve("log").toString();
        assertEquals(List.of(dir.resolve("log/a-access.log"), dir.resolve("log/b-access.log")),
                new LogPath(base + "/*-access.log", false).files());
        assertEquals(List.of(dir.resolve("log/sub/c-access.log")), new LogPath(base + "/*/c-?ccess.log", false).files());
        assertEquals(List.of(dir.resolve("log/a-access.log")), new LogPath(base + "/[a]-access.log", false).files());
        assertEquals(List.of(), new LogPath(base + "/none-*.log", false).files());
    }

    @Test
    void disabledJailsAreNotReturned() throws Exception {
        assertEquals(List.of(), JailsLoader.load(dir).jails());
    }

    @Test
    void jailDLocalOverridesJailDConfWhichOverridesJailLocal() throws Exception {
        write("jail.local", "[sshd]\nenabled = true\nmaxretry = 1\nbantime = 1h\n");
        write("jail.d/10-a.conf", "[sshd]\nmaxretry = 2\nfindtime = 1d12h\n");
        write("jail.d/20-b.conf", "[sshd]\nmaxretry = 3\n");
        write("jail.d/00-c.local", "[sshd]\nbantime = 1h30m\n");
        JailDefinition j = JailsLoader.load(dir).jail("sshd");
        assertEquals(1, j.maxRetry(), "jail.local is read after jail.d/*.conf");
        assertEquals(129600, j.findTime());
        assertEquals(5400, j.banTime(), "jail.d/*.local is read last");
    }

    @Test
    void knownValuesFromTheFilterCanBeExtendedInTheJail() throws Exception {
        write("jail.local", "[sshd]\nenabled = true\nfailregex = %(known/failregex)s\n            ^extra <HOST>$\n");
        JailDefinition j = JailsLoader.load(dir).jail("sshd");
        assertEquals(List.of("^Failed password for .* from <HOST>", "^extra <HOST>$"), j.filter().failregex());
    }

    @Test
    void allportsActionsAndAllProtocolBlockEveryPort() throws Exception {
        write("jail.local", """
                [sshd]
                enabled = true
                banaction = %(banaction_allports)s
                [udp-range]
                enabled = true
                filter = sshd
                logpath = %(sshd_log)s tail
                port = 6000:6010,6020-6030,domain
                protocol = udp
                action = %(action_mw)s
                [everything]
                enabled = true
                filter = sshd
                logpath = %(sshd_log)s
                protocol = all
                """);
        Jails jails = JailsLoader.load(dir);
        assertTrue(jails.jail("sshd").rule().allPorts());
        assertEquals(Protocol.TCP, jails.jail("sshd").rule().protocol());
        JailDefinition udp = jails.jail("udp-range");
        assertEquals(List.of(new PortRange(6000, 6010), new PortRange(6020, 6030), PortRange.single(53)), udp.ports());
        assertEquals(Protocol.UDP, udp.protocol());
        assertTrue(udp.logPaths().get(0).tail());
        assertEquals("sendmail-whois", udp.actions().get(1).name());
        assertEquals("udp-range", udp.actions().get(1).params().get("name"));
        assertEquals(JailRule.allPorts("everything"), jails.jail("everything").rule());
    }

    @Test
    void aJailBansThePortsOfEveryFirewallActionItRuns() throws Exception {
        write("jail.local", """
                [sshd]
                enabled = true
                action = nftables[port=ssh, protocol=tcp]
                         nftables[name=sftp, port="2222,ssh", protocol=tcp]
                         sendmail-whois
                [mixed]
                enabled = true
                filter = sshd
                logpath = %(sshd_log)s
                action = nftables[port=ssh, protocol=tcp]
                         nftables[name=dns, port=domain, protocol=udp]
                [wide]
                enabled = true
                filter = sshd
                logpath = %(sshd_log)s
                action = nftables[port=ssh, protocol=tcp]
                         nftables-allports[name=all]
                """);
        Jails jails = JailsLoader.load(dir);
        JailDefinition sshd = jails.jail("sshd");
        assertEquals(List.of(PortRange.single(22), PortRange.single(2222)), sshd.ports());
        assertEquals(Protocol.TCP, sshd.protocol());
        // tcp and udp ports cannot be one rule: the jail bans the address outright, and says so
        assertEquals(JailRule.allPorts("mixed"), jails.jail("mixed").rule());
        assertTrue(jails.notices().stream().anyMatch(n -> n.contains("[mixed]") && n.contains("tcp and udp")),
                jails.notices().toString());
        assertTrue(jails.jail("wide").rule().allPorts());
    }

    @Test
    void systemdBackendIgnoresLogpathAndKeepsJournalmatch() throws Exception {
        write("jail.local", "[sshd]\nenabled = true\nbackend = systemd\n");
        JailDefinition j = JailsLoader.load(dir).jail("sshd");
        assertTrue(j.usesJournal());
        assertEquals(List.of(), j.logPaths());
        assertEquals(List.of(List.of("_SYSTEMD_UNIT=sshd.service", "+", "_COMM=sshd")), j.filter().journalMatchGroups());
    }

    @Test
    void systemdBackendOptionsNameTheJournalToRead() throws Exception {
        write("jail.local", """
                [sshd]
                enabled = true
                backend = systemd[journalpath=/var/log/journal/remote]
                [files]
                enabled = true
                filter = sshd
                backend = systemd[journalfiles="/srv/j/a.journal, /srv/j/b*.journal"]
                [flags]
                enabled = true
                filter = sshd
                backend = systemd[journalflags=1]
                [both]
                enabled = true
                filter = sshd
                backend = systemd[journalpath=/srv/j, journalflags=8]
                """);
        Jails jails = JailsLoader.load(dir);
        assertEquals(List.of("/var/log/journal/remote"), jails.jail("sshd").journalPaths());
        assertEquals(List.of("/srv/j/a.journal", "/srv/j/b*.journal"), jails.jail("files").journalPaths());
        assertEquals(List.of(), jails.jail("flags").journalPaths(), "the local journal");
        assertEquals(1, jails.jail("flags").journalFlags());
        assertEquals(-1, jails.jail("sshd").journalFlags(), "the source's default");
        assertTrue(jails.notices().stream().noneMatch(n -> n.contains("'flags'")), jails.notices().toString());
        assertTrue(jails.notices().contains("jail 'both': backend journalflags=8 is not used: it chooses among the local"
                + " journal's files, and the jail reads the journalpath/journalfiles given"), jails.notices().toString());
    }

    @Test
    void logencodingIsAPythonCodecNameAndAnUnknownOneNamesFileLineAndKey() throws Exception {
        assertEquals(null, LogEncoding.of("auto"));
        assertEquals(null, LogEncoding.of(null));
        assertEquals(java.nio.charset.StandardCharsets.ISO_8859_1, LogEncoding.of("latin-1"));
        assertEquals(java.nio.charset.StandardCharsets.ISO_8859_1, LogEncoding.of("ISO-8859-1"));
        assertEquals(java.nio.charset.StandardCharsets.UTF_8, LogEncoding.of("UTF8"));
        assertEquals(java.nio.charset.Charset.forName("windows-1252"), LogEncoding.of("cp1252"));
        assertEquals(java.nio.charset.Charset.forName("ISO-8859-15"), LogEncoding.of("iso8859_15"));
        write("jail.local", "[sshd]\nenabled = true\nlogencoding = latin-1\n");
        assertEquals(java.nio.charset.StandardCharsets.ISO_8859_1, JailsLoader.load(dir).jail("sshd").logEncoding());
        write("jail.local", "[sshd]\nenabled = true\n\nlogencoding = klingon\n");
        ConfigException e = assertThrows(ConfigException.class, () -> JailsLoader.load(dir));
        assertEquals("logencoding", e.key());
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("unknown encoding 'klingon'"), e.getMessage());
    }

    @Test
    void anUnsupportedSystemdBackendOptionNamesFileLineAndKey() throws Exception {
        write("jail.local", "[sshd]\nenabled = true\nbackend = systemd[namespace=web]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> JailsLoader.load(dir));
        assertEquals("backend", e.key());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("'namespace' is not supported"), e.getMessage());
        write("jail.local", "[sshd]\nenabled = true\nbackend = systemd[journalflags=system]\n");
        e = assertThrows(ConfigException.class, () -> JailsLoader.load(dir));
        assertEquals("backend", e.key());
        assertTrue(e.getMessage().contains("journalflags must be a number"), e.getMessage());
    }

    @Test
    void missingFilterOrActionSkipsOnlyThatJail() throws Exception {
        write("jail.local", """
                [sshd]
                enabled = true
                [nofilter]
                enabled = true
                logpath = %(sshd_log)s
                [noaction]
                enabled = true
                filter = sshd
                logpath = %(sshd_log)s
                action = nosuch[x=1]
                """);
        Jails jails = JailsLoader.load(dir);
        assertTrue(jails.skipped().get("nofilter").contains("nofilter"), jails.skipped().toString());
        assertTrue(jails.skipped().get("noaction").contains("nosuch"), jails.skipped().toString());
        assertEquals(List.of("sshd"), jails.jails().stream().map(JailDefinition::name).toList());
    }

    @Test
    void jailWithoutFilterOptionUsesItsOwnFailregexOrIsSkippedNamingJailAndFile() throws Exception {
        // jail.conf without fail2ban's "[DEFAULT] filter = %(__name__)s": fail2ban 1.0.2 warns
        // "No filter set for jail X" and starts the jail with the jail's own failregex & co.
        write("jail.conf", """
                [INCLUDES]
                before = paths-debian.conf
                [DEFAULT]
                banaction = nftables
                action = %(banaction)s[port=ssh]
                [ownregex]
                enabled = true
                logpath = %(sshd_log)s
                failregex = ^bad login from <HOST>$
                ignoreregex = ^bad login from <HOST> \\(test\\)$
                datepattern = {^LN-BEG}
                [bare]
                logpath = %(sshd_log)s
                [sshd]
                enabled = true
                filter = sshd
                logpath = %(sshd_log)s
                """);
        write("jail.local", "[bare]\nenabled = true\n");
        Jails jails = JailsLoader.load(dir);
        assertEquals(List.of("ownregex", "sshd"), jails.jails().stream().map(JailDefinition::name).toList());
        JailDefinition own = jails.jail("ownregex");
        assertEquals("", own.filterSpec());
        assertEquals(List.of("^bad login from <HOST>$"), own.filter().failregex());
        assertEquals(List.of("^bad login from <HOST> \\(test\\)$"), own.filter().ignoreregex());
        assertEquals("{^LN-BEG}", own.filter().datepattern());
        assertTrue(jails.notices().contains("[ownregex] no filter set"), jails.notices().toString());
        String why = jails.skipped().get("bare");
        assertTrue(why != null && why.contains("'bare'") && why.contains(dir.resolve("jail.local") + ":2")
                && why.contains("no failregex"), String.valueOf(why));
    }

    @Test
    void brokenJailLocalNamesFileAndLine() throws Exception {
        write("jail.local", "[sshd]\nenabled = true\nthis line has no delimiter\n");
        ConfigException e = assertThrows(ConfigException.class, () -> JailsLoader.load(dir));
        assertEquals(dir.resolve("jail.local").toString(), e.file());
        assertEquals(3, e.line());
    }

    @Test
    void unresolvableInterpolationInEnabledJailNamesTheKey() throws Exception {
        write("jail.local", "[sshd]\nenabled = true\n\nlogpath = %(nosuch_log)s\n");
        ConfigException e = assertThrows(ConfigException.class, () -> JailsLoader.load(dir));
        assertEquals("logpath", e.key());
        assertEquals(4, e.line());
    }

    @Test
    void badBantimeNamesFileLineAndKey() throws Exception {
        write("jail.local", "[sshd]\nenabled = true\nbantime = forever\n");
        ConfigException e = assertThrows(ConfigException.class, () -> JailsLoader.load(dir));
        assertEquals("bantime", e.key());
        assertEquals(3, e.line());
    }

    @Test
    void ignorecommandIsReportedNotRun() throws Exception {
        write("jail.local", "[sshd]\nenabled = true\nignorecommand = /bin/false <ip>\nignoreself = false\n"
                + "ignoreip = 127.0.0.1/8 ::1,10.0.0.0/8\n  example.org\n");
        Jails jails = JailsLoader.load(dir);
        JailDefinition j = jails.jail("sshd");
        assertEquals("/bin/false <ip>", j.ignoreCommand());
        assertFalse(j.ignoreSelf());
        assertEquals(List.of("127.0.0.1/8", "::1", "10.0.0.0/8", "example.org"), j.ignoreIp());
        assertTrue(jails.notices().stream().anyMatch(n -> n.contains("ignorecommand")), jails.notices().toString());
    }

    @Test
    void bantimeIncrementSettingsAreTyped() throws Exception {
        write("jail.local", """
                [sshd]
                enabled = true
                bantime = -1
                bantime.increment = true
                bantime.factor = 2
                bantime.formula = ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)
                bantime.multipliers = 1 2 4 8
                bantime.maxtime = 1w
                bantime.rndtime = 30m
                bantime.overalljails = true
                ipv4mask = 24
                ipv6mask = 64
                """);
        JailDefinition j = JailsLoader.load(dir).jail("sshd");
        assertEquals(-1, j.banTime());
        BanTimeIncrement b = j.banTimeIncrement();
        assertTrue(b.enabled());
        assertEquals("2", b.factor());
        assertEquals(List.of(1L, 2L, 4L, 8L), b.multipliers());
        assertEquals(604800L, b.maxTime());
        assertEquals(1800L, b.rndTime());
        assertTrue(b.overallJails());
        assertEquals(24, j.ipv4Mask());
        assertEquals(64, j.ipv6Mask());
    }

    @Test
    void aNonIntegerMaxretryFallsBackToTheDefaultAsFail2banDoesAndSaysWhere() throws Exception {
        write("jail.local", "[sshd]\nenabled = true\nmaxretry = seven\n");
        Jails js = JailsLoader.load(dir);
        assertEquals(1, js.jails().size());
        assertTrue(js.notices().stream().anyMatch(n -> n.contains("jail.local:3: [sshd] wrong value for 'maxretry': 'seven' is not"
                + " an integer; using the default")), js.notices().toString());
    }

    @Test
    void aMistypedEnabledIsReadAsFalseAsFail2banDoesButSaidWithFileAndLine() throws Exception {
        write("jail.local", "[sshd]\nenabled = ture\n");
        Jails js = JailsLoader.load(dir);
        assertEquals(0, js.jails().size());
        assertTrue(js.notices().stream().anyMatch(n -> n.contains("jail.local:2: [sshd] enabled = 'ture' is not a boolean")),
                js.notices().toString());
    }

    @Test
    void maskOutOfRangeIsAnError() throws Exception {
        write("jail.local", "[sshd]\nenabled = true\nipv4mask = 33\n");
        assertEquals("ipv4mask", assertThrows(ConfigException.class, () -> JailsLoader.load(dir)).key());
        // a /0 would ban the whole address family: refused here with file and line, not later by the engine
        write("jail.local", "[sshd]\nenabled = true\nipv6mask = 0\n");
        ConfigException e = assertThrows(ConfigException.class, () -> JailsLoader.load(dir));
        assertEquals("ipv6mask", e.key());
        assertTrue(e.getMessage().contains("jail.local") && e.getMessage().contains("ipv6mask must be 1..128, not '0'"),
                e.getMessage());
    }
}
