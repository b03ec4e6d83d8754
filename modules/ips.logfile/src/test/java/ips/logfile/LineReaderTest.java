package ips.logfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineReaderTest {
    @TempDir
    Path dir;

    private final LogfileCounters counters = new LogfileCounters();
    private final LineReader reader = new LineReader(counters);

    private List<String> read(byte[] content, ReadCursor cursor, boolean endOfLife) throws IOException {
        Path f = dir.resolve("f.log");
        Files.write(f, content);
        Collected c = new Collected();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            reader.read(ch, cursor, f.toString(), c, endOfLife);
        }
        return c.texts();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void deliversCompleteLinesAndHoldsThePartialLastLine() throws IOException {
        ReadCursor cursor = new ReadCursor(0, false);
        assertEquals(List.of("one", "two"), read(bytes("one\ntwo\nthr"), cursor, false));
        assertEquals(8, cursor.position);
        assertEquals(List.of("three"), read(bytes("one\ntwo\nthree\n"), cursor, false));
        assertEquals(14, cursor.position);
        assertEquals(2 + 1, counters.linesRead());
    }

    @Test
    void deliversThePartialLastLineOnlyAtEndOfLife() throws IOException {
        assertEquals(List.of("a", "tail"), read(bytes("a\ntail"), new ReadCursor(0, false), true));
    }

    @Test
    void dropsCarriageReturnBeforeNewlineAndKeepsEmptyLines() throws IOException {
        assertEquals(List.of("dos", "", "unix", "mid\rdle"), read(bytes("dos\r\n\r\nunix\nmid\rdle\n"), new ReadCursor(0, false), false));
        // every carriage return at a line's end goes, as fail2ban's rstrip('\r\n'); a final line too
        assertEquals(List.of("twice", "", "end"), read(bytes("twice\r\r\n\r\r\nend\r\r"), new ReadCursor(0, false), true));
    }

    @Test
    void decodesLinesInTheJailsLogencoding() throws IOException {
        Path f = dir.resolve("latin1.log");
        // "josé from 192.0.2.1" in ISO-8859-1: 0xE9 alone is no UTF-8
        Files.write(f, new byte[] {'j', 'o', 's', (byte) 0xE9, ' ', 'x', '\n'});
        Collected c = new Collected();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            new LineReader(counters, StandardCharsets.ISO_8859_1).read(ch, new ReadCursor(0, false), f.toString(), c, false);
        }
        assertEquals(List.of("jos\u00e9 x"), c.texts());
        assertEquals(List.of("jos\ufffd x"), read(Files.readAllBytes(f), new ReadCursor(0, false), false), "as UTF-8");
    }

    @Test
    void replacesInvalidUtf8WithReplacementCharacters() throws IOException {
        byte[] content = {'o', 'k', ' ', (byte) 0xC3, (byte) 0xA9, ' ', (byte) 0xFF, (byte) 0xC3, '(', ' ', (byte) 0xED,
            (byte) 0xA0, (byte) 0x80, '\n'};
        List<String> lines = read(content, new ReadCursor(0, false), false);
        assertEquals(1, lines.size());
        assertTrue(lines.getFirst().startsWith("ok é \uFFFD\uFFFD( "), lines.getFirst());
        assertTrue(lines.getFirst().chars().skip(7).allMatch(ch -> ch == '\uFFFD' || ch == '(' || ch == ' '));
    }

    @Test
    void cutsALongLineCountsItAndSkipsItsRest() throws IOException {
        int max = LineReader.MAX_LINE_BYTES;
        String huge = "x".repeat(5 * max + 123);
        ReadCursor cursor = new ReadCursor(0, false);
        List<String> lines = read(bytes("before\n" + huge + "\nafter\n"), cursor, false);
        assertEquals(3, lines.size());
        assertEquals("before", lines.get(0));
        assertEquals(max, lines.get(1).length());
        assertEquals("after", lines.get(2));
        assertEquals(1, counters.longLinesCut());
        assertEquals(3, counters.linesRead());
        assertFalse(cursor.skipping);
    }

    @Test
    void cutsALongLineStillBeingWrittenOnceAndSkipsTheRestWhenItCompletes() throws IOException {
        int max = LineReader.MAX_LINE_BYTES;
        ReadCursor cursor = new ReadCursor(0, false);
        String first = "y".repeat(max + 10);
        assertEquals(List.of("y".repeat(max)), read(bytes(first), cursor, false));
        assertTrue(cursor.skipping);
        String more = first + "y".repeat(3 * max) + "\nnext\n";
        assertEquals(List.of("next"), read(bytes(more), cursor, false));
        assertEquals(1, counters.longLinesCut());
    }

    @Test
    void cutsBeforeAMultiByteCharacterRatherThanThroughIt() throws IOException {
        int max = LineReader.MAX_LINE_BYTES;
        String line = "a".repeat(max - 1) + "€€€"; // the limit falls inside the first euro sign
        List<String> lines = read(bytes(line + "\n"), new ReadCursor(0, false), false);
        assertEquals("a".repeat(max - 1), lines.getFirst());
    }

    @Test
    void aLineOfExactlyTheLimitIsDeliveredWhole() throws IOException {
        String line = "z".repeat(LineReader.MAX_LINE_BYTES);
        assertEquals(List.of(line), read(bytes(line + "\n"), new ReadCursor(0, false), false));
        assertEquals(0, counters.longLinesCut());
    }

    @Test
    void readsLinesSpanningManyBufferFills() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            b.append("entry ").append(i).append(" ").append("p".repeat(i % 300)).append('\n');
        }
        List<String> lines = read(bytes(b.toString()), new ReadCursor(0, false), false);
        assertEquals(50_000, lines.size());
        for (int i = 0; i < lines.size(); i += 997) {
            assertEquals("entry " + i + " " + "p".repeat(i % 300), lines.get(i));
        }
    }

    @Test
    void aBoundedReadStopsAtTheEndOfAChunkAndTheNextGoesOnFromTheFirstLineNotDelivered() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            b.append("entry ").append(i).append(" ").append("q".repeat(i % 70)).append('\n');
        }
        Path f = dir.resolve("big.log");
        Files.write(f, bytes(b.toString()));
        ReadCursor cursor = new ReadCursor(0, false);
        Collected c = new Collected();
        List<Integer> slices = new java.util.ArrayList<>();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            int n;
            while ((n = reader.read(ch, cursor, f.toString(), c, false, 1000)) > 0) {
                slices.add(n);
                // the cursor is at a line's start: the byte before it ends a delivered line
                assertEquals('\n', Files.readAllBytes(f)[(int) cursor.position - 1]);
            }
        }
        assertTrue(slices.size() > 10, "read in slices: " + slices);
        for (int n : slices.subList(0, slices.size() - 1)) {
            // at least the bound, at most the bound plus the lines of one 64 KiB chunk
            assertTrue(n >= 1000 && n < 1000 + LineReader.READ_CHUNK / 7, "slice of " + n);
        }
        List<String> lines = c.texts();
        assertEquals(40_000, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals("entry " + i + " " + "q".repeat(i % 70), lines.get(i));
        }
        assertEquals(Files.size(f), cursor.position);
    }

    @Test
    void aFileAtItsEndOfLifeIsNeverReadInSlices() throws IOException {
        Path f = dir.resolve("f.log");
        Files.write(f, bytes("a\n"));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> reader.read(ch, new ReadCursor(0, false), f.toString(), new Collected(), true, 10));
        }
    }
}
