package ips.filter.tester;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A regex fail2ban refuses is refused by test-filter in fail2ban-regex's words, where it says them:
 * on standard output after the "Use" lines it printed, then {@code ERROR: ...}, exit status 255.
 * Compared with the real fail2ban-regex; only the reason Python's {@code re} gives for a regex that
 * does not compile (the line after "Unable to compile regular expression '...':") is not.
 */
class RegexErrorsLikeFail2banRegexTest {
    private static final Path FAIL2BAN_REGEX = Path.of("/usr/bin/fail2ban-regex");

    @TempDir
    Path dir;

    private record Ran(int status, String out) {}

    private static Ran theirs(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(FAIL2BAN_REGEX.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        return new Ran(p.exitValue(), out);
    }

    private static Ran ours(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = TestFilterCommand.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new Ran(rc, out.toString(StandardCharsets.UTF_8));
    }

    /** The reason after "Unable to compile regular expression '...':" is each regex engine's own. */
    private static Ran comparable(Ran r) {
        return new Ran(r.status(), r.out().replaceAll("(?m)(Unable to compile regular expression '.*':\n).*$", "$1<reason>"));
    }

    @Test
    void refusedRegexesAreSaidAsFail2banRegexSaysThem() throws Exception {
        assumeTrue(Files.isExecutable(FAIL2BAN_REGEX), "fail2ban-regex is not installed");
        Path log = Files.writeString(dir.resolve("x.log"), "Nov 23 00:00:00 h sshd[1]: fail x from 192.0.2.1\n");
        Path badPref = Files.writeString(dir.resolve("badpref.conf"), "[Definition]\nprefregex = ^(\nfailregex = fail <HOST>\n");
        Path badIgnore = Files.writeString(dir.resolve("badignore.conf"),
                "[Definition]\nfailregex = fail x from <HOST>\nignoreregex = ign (\n");
        Path noId = Files.writeString(dir.resolve("noid.conf"), "[Definition]\nfailregex = ^fail x\n");
        List<List<String>> cases = List.of(
                List.of(log.toString(), "fail x"),
                List.of(log.toString(), "fail ( <HOST>"),
                List.of(log.toString(), "fail x from <HOST>", "ign ("),
                List.of("-o", "ip", log.toString(), "fail x"),
                List.of("-o", "ip", log.toString(), "fail <HOST>", "ign ["),
                List.of(log.toString(), badPref.toString()),
                List.of(log.toString(), badIgnore.toString()),
                List.of(log.toString(), noId.toString()),
                List.of("-v", log.toString(), "user <F-USER>\\S+</F-USER>"));
        for (List<String> c : cases) {
            Ran theirs = comparable(theirs(c));
            assertEquals(255, theirs.status(), c + ": " + theirs.out());
            assertEquals(theirs, comparable(ours(c)), String.join(" ", c));
        }
    }
}
