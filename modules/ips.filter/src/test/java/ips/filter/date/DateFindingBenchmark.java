package ips.filter.date;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;

/**
 * Date finding throughput with the default templates, per line shape (wall clock, median of 7 rounds
 * after 2 warm-up rounds; the module does not read java.management, so no CPU time here). Run after {@code ./mvnw -o install -pl modules/ips.filter}:
 * {@code java -cp modules/ips.filter/target/classes:modules/ips.filter/target/test-classes ips.filter.date.DateFindingBenchmark}
 * (garbage lines per round: {@code -DgarbageLines=50000})
 */
public final class DateFindingBenchmark {

    private DateFindingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String zone = args.length > 0 ? args[0] : "Europe/Zurich";
        String[][] shapes = {
            {"syslog", "MMM ppd HH:mm:ss", "%s host sshd[%d]: Failed password for invalid user admin from 192.0.2.%d port 22 ssh2"},
            {"iso", "yyyy-MM-dd HH:mm:ss,SSS", "%s fail2ban.filter [%d]: INFO [sshd] Found 192.0.2.%d"},
            {"apache-error", "EEE MMM dd HH:mm:ss yyyy", "[%s] [error] [client 192.0.2.%2$d] user %3$d: authentication failure"},
            {"apache-access", "dd/MMM/yyyy:HH:mm:ss Z", "192.0.%2$d.%3$d - - [%1$s] \"GET /wp-login.php HTTP/1.1\" 404 123"},
            {"binary-garbage", null, null},
            {"printable-garbage", null, null},
            {"crafted-garbage", null, null},
        };
        long now = 1_700_000_000_000L;
        long sink = 0;
        for (String[] shape : shapes) {
            DateDetector dd = DateDetector.defaults(TimeZones.parse(zone), () -> now);
            DateTimeFormatter fmt = shape[1] == null ? null : DateTimeFormatter.ofPattern(shape[1], Locale.ROOT);
            String[] lines = new String[8192];
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
            for (int i = 0; i < lines.length; i++) {
                if (shape[1] == null) {
                    lines[i] = shape[0].startsWith("binary") ? GarbageLines.binary(rnd)
                            : shape[0].startsWith("crafted") ? GarbageLines.crafted(rnd) : GarbageLines.printable(rnd);
                    continue;
                }
                String date = fmt.format(Instant.ofEpochMilli(now - 8_192_000L + i * 1000L).atZone(ZoneId.of("Europe/Zurich")));
                lines[i] = String.format(Locale.ROOT, shape[2], date, i % 256, i);
            }
            DateMatch m = new DateMatch();
            double[] ns = new double[9];
            int n = shape[1] != null ? 1_000_000 : shape[0].startsWith("crafted") ? 2_000 : Integer.getInteger("garbageLines", 50_000);
            for (int r = 0; r < ns.length; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    if (dd.find(lines[i & 8191], m)) {
                        sink += m.epochMillis;
                    }
                }
                ns[r] = (System.nanoTime() - t0) / (double) n;
            }
            double[] warm = Arrays.copyOfRange(ns, 2, ns.length);
            Arrays.sort(warm);
            System.out.printf(Locale.ROOT, "%-17s median %7.1f ns/line (%5.2f M lines/s), e.g. %s%n",
                    shape[0], warm[warm.length / 2], 1000 / warm[warm.length / 2], shape[1] == null ? "(random)" : lines[0]);
        }
        System.out.println("(checksum " + sink + ")");
    }
}
