package ips.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command for a test and returns its exit status and output. */
final class Shell {
    record Result(int status, String out) {
        boolean ok() {
            return status == 0;
        }
    }

    private Shell() {}

    static Result run(String... command) {
        return run(30, command);
    }

    static Result run(int timeoutSeconds, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    static Result must(String... command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new AssertionError("command failed (" + r.status() + "): " + String.join(" ", command) + "\n" + r.out());
        }
        return r;
    }
}
