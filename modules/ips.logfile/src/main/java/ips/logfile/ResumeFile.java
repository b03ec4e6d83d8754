package ips.logfile;

import ips.api.StateFile;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The resume positions of one jail's files, kept in {@code <stateDir>/logfile-<jail>.state}:
 * what fail2ban keeps in its database's {@code logs} table (path, first-line hash, position).
 * Written whole and atomically through a {@link StateFile}, so a crash leaves the old or the new
 * state, never a mixture.
 *
 * <pre>
 * portcullis-logfile 1
 * &lt;position&gt; &lt;skipping 0|1&gt; &lt;head length&gt; &lt;head crc32c hex&gt; &lt;saved, epoch ms&gt; &lt;path, URL-encoded&gt;
 * </pre>
 */
final class ResumeFile {
    static final String HEADER = "portcullis-logfile 1";

    /**
     * One file's resume point.
     *
     * @param savedMillis when the position was saved (epoch ms): files rotated away after it are
     *     generations written while stopped; 0 when not known yet (stamped on save)
     */
    /**
     * One file's saved position. equals and hashCode are written out: a record's generated ones
     * bootstrap through method handles on their first call, which spun classes for ~7 ms on the
     * reading thread at the second periodic save (10 s after start), in the middle of traffic.
     */
    record Entry(String path, long position, boolean skipping, int headLength, long headChecksum, long savedMillis) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && java.util.Objects.equals(path, e.path) && position == e.position
                    && skipping == e.skipping && headLength == e.headLength && headChecksum == e.headChecksum
                    && savedMillis == e.savedMillis;
        }

        @Override
        public int hashCode() {
            int h = java.util.Objects.hashCode(path);
            h = h * 31 + Long.hashCode(position);
            h = h * 31 + (skipping ? 1 : 0);
            h = h * 31 + headLength;
            h = h * 31 + Long.hashCode(headChecksum);
            return h * 31 + Long.hashCode(savedMillis);
        }
    }

    private final StateFile file;

    ResumeFile(Path stateDir, String jail) {
        this.file = new StateFile(stateDir.resolve("logfile-" + safeName(jail) + ".state"));
    }

    /** The saved entries by path; empty when there is no state yet. */
    Map<String, Entry> load() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file.path(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
            throw new IOException(file.path() + ": not a portcullis logfile state (header " + HEADER + " expected)");
        }
        Map<String, Entry> entries = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(" ");
            try {
                if (f.length != 6) {
                    throw new IllegalArgumentException("6 fields expected, found " + f.length);
                }
                long position = Long.parseLong(f[0]);
                int headLength = Integer.parseInt(f[2]);
                if (position < 0 || headLength < 0 || headLength > HeadFingerprint.HEAD_BYTES || headLength > position) {
                    throw new IllegalArgumentException("position " + position + ", head length " + headLength);
                }
                long savedMillis = Long.parseLong(f[4]);
                String path = URLDecoder.decode(f[5], StandardCharsets.UTF_8);
                entries.put(path, new Entry(path, position, f[1].equals("1"), headLength, Long.parseLong(f[3], 16), savedMillis));
            } catch (IllegalArgumentException e) {
                throw new IOException(file.path() + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return entries;
    }

    /** Writes {@code entries} now, stamping those saved for the first time with {@code nowMillis}. */
    void save(Collection<Entry> entries, long nowMillis) throws IOException {
        file.write(text(entries, nowMillis));
    }

    /**
     * Queues {@code entries} for the shared state writer (see {@link StateFile#writeLater}): for the
     * periodic save on the reading thread, which must not wait for an fsync.
     */
    void saveLater(Collection<Entry> entries, long nowMillis) {
        file.writeLater(text(entries, nowMillis));
    }

    /** Whether the last save failed (a queued one is logged by the writer, not thrown). */
    boolean lastSaveFailed() {
        return file.lastWriteFailed();
    }

    private static String text(Collection<Entry> entries, long nowMillis) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Entry e : entries) {
            text.append(e.position()).append(' ').append(e.skipping() ? '1' : '0').append(' ')
                    .append(e.headLength()).append(' ').append(Long.toHexString(e.headChecksum())).append(' ')
                    .append(e.savedMillis() == 0 ? nowMillis : e.savedMillis()).append(' ')
                    .append(URLEncoder.encode(e.path(), StandardCharsets.UTF_8)).append('\n');
        }
        return text.toString();
    }

    /** A jail name as a file name: anything but letters, digits, '.', '-' and '_' becomes '_'. */
    static String safeName(String jail) {
        StringBuilder b = new StringBuilder(jail.length());
        for (int i = 0; i < jail.length(); i++) {
            char c = jail.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || (c == '.' && i > 0);
            b.append(ok ? c : '_');
        }
        return b.isEmpty() ? "_" : b.toString();
    }

}
