package ips.app.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ips.api.EnforcerSettings;
import ips.api.JailRule;
import ips.api.PortRange;
import ips.api.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jail's actions mapped to the firewall rule by what their action.d files say: Debian's stock
 * files (linked from /etc/fail2ban/action.d) beside custom ones, in a throw-away tree.
 */
class ActionMappingTest {
    static final Path STOCK = Path.of("/etc/fail2ban/action.d");

    @TempDir
    Path dir;

    private void write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @BeforeEach
    void tree() throws IOException {
        assumeTrue(Files.isDirectory(STOCK), "needs Debian's fail2ban action files in " + STOCK);
        Files.createDirectories(dir.resolve("action.d"));
        try (Stream<Path> s = Files.list(STOCK)) {
            for (Path p : s.toList()) {
                Files.createSymbolicLink(dir.resolve("action.d").resolve(p.getFileName()), p);
            }
        }
        write("action.d/docker-block.local", """
                [INCLUDES]
                before = iptables.conf
                [Init]
                chain = DOCKER-USER
                blocktype = DROP
                """);
        write("filter.d/sshd.conf", "[Definition]\nfailregex = ^Failed password for .* from <HOST>\n");
        write("auth.log", "");
        write("portcullis.conf", "[portcullis]\n");
        write("jail.conf", """
                [DEFAULT]
                filter = sshd
                logpath = LOG
                port = 0:65535
                protocol = tcp
                chain = <known/chain>
                banaction = iptables-multiport
                action_ = %(banaction)s[port="%(port)s", protocol="%(protocol)s", chain="%(chain)s"]
                action = %(action_)s
                [sshd]
                enabled = true
                port = ssh
                action = iptables[type=allports]
                         sendmail-whois[name=%(__name__)s, dest=root]
                [web]
                enabled = true
                port = http,https
                banaction = docker-block[type=multiport]
                [smtp]
                enabled = true
                port = ssh
                action = iptables-multiport[name=smtp, port="smtp,submission", protocol=tcp]
                """.replace("LOG", dir.resolve("auth.log").toString()));
    }

    @Test
    void mapsEachJailByWhatItsActionFilesSay() throws Exception {
        ConfigSnapshot s = ConfigSnapshot.load(dir, true);
        assertEquals(JailRule.allPorts("sshd"), s.setups().get("sshd").rule(), "iptables[type=allports]");
        assertEquals(List.of("sendmail-whois"), s.setups().get("sshd").notMapped());
        assertEquals(new JailRule("web", Protocol.TCP, List.of(PortRange.single(80), PortRange.single(443))),
                s.setups().get("web").rule());
        assertTrue(s.setups().get("web").notMapped().isEmpty(), "docker-block is a firewall action, by inheritance");
        assertEquals(new JailRule("smtp", Protocol.TCP, List.of(PortRange.single(25), PortRange.single(587))),
                s.setups().get("smtp").rule(), "the action's own port wins over the jail's");
        assertEquals(1, s.notices().stream().filter(n -> n.contains("sendmail-whois")).count(), s.notices().toString());
    }

    @Test
    void aForwardChainWithForwardOffIsNoticedOnceNamingJailActionAndTheSetting() throws Exception {
        ConfigSnapshot s = ConfigSnapshot.load(dir, true);
        List<String> forward = s.notices().stream().filter(n -> n.contains("forward = true")).toList();
        assertEquals(1, forward.size(), s.notices().toString());
        assertTrue(forward.get(0).startsWith("jail 'web': action 'docker-block' bans in chain DOCKER-USER"), forward.get(0));
        assertTrue(forward.get(0).contains("portcullis.conf"), forward.get(0));

        write("portcullis.conf", "[portcullis]\nforward = true\n");
        s = ConfigSnapshot.load(dir, true);
        assertFalse(s.notices().stream().anyMatch(n -> n.contains("forward")), s.notices().toString());
        assertEquals(List.of(PortRange.single(80), PortRange.single(443)), s.setups().get("web").rule().ports(),
                "forward changes no jail's enforcement");
    }

