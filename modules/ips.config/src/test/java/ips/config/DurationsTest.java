package ips.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code portcullis --str2sec} prints what {@code fail2ban-client --str2sec} prints: fail2ban's own
 * {@code MyTime.str2seconds}, run beside it, gives the same text for every value (an int, or
 * Python's float repr when the expression has a fraction, a month, a year or a division in it).
 */
class DurationsTest {
    private static final List<String> VALUES = List.of("1d2h", "1.5m", "10", "1h 30m", "1mo", "-5", "0", "3w", "1y",
            "600", "1h30m", "2 weeks", "6 months", "1year-6mo", "10/3", "0.5", "45 sec", "7d 12h", "1000000y",
            "0.0001", "3.25", "90 minutes", "(1+2)*3h");

    @Test
    void eachValueAsFail2banClientPrintsIt() throws Exception {
        assumeTrue(Fail2banReference.available(), "fail2ban's Python classes are not installed");
        List<String> cmd = new ArrayList<>(List.of(Fail2banReference.PYTHON.toString(), "-c",
                "import sys\nfrom fail2ban.server.mytime import MyTime\nfor v in sys.argv[1:]: print(MyTime.str2seconds(v))"));
        cmd.addAll(VALUES);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, theirs);
        List<String> ours = new ArrayList<>();
        for (String v : VALUES) {
            ours.add(v + " -> " + Durations.pythonText(v));
        }
        List<String> expected = new ArrayList<>();
        String[] lines = theirs.split("\n");
        for (int i = 0; i < VALUES.size(); i++) {
            expected.add(VALUES.get(i) + " -> " + lines[i]);
        }
        assertEquals(String.join("\n", expected), String.join("\n", ours));
    }

    @Test
    void whatFail2banCannotEvaluateIsRefused() {
        // str2seconds evaluates "1e 3" (its rewriting of 1e3) and fails; so does ours
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Durations.pythonText("1e3"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Durations.pythonText("bogus"));
    }

    @Test
    void pythonsFloatRepr() {
        assertEquals("90.0", Durations.pythonFloat(90));
        assertEquals("0.1", Durations.pythonFloat(0.1));
        assertEquals("12345678.5", Durations.pythonFloat(12345678.5));
        assertEquals("1e+16", Durations.pythonFloat(1e16));
        assertEquals("1.5e-05", Durations.pythonFloat(1.5e-5));
        assertEquals("-2629800.0", Durations.pythonFloat(-2629800.0));
    }
}
