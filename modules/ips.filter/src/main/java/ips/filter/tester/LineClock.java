package ips.filter.tester;

import java.util.function.LongSupplier;

/**
 * The wall clock as fail2ban-regex reads it, once per line, but read from the system only every
 * {@value #EVERY} lines: a clock read per line cost the tester ~4 % of its CPU (two threads each
 * read it for every line), and a "now" that lags by a few dozen lines (well under a millisecond at
 * the tester's pace) changes nothing it reports. One instance per thread.
 */
final class LineClock implements LongSupplier {
    static final int EVERY = 64;
    private int calls;
    private long now;

    @Override
    public long getAsLong() {
        if ((calls++ & (EVERY - 1)) == 0) {
            now = System.currentTimeMillis();
        }
        return now;
    }
}
