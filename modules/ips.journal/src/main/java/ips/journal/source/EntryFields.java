package ips.journal.source;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The journal fields a {@code LogLine} carries, and an immutable map view over one entry's values.
 * Only these fields are decoded into Strings; the others are skipped by comparing bytes, which keeps
 * reading an entry cheap.
 */
public final class EntryFields {

    /** The fields fail2ban's formatJournalEntry reads, and the ones jails commonly match or report. */
    public static final String[] NAMES = {
        "MESSAGE",
        "_HOSTNAME",
        "SYSLOG_IDENTIFIER",
        "SYSLOG_PID",
        "_COMM",
        "_PID",
        "_SOURCE_REALTIME_TIMESTAMP",
        "_SOURCE_MONOTONIC_TIMESTAMP",
        "_SYSTEMD_UNIT",
        "_SYSTEMD_USER_UNIT",
        "_SYSTEMD_SLICE",
        "_TRANSPORT",
        "PRIORITY",
        "SYSLOG_FACILITY",
        "_UID",
        "_GID",
        "_EXE",
        "_CMDLINE",
        "_BOOT_ID",
        "_MACHINE_ID",
        "MESSAGE_ID",
        "CONTAINER_NAME",
    };

    static final int MESSAGE = 0;
    static final int HOSTNAME = 1;
    static final int SYSLOG_IDENTIFIER = 2;
    static final int SYSLOG_PID = 3;
    static final int COMM = 4;
    static final int PID = 5;
    static final int SOURCE_REALTIME = 6;
    static final int SOURCE_MONOTONIC = 7;
    /** Fields below this index are decoded while reading (the line needs them); the rest when asked for. */
    static final int EAGER = 8;

    private static final byte[][] KEYS = new byte[NAMES.length][];
    /** Open-addressing table from a key's hash to its index + 1 (0 = empty). */
    private static final int[] SLOTS = new int[64];

    static {
        for (int i = 0; i < NAMES.length; i++) {
            KEYS[i] = NAMES[i].getBytes(StandardCharsets.US_ASCII);
            int s = hash(KEYS[i], KEYS[i].length) & (SLOTS.length - 1);
            while (SLOTS[s] != 0) {
                s = (s + 1) & (SLOTS.length - 1);
            }
            SLOTS[s] = i + 1;
        }
    }

    private EntryFields() {}

    private static int hash(byte[] b, int len) {
        return len * 31 + b[len - 1] * 7 + b[len >> 1] * 3;
    }

    /** The index in {@link #NAMES} of the key {@code field[0..keyLength)}, or -1 when not wanted. */
    static int indexOf(byte[] field, int keyLength) {
        if (keyLength == 0) {
            return -1;
        }
        int s = hash(field, keyLength) & (SLOTS.length - 1);
        int i;
        while ((i = SLOTS[s]) != 0) {
            byte[] key = KEYS[i - 1];
            if (key.length == keyLength && Arrays.equals(key, 0, keyLength, field, 0, keyLength)) {
                return i - 1;
            }
            s = (s + 1) & (SLOTS.length - 1);
        }
        return -1;
    }

    /**
     * An unmodifiable map over one entry's fields: {@code values} indexed like {@link #NAMES} ({@code
     * null} = absent) for the eager ones, and for the others their UTF-8 bytes in {@code packed} at
     * {@code bounds[2i]-1 .. bounds[2i+1]} ({@code bounds[2i]} 0 when absent; {@code bounds} null when
     * none is there), decoded on first get.
     */
    static Map<String, String> view(String[] values, byte[] packed, int[] bounds) {
        return new View(values, packed, bounds);
    }

    private static final class View extends AbstractMap<String, String> {
        private final String[] values;
        private final byte[] packed;
        private final int[] bounds;

        View(String[] values, byte[] packed, int[] bounds) {
            this.values = values;
            this.packed = packed;
            this.bounds = bounds;
        }

        /** The value at {@code i}, decoding it on first use (a benign race: Strings are immutable). */
        String at(int i) {
            String v = values[i];
            if (v == null && i >= EAGER && bounds != null && bounds[2 * i] > 0) {
                int start = bounds[2 * i] - 1;
                v = new String(packed, start, bounds[2 * i + 1] - start, StandardCharsets.UTF_8);
                values[i] = v;
            }
            return v;
        }

        @Override
        public String get(Object key) {
            for (int i = 0; i < NAMES.length; i++) {
                if (NAMES[i].equals(key)) {
                    return at(i);
                }
            }
            return null;
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, String>> iterator() {
                    return new Iterator<>() {
                        int next = advance(0);

                        private int advance(int from) {
                            while (from < values.length && at(from) == null) {
                                from++;
                            }
                            return from;
                        }

                        @Override
                        public boolean hasNext() {
                            return next < values.length;
                        }

                        @Override
                        public Entry<String, String> next() {
                            if (next >= values.length) {
                                throw new NoSuchElementException();
                            }
                            Entry<String, String> e = new SimpleImmutableEntry<>(NAMES[next], at(next));
                            next = advance(next + 1);
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    int n = 0;
                    for (int i = 0; i < values.length; i++) {
                        if (at(i) != null) {
                            n++;
                        }
                    }
                    return n;
                }
            };
        }
    }
}
