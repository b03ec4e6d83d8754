package ips.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portcullis check-config DIR} shows, per jail, how each action was mapped. */
class CheckConfigCommandTest {
    @TempDir
    Path dir;

    private void write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void showsHowEachActionWasMapped() throws Exception {
        write("filter.d/sshd.conf", "[Definition]\nfailregex = ^Failed password for .* from <HOST>\n");
        write("auth.log", "");
        write("portcullis.conf", "[portcullis]\n");
        write("action.d/docker-block.conf", """
                [Definition]
                actionban = iptables -I <chain> -s <ip> -p <protocol> -m multiport --dports <port> -j DROP
                actionunban = iptables -D <chain> -s <ip> -p <protocol> -m multiport --dports <port> -j DROP
                [Init]
                chain = DOCKER-USER
                """);
        write("action.d/notify.conf", "[Definition]\nactionban = logger banned <ip>\n");
        write("jail.conf", """
                [DEFAULT]
                filter = sshd
                logpath = LOG
                [sshd]
                enabled = true
                port = ssh
                action = nftables[type=allports]
                [web]
                enabled = true
                port = http,https
                logencoding = latin-1
                action = docker-block
                         notify
                [remote]
                enabled = true
                backend = systemd[journalpath=/var/log/journal/remote]
                journalmatch = _COMM=sshd
                """.replace("LOG", dir.resolve("auth.log").toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = CheckConfigCommand.run(new String[] {dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("[sshd]\n") && text.contains("  action     nftables[type=allports] -> all ports\n"), text);
        assertTrue(text.contains("  action     docker-block -> firewall (actionban runs iptables), tcp port http,https,"
                + " chain DOCKER-USER: needs forward = true\n"), text);
        assertTrue(text.contains("  action     notify -> not run (not a firewall action)\n"), text);
        assertTrue(text.contains("jail 'web': action 'docker-block' bans in chain DOCKER-USER"), text);
        assertTrue(text.contains("  source     [" + dir.resolve("auth.log") + " head] (read as ISO-8859-1)\n"), text);
        assertTrue(text.contains("  source     journal /var/log/journal/remote [_COMM=sshd]\n"), text);
    }

    @Test
    void showsEveryJailAndFailsWhenOneWouldNotRun() throws Exception {
        write("filter.d/sshd.conf", "[Definition]\nfailregex = ^Failed password for .* from <HOST>\n");
        write("auth.log", "");
        write("portcullis.conf", "[portcullis]\n");
        write("jail.conf", """
                [DEFAULT]
                filter = sshd
                logpath = LOG
                action = nftables[type=allports]
                [good]
                enabled = true
                [allow]
                enabled = true
                blocktype = RETURN
                [nofilter]
                enabled = true
                filter = nosuch
                [alsogood]
                enabled = true
                """.replace("LOG", dir.resolve("auth.log").toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = CheckConfigCommand.run(new String[] {dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        String error = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, text + error);
        assertTrue(text.contains("[good]\n") && text.contains("[alsogood]\n"), "the jails that run are shown: " + text);
        assertTrue(text.contains("jail 'allow' skipped: blocktype RETURN") && text.contains("jail 'nofilter' skipped"), text);
        assertTrue(error.contains("2 enabled jail(s) would not run: nofilter, allow"), error);
    }

    @Test
    void saysWhichJailsReadThisDaemonsOwnLogLines() throws Exception {
        write("filter.d/recidive.conf", "[Definition]\nfailregex = NOTICE\\s+\\[(?!recidive\\])(?:.*)\\]\\s+Ban\\s+<HOST>\\s*$\n"
                + "journalmatch = _SYSTEMD_UNIT=fail2ban.service PRIORITY=5\n");
        write("portcullis.conf", "[portcullis]\n");
        write("fail2ban.conf", "[Definition]\nlogtarget = " + dir.resolve("fail2ban.log") + "\n");
        write("fail2ban.log", "");
        write("jail.conf", """
                [recidive]
                enabled = true
                filter = recidive
                logpath = LOG
                [recidive-journal]
                enabled = true
                filter = recidive
                backend = systemd
                """.replace("LOG", dir.resolve("fail2ban.log").toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = CheckConfigCommand.run(new String[] {dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        assertTrue(text.contains("  own log    " + dir.resolve("fail2ban.log") + " is fail2ban.conf's logtarget: where the daemon"
                + " cannot write it (the packaged service), the jail reads this daemon's own log lines\n"), text);
        assertTrue(text.contains("  own log    fail2ban.service is the service Portcullis replaces: the jail reads this daemon's own"
                + " log lines\n"), text);
    }
}
