package ips.logfile;

import ips.api.LineSink;
import ips.api.LogLine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Splits a file's bytes into lines through one fixed buffer, shared by every file of a source.
 * Memory stays bounded whatever the file does: a line longer than {@link #MAX_LINE_BYTES} is
 * delivered cut (at a character boundary) and the rest of it skipped up to its newline. A partial
 * last line is not delivered: the cursor stays at its start until its newline arrives. Invalid
 * UTF-8 becomes U+FFFD. A trailing CR is dropped, as fail2ban does.
 */
final class LineReader {
    /** Longest line delivered whole; fail2ban has no limit, journald cuts at 48 KiB by default. */
    static final int MAX_LINE_BYTES = 64 * 1024;
    /** Bytes asked of the kernel per read. */
    static final int READ_CHUNK = 64 * 1024;
    /**
     * Lines a followed file's read delivers at most (it stops at the end of the chunk that reaches
     * this many), as the journal's poll does: a backlog of millions of lines is read in slices, so
     * the reader commits the bans of each slice, and a stop or reload waits for one slice, not for
     * the whole backlog.
     */
    static final int MAX_LINES_PER_READ = 65_536;

    /**
     * The read buffer, made on the first read: a jail whose files do not exist yet (fail2ban's
     * stock jails name many) keeps none. Written in full by the JVM when made, it stays resident.
     */
    private byte[] buf;
    private ByteBuffer window;
    private final LogfileCounters counters;

    /** How lines are decoded (the jail's {@code logencoding}); invalid bytes become U+FFFD. */
    private final Charset encoding;

    LineReader(LogfileCounters counters) {
        this(counters, StandardCharsets.UTF_8);
    }

    LineReader(LogfileCounters counters, Charset encoding) {
        this.counters = counters;
        this.encoding = encoding;
    }

    /**
     * Delivers every complete line from the cursor to the channel's end and moves the cursor past
     * them.
     *
     * @param endOfLife the file will not grow any more (a rotated copy, a file being let go): its
     *     partial last line is delivered too
     * @return lines delivered
     */
    int read(FileChannel channel, ReadCursor cursor, String source, LineSink sink, boolean endOfLife)
            throws IOException {
        return read(channel, cursor, source, sink, endOfLife, Integer.MAX_VALUE);
    }

    /**
     * {@link #read(FileChannel, ReadCursor, String, LineSink, boolean)}, returning early once
     * {@code maxLines} lines or more are delivered: at the end of a chunk, with the cursor at the
     * start of the first line not delivered. Never with {@code endOfLife}: a file being let go is
     * read to its end.
     */
    int read(FileChannel channel, ReadCursor cursor, String source, LineSink sink, boolean endOfLife, int maxLines)
            throws IOException {
        if (endOfLife && maxLines != Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a file at its end of life is read to its end");
        }
        if (buf == null) {
            buf = new byte[MAX_LINE_BYTES + READ_CHUNK];
            window = ByteBuffer.wrap(buf);
        }
        byte[] buf = this.buf;
        long base = cursor.position; // file offset of buf[0]
        boolean skipping = cursor.skipping;
        int start = 0;
        int end = 0;
        int lines = 0;
        int cut = 0;
        try {
            while (true) {
                window.limit(buf.length).position(end);
                int n = channel.read(window, base + end);
                if (n <= 0) {
                    break;
                }
                int scan = end;
                end += n;
                int nl;
                while ((nl = indexOfNewline(buf, scan, end)) >= 0) {
                    if (skipping) {
                        skipping = false;
                    } else {
                        int len = nl - start;
                        while (len > 0 && buf[start + len - 1] == '\r') { // rstrip('\r\n'), as fail2ban
                            len--;
                        }
                        if (len > MAX_LINE_BYTES) {
                            len = cutLength(start, nl);
                            cut++;
                        }
                        sink.accept(LogLine.ofFile(source, new String(buf, start, len, encoding)));
                        lines++;
                    }
                    start = nl + 1;
                    scan = start;
                }
                if (skipping) {
                    start = end; // still inside a line already delivered cut
                } else if (end - start > MAX_LINE_BYTES + 1) {
                    // longer than any line delivered whole, even one whose newline follows a CR
                    sink.accept(LogLine.ofFile(source, new String(buf, start, cutLength(start, end), encoding)));
                    lines++;
                    cut++;
                    skipping = true;
                    start = end;
                }
                if (start == end) {
                    base += end;
                    start = 0;
                    end = 0;
                } else if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    base += start;
                    end -= start;
                    start = 0;
                }
                if (lines >= maxLines) {
                    break; // the rest, from start, is the next read's
                }
            }
            if (endOfLife && end > start && !skipping) {
                int len = end - start;
                while (len > 0 && buf[start + len - 1] == '\r') {
                    len--;
                }
                sink.accept(LogLine.ofFile(source, new String(buf, start, len, encoding)));
                lines++;
                start = end;
            }
        } finally {
            cursor.position = base + start;
            cursor.skipping = skipping;
            counters.addLines(lines, cut);
        }
        return lines;
    }

    /** {@link #MAX_LINE_BYTES}, less the bytes of a UTF-8 sequence the limit would split. */
    private int cutLength(int start, int limit) {
        int len = MAX_LINE_BYTES;
        while (len > MAX_LINE_BYTES - 3 && start + len < limit && (buf[start + len] & 0xC0) == 0x80) {
            len--;
        }
        return len;
    }

    private static int indexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
