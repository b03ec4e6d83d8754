package ips.filter.tester;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a log as bytes and hands out its lines (split on {@code \n} only) without allocating for
 * ASCII lines: an ASCII line is a reused view over the read buffer; other lines are decoded as
 * UTF-8 with replacement characters, as Python's {@code decode('utf-8', 'replace')}.
 */
final class LineReader {
    private final InputStream in;
    private byte[] buf = new byte[1 << 18];
    private int pos;
    private int lim;
    private boolean eof;
    private final AsciiView view = new AsciiView();
    /** Lines go out as this one reused text, so regex call sites see one CharSequence class. */
    private final ips.filter.regex.BudgetedText out = new ips.filter.regex.BudgetedText();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);

    LineReader(InputStream in) {
        this.in = in;
    }

    /** A CharSequence over ASCII bytes. */
    static final class AsciiView implements CharSequence {
        byte[] b;
        int off;
        int len;

        @Override
        public int length() {
            return len;
        }

        @Override
        public char charAt(int i) {
            return (char) b[off + i];
        }

        @Override
        public CharSequence subSequence(int s, int e) {
            return new String(b, off + s, e - s, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    /** The next line, or null at the end. The returned view is valid until the next call. */
    CharSequence next() throws IOException {
        while (true) {
            int nl = -1;
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl >= 0) {
                CharSequence s = line(pos, nl);
                pos = nl + 1;
                return s;
            }
            if (eof) {
                if (pos < lim) {
                    CharSequence s = line(pos, lim);
                    pos = lim;
                    return s;
                }
                return null;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        if (lim == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
        } else {
            lim += n;
        }
    }

    private CharSequence line(int from, int to) {
        int hi = 0;
        for (int i = from; i < to; i++) {
            hi |= buf[i];
        }
        if (hi >= 0) {
            out.clear().appendAscii(buf, from, to - from);
            return out;
        }
        try {
            decoder.reset();
            CharBuffer cb = decoder.decode(ByteBuffer.wrap(buf, from, to - from));
            return out.clear().append(cb);
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(buf, from, to - from, StandardCharsets.UTF_8);
        }
    }
}
