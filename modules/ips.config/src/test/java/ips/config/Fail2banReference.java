package ips.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test helper: runs fail2ban's own Python classes (Debian's /usr/bin/python3 with fail2ban 1.0.2). */
final class Fail2banReference {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path ETC = Path.of("/etc/fail2ban");

    private Fail2banReference() {}

    static boolean available() {
        if (!Files.isExecutable(PYTHON) || !Files.isDirectory(ETC.resolve("filter.d"))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import fail2ban.client.filterreader")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs a script from the test resources with arguments; returns stdout (stderr is fail2ban's logging). */
    static String run(String resource, List<String> args) throws IOException, InterruptedException {
        Path script = Files.createTempFile("ips-config-ref", ".py");
        try {
            try (var in = Fail2banReference.class.getResourceAsStream(resource)) {
                Files.write(script, in.readAllBytes());
            }
            List<String> cmd = new java.util.ArrayList<>(List.of(PYTHON.toString(), script.toString()));
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
            Map<String, String> env = pb.environment();
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("reference script " + resource + " failed (exit " + p.exitValue() + ")");
            }
            return out;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Python's json.dumps for a string (ensure_ascii). */
    static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static String jsonList(List<String> l) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(json(l.get(i)));
        }
        return sb.append(']').toString();
    }
}
