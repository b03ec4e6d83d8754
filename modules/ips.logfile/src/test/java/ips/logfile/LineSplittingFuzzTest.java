package ips.logfile;

import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whatever bytes a log holds and however its writes are split, the lines delivered are those of a
 * plain reference split: one per newline, CR before it dropped, cut at the limit (never inside a
 * UTF-8 sequence that fits), invalid UTF-8 replaced, the partial last line held back; also when
 * each read stops after a few lines and the next goes on from where it stopped.
 */
class LineSplittingFuzzTest {
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("ips.logfile-fuzz", ".log");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void linesDeliveredMatchAReferenceSplitWhateverTheWriteBoundaries(FuzzedDataProvider data) throws IOException {
        int writes = data.consumeInt(1, 6);
        boolean inflate = data.consumeBoolean();
        int maxLines = data.consumeBoolean() ? data.consumeInt(1, 3) : Integer.MAX_VALUE;
        int[] cuts = new int[writes - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(0, Integer.MAX_VALUE);
        }
        byte[] content = data.consumeRemainingAsBytes();
        if (inflate && content.length > 0) {
            int n = 2 * LineReader.MAX_LINE_BYTES + 7;
            byte[] big = new byte[n];
            for (int i = 0; i < n; i++) {
                big[i] = content[i % content.length];
            }
            content = big;
        }
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = content.length == 0 ? 0 : cuts[i] % (content.length + 1);
        }
        Arrays.sort(cuts);

        Files.write(FILE, new byte[0]);
        Collected got = new Collected();
        LineReader reader = new LineReader(new LogfileCounters());
        ReadCursor cursor = new ReadCursor(0, false);
        try (FileChannel w = FileChannel.open(FILE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                FileChannel r = FileChannel.open(FILE, StandardOpenOption.READ)) {
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : content.length;
                ByteBuffer b = ByteBuffer.wrap(content, from, to - from);
                while (b.hasRemaining()) {
                    w.write(b);
                }
                from = to;
                while (reader.read(r, cursor, "f", got, false, maxLines) > 0) {
                    // a bounded read returns before the end: the next one goes on from its cursor
                }
            }
        }
        List<String> expected = reference(content);
        List<String> actual = got.texts();
        if (!expected.equals(actual)) {
            fail("expected " + describe(expected) + " but got " + describe(actual));
        }
    }

    static List<String> reference(byte[] content) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] != '\n') {
                continue;
            }
            int len = i - start;
            if (len > 0 && content[i - 1] == '\r') {
                len--;
            }
            if (len > LineReader.MAX_LINE_BYTES) {
                len = cutLength(content, start);
            }
            lines.add(new String(content, start, len, StandardCharsets.UTF_8));
            start = i + 1;
        }
        if (content.length - start > LineReader.MAX_LINE_BYTES + 1) {
            // memory stays bounded: a line that outgrows the limit is delivered cut before its newline
            lines.add(new String(content, start, cutLength(content, start), StandardCharsets.UTF_8));
        }
        return lines;
    }

    private static int cutLength(byte[] content, int start) {
        int cut = LineReader.MAX_LINE_BYTES;
        while (cut > LineReader.MAX_LINE_BYTES - 3 && (content[start + cut] & 0xC0) == 0x80) {
            cut--;
        }
        return cut;
    }

    private static String describe(List<String> lines) {
        StringBuilder b = new StringBuilder().append(lines.size()).append(" lines [");
        for (String l : lines) {
            b.append(l.length() > 40 ? l.substring(0, 40) + "…(" + l.length() + ")" : l).append(" | ");
        }
        return b.append(']').toString();
    }
}
