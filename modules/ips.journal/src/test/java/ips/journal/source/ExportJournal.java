package ips.journal.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes real journal files for tests: entries in systemd's export format piped to {@code
 * systemd-journal-remote -o FILE -} (which appends when the file exists).
 */
final class ExportJournal {

    static final Path JOURNAL_REMOTE = Path.of("/lib/systemd/systemd-journal-remote");
    static final String BOOT_ID = "5f1c0d4a2b3e4f60718293a4b5c6d7e8";

    private final ByteArrayOutputStream export = new ByteArrayOutputStream();
    private long realtimeMicros;
    private long monotonicMicros;

    /** Entries start at {@code startMicros} and are one millisecond apart. */
    ExportJournal(long startMicros) {
        this.realtimeMicros = startMicros;
        this.monotonicMicros = startMicros / 10; // increasing across writers sharing a start scale
    }

    static boolean available() {
        return Files.isExecutable(JOURNAL_REMOTE);
    }

    /** An sshd-style entry: unit, identifier, pid and message. */
    ExportJournal entry(String unit, String comm, int pid, String message) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("_HOSTNAME", "web1");
        f.put("_SYSTEMD_UNIT", unit);
        f.put("SYSLOG_IDENTIFIER", comm);
        f.put("_COMM", comm);
        f.put("_PID", Integer.toString(pid));
        f.put("PRIORITY", "6");
        f.put("_TRANSPORT", "syslog");
        f.put("MESSAGE", message);
        return entry(f);
    }

    ExportJournal entry(Map<String, String> fields) {
        realtimeMicros += 1000;
        monotonicMicros += 1000;
        text("__REALTIME_TIMESTAMP=" + realtimeMicros + "\n");
        text("__MONOTONIC_TIMESTAMP=" + monotonicMicros + "\n");
        text("_BOOT_ID=" + BOOT_ID + "\n");
        for (Map.Entry<String, String> e : fields.entrySet()) {
            byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
            if (e.getValue().indexOf('\n') < 0) {
                text(e.getKey() + "=" + e.getValue() + "\n");
            } else { // export format's binary field: NAME\n, little-endian u64 length, data, \n
                text(e.getKey() + "\n");
                byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value.length).array();
                export.writeBytes(length);
                export.writeBytes(value);
                text("\n");
            }
        }
        text("\n");
        return this;
    }

    private void text(String s) {
        export.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    long lastRealtimeMicros() {
        return realtimeMicros;
    }

    /** Appends the entries added since the last write to {@code file} (created when missing). */
    void writeTo(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(JOURNAL_REMOTE.toString(), "-o", file.toString(), "-")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            export.writeTo(in);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("systemd-journal-remote did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException("systemd-journal-remote exited " + p.exitValue());
        }
        export.reset();
    }
}
