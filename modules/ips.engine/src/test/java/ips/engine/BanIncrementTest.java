package ips.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BanIncrementTest {
    private static final long MIN10 = 600_000;

    @Test
    void firstBanKeepsTheConfiguredBantime() throws FormulaException {
        BanIncrement i = BanIncrement.of(true, null, null, null, -1, 0, false);
        assertEquals(MIN10, i.banTimeMillis(MIN10, 0, () -> 0));
    }

    @Test
    void doublesWithEachPreviousBanByDefault() throws FormulaException {
        BanIncrement i = BanIncrement.of(true, null, null, null, -1, 0, false);
        assertEquals(2 * MIN10, i.banTimeMillis(MIN10, 1, () -> 0));
        assertEquals(16 * MIN10, i.banTimeMillis(MIN10, 4, () -> 0));
    }

    @Test
    void multipliersUseTheLastOneBeyondTheirCount() throws FormulaException {
        BanIncrement i = BanIncrement.of(true, "1", null, "1 5 30 60", -1, 0, false);
        assertEquals(5 * 60_000, i.banTimeMillis(60_000, 1, () -> 0));
        assertEquals(60 * 60_000, i.banTimeMillis(60_000, 9, () -> 0));
    }

    @Test
    void maxtimeCapsAndRndtimeAdds() throws FormulaException {
        BanIncrement i = BanIncrement.of(true, null, null, null, 3_600_000, 100_000, false);
        assertEquals(3_600_000 + 50_000, i.banTimeMillis(MIN10, 10, () -> 0.5));
    }

    @Test
    void offOrPermanentLeavesBantimeAlone() {
        assertEquals(MIN10, BanIncrement.OFF.banTimeMillis(MIN10, 5, () -> 0));
        assertEquals(-1, new BanIncrement(true, 1, null, null, -1, 0, false).banTimeMillis(-1, 5, () -> 0));
    }

    /** Runs fail2ban's own Jail.setBanTimeExtra / evformula through /usr/bin/python3 and compares. */
    @Test
    void givesFail2bansResultsForTheSameHistory() throws Exception {
        Path py = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(py), "needs /usr/bin/python3 (skipped)");
        assumeTrue(Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/fail2ban")), "needs the fail2ban package (skipped)");
        String[][] cases = {
                // factor, formula, multipliers, maxtime (s), bantime (s)
                {"", "", "", "", "600"},
                {"2", "", "", "", "600"},
                {"2.0 / 2.885385", "ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)", "", "", "600"},
                {"", "", "1 2 4 8 16 32 64", "", "600"},
                {"", "", "1 5 30 60 300 720 1440 2880", "", "60"},
                {"", "", "", "86400", "3600"},
                {"3", "ban.Time * (ban.Count + 1) ** 2 * banFactor", "", "100000", "300"},
        };
        StringBuilder script = new StringBuilder("""
                import sys, logging
                logging.disable(logging.CRITICAL)
                sys.path.insert(0, '/usr/lib/python3/dist-packages')
                from fail2ban.server.jail import Jail
                from fail2ban.server.observer import ObserverThread
                """);
        List<BanIncrement> ours = new ArrayList<>();
        List<Long> bantimes = new ArrayList<>();
        for (String[] c : cases) {
            script.append("j = Jail('t', backend='polling')\n");
            script.append("j.setBanTimeExtra('increment', 'true')\n");
            if (!c[0].isEmpty()) {
                script.append("j.setBanTimeExtra('factor', '").append(c[0]).append("')\n");
            }
            if (!c[1].isEmpty()) {
                script.append("j.setBanTimeExtra('formula', '").append(c[1]).append("')\n");
            }
            if (!c[2].isEmpty()) {
                script.append("j.setBanTimeExtra('multipliers', '").append(c[2]).append("')\n");
            }
            if (!c[3].isEmpty()) {
                script.append("j.setBanTimeExtra('maxtime', '").append(c[3]).append("')\n");
            }
            script.append("be = j.getBanTimeExtra()\n");
            script.append("print(' '.join(repr(float(be['evformula'](ObserverThread.BanTimeIncr(")
                    .append(c[4]).append(", n)))) for n in range(1, 30)))\n");
            ours.add(BanIncrement.of(true, c[0], c[1], c[2], c[3].isEmpty() ? -1 : Long.parseLong(c[3]) * 1000, 0, false));
            bantimes.add(Long.parseLong(c[4]) * 1000);
        }
        Path file = Files.createTempFile("f2b-increment", ".py");
        Files.writeString(file, script);
        Process p = new ProcessBuilder(py.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS), "python timed out");
        Files.deleteIfExists(file);
        String[] lines = out.strip().split("\n");
        List<String> data = new ArrayList<>();
        for (String l : lines) {
            if (!l.isBlank() && Character.isDigit(l.charAt(0))) {
                data.add(l);
            }
        }
        assertEquals(cases.length, data.size(), "python said:\n" + out);
        for (int c = 0; c < cases.length; c++) {
            String[] values = data.get(c).trim().split(" ");
            for (int n = 1; n < 30; n++) {
                double theirs = Double.parseDouble(values[n - 1]);
                long mine = ours.get(c).banTimeMillis(bantimes.get(c), n, () -> 0);
                assertEquals(Math.round(theirs * 1000), mine, 1.0 + theirs * 1e-9,
                        "case " + c + " count " + n);
            }
        }
    }

}
