package ips.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line: ours, and fail2ban-client's (options before the command), so its scripts keep working. */
class MainTest {
    private static String[] n(String... args) {
        return Fail2banClientLine.normalize(args);
    }

    @Test
    void clientOptionsBeforeAClientVerbMoveAfterIt() {
        assertArrayEquals(new String[] {"banned", "--json"}, n("--json", "banned"));
        assertArrayEquals(new String[] {"status", "--socket", "/run/x.sock", "--json", "sshd"},
                n("-s", "/run/x.sock", "--json", "status", "sshd"));
        assertArrayEquals(new String[] {"ping", "--socket=/s"}, n("--socket=/s", "ping"));
        assertArrayEquals(new String[] {"status", "--config", "/etc/f2b", "sshd"}, n("-c", "/etc/f2b", "status", "sshd"));
        assertArrayEquals(new String[] {"get", "--config", "/d", "sshd", "banned"}, n("--conf", "/d", "get", "sshd", "banned"));
    }

    @Test
    void fail2banClientOptionsThatChangeNothingHereAreDropped() {
        assertArrayEquals(new String[] {"status", "sshd"}, n("-q", "status", "sshd"));
        assertArrayEquals(new String[] {"status"}, n("-vv", "-x", "--async", "--timeout", "30", "status"));
        assertArrayEquals(new String[] {"set", "sshd", "banip", "192.0.2.1"},
                n("-p", "/run/f.pid", "--pname", "f2b", "--loglevel", "INFO", "--logtarget", "STDOUT",
                        "--syslogsocket", "auto", "-b", "-f", "set", "sshd", "banip", "192.0.2.1"));
    }

    @Test
    void fail2banClientCommandsMapToOurs() {
        assertArrayEquals(new String[] {"check-config"}, n("-t"));
        assertArrayEquals(new String[] {"check-config", "/etc/f2b"}, n("-c", "/etc/f2b", "--test"));
        assertArrayEquals(new String[] {"check-config", "/etc/f2b"}, n("-c", "/etc/f2b", "-d"));
        assertArrayEquals(new String[] {"reload", "--restart", "sshd"}, n("restart", "sshd"));
        assertArrayEquals(new String[] {"reload", "--socket", "/s", "--restart", "--unban", "sshd"},
                n("-s", "/s", "restart", "--unban", "sshd"));
        assertArrayEquals(new String[] {"restart"}, n("restart"));
        assertArrayEquals(new String[] {"start"}, n("-x", "start"));
        assertArrayEquals(new String[] {"-V"}, n("-q", "-V"));
        assertArrayEquals(new String[] {"--str2sec", "-5"}, n("--str2sec", "-5"));
        assertArrayEquals(new String[] {"run", "--config", "/etc/f2b"}, n("-c", "/etc/f2b", "run"));
    }

    @Test
    void anythingElseIsLeftAlone() {
        String[][] same = {{"status", "--json"}, {"--json", "run"}, {"--json"}, {"-s", "x", "test-filter", "a", "b"},
            {"--version"}, {"-s"}, {"-q"}, {"-t", "extra"}, {"test-filter", "-h"}, {"-c", "/d", "test-filter", "a"}};
        for (String[] a : same) {
            assertArrayEquals(a, n(a));
        }
    }

    private record Ran(int status, String out, String err) {}

    private static Ran run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void fail2banClientAnswersThatNeedNoDaemon() {
        assertEquals(new Ran(0, Version.VERSION + "\n", ""), run("-V"));
        assertEquals(new Ran(0, "93600\n", ""), run("--str2sec", "1d2h"));
        assertEquals(new Ran(0, "90.0\n", ""), run("-q", "--str2sec", "1.5m"));
        Ran bad = run("--str2sec", "bogus");
        assertEquals(1, bad.status());
        assertTrue(bad.err().contains("not a duration: 'bogus'"), bad.err());
        Ran start = run("start");
        assertEquals(2, start.status());
        assertTrue(start.err().contains("systemctl start portcullis"), start.err());
        Ran restart = run("-x", "restart");
        assertTrue(restart.err().contains("systemctl restart portcullis") && restart.err().contains("restart JAIL"), restart.err());
        assertEquals(2, run("-i").status());
        Ran unknown = run("-q");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("unknown command '-q'"), unknown.err());
    }
}
