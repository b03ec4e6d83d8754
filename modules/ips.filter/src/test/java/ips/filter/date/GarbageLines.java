package ips.filter.date;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Random lines an attacker could send: raw bytes decoded as UTF-8 (as the log readers do) and printable ASCII. */
final class GarbageLines {

    private GarbageLines() {
    }

    /** 40 to 400 random bytes, decoded as UTF-8 with replacement, without line breaks. */
    static String binary(SplittableRandom rnd) {
        byte[] b = new byte[rnd.nextInt(40, 401)];
        rnd.nextBytes(b);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                b[i] = ' ';
            }
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** 40 to 400 random printable ASCII chars (space to tilde). */
    static String printable(SplittableRandom rnd) {
        char[] c = new char[rnd.nextInt(40, 401)];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) rnd.nextInt(0x20, 0x7f);
        }
        return new String(c);
    }

    /**
     * Printable garbage with every shape the templates need inserted in the middle (a time after a space,
     * a year and a separator, digit-separator-digit, 10 digits, TAI64N-like): no template is skipped.
     */
    static String crafted(SplittableRandom rnd) {
        String g = printable(rnd);
        int at = rnd.nextInt(g.length());
        return g.substring(0, at) + " 1:2:3 1999-1/1 1234567890 @0123456789abcdef01234567 " + g.substring(at);
    }
}