    @Test
    void describesHowEachActionWasMapped() throws Exception {
        ConfigSnapshot s = ConfigSnapshot.load(dir, true);
        assertEquals(List.of("iptables[type=allports] -> all ports", "sendmail-whois -> not run (not a firewall action)"),
                ActionMapping.describe(s.setups().get("sshd").definition(), false));
        assertEquals(List.of("docker-block[type=multiport] -> firewall (inherits iptables.conf), tcp port http,https,"
                + " chain DOCKER-USER: needs forward = true"), ActionMapping.describe(s.setups().get("web").definition(), false));
        assertEquals(List.of("iptables-multiport[port=smtp,submission] -> tcp port smtp,submission"),
                ActionMapping.describe(s.setups().get("smtp").definition(), false));
    }

    @Test
    void aMissingActionFileNamesJailAndAction() throws Exception {
        write("jail.local", "[web]\naction = docker-blok\n");
        ConfigSnapshot.InvalidConfigException e = assertThrows(ConfigSnapshot.InvalidConfigException.class,
                () -> ConfigSnapshot.load(dir, true));
        assertTrue(e.getMessage().startsWith("jail 'web': Unable to read action 'docker-blok'"), e.getMessage());
        ConfigSnapshot run = ConfigSnapshot.load(dir, false);
        assertFalse(run.setups().containsKey("web"));
        assertTrue(run.notices().stream().anyMatch(n -> n.startsWith("jail 'web' skipped: Unable to read action 'docker-blok'")),
                run.notices().toString());
    }

    @Test
    void aBrokenActionFileNamesFileLineJailAndAction() throws Exception {
        write("action.d/docker-block.local", "[INCLUDES]\nbefore = iptables.conf\n[Init]\nchain DOCKER-USER\n");
        ConfigSnapshot.InvalidConfigException e = assertThrows(ConfigSnapshot.InvalidConfigException.class,
                () -> ConfigSnapshot.load(dir, false));
        assertTrue(e.getMessage().startsWith(dir.resolve("action.d/docker-block.local") + ":4: [web] action 'docker-block': "),
                e.getMessage());
    }

    @Test
    void aJailsBlocktypeChoosesDropOrRejectForItsBansAlone() throws Exception {
        write("jail.local", """
                [sshd]
                action = iptables[type=allports, blocktype=DROP]
                [web]
                blocktype = REJECT --reject-with tcp-reset
                [smtp]
                blocktype = LOG
                """);
        ConfigSnapshot s = ConfigSnapshot.load(dir, true);
        assertEquals(JailRule.allPorts("sshd").withBlockType(EnforcerSettings.BlockType.DROP), s.setups().get("sshd").rule(),
                "a per-use blocktype of the firewall action");
        assertEquals(new JailRule("web", Protocol.TCP, List.of(PortRange.single(80), PortRange.single(443)),
                EnforcerSettings.BlockType.REJECT), s.setups().get("web").rule(), "the jail's blocktype, iptables' spelling");
        assertEquals(null, s.setups().get("smtp").rule().blockType(), "neither drop nor reject: portcullis.conf's");
        assertEquals(List.of("jail 'smtp': blocktype 'LOG' is neither a drop nor a reject: its bans refuse packets as"
                + " portcullis.conf's blocktype says"), s.notices().stream().filter(n -> n.contains("blocktype")).toList());
    }

    @Test
    void aJailWhoseBansLetAddressesInIsNotRunRatherThanLockingThemOut() throws Exception {
        // jail.conf's pass2allow-ftp: banned means allowed, everyone else is refused by returntype
        write("jail.local", """
                [web]
                blocktype = RETURN
                returntype = DROP
                action = %(action_)s[blocktype=%(blocktype)s, returntype=%(returntype)s]
                """);
        ConfigSnapshot.InvalidConfigException e = assertThrows(ConfigSnapshot.InvalidConfigException.class,
                () -> ConfigSnapshot.load(dir, true));
        assertTrue(e.getMessage().startsWith("jail 'web': blocktype RETURN makes its bans let addresses in"), e.getMessage());
        ConfigSnapshot run = ConfigSnapshot.load(dir, false);
        assertFalse(run.setups().containsKey("web"), "not run");
        assertTrue(run.setups().containsKey("sshd"), "the other jails run");
        assertTrue(run.notices().stream().anyMatch(n -> n.startsWith("jail 'web' skipped: blocktype RETURN")), run.notices().toString());
    }
}
