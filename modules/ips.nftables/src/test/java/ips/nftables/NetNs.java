package ips.nftables;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A throwaway network namespace for kernel tests ({@code ip netns add}), deleted on close. Code
 * runs inside it on a dedicated thread that entered it with {@code setns(2)}: network namespaces
 * are per thread, and a netlink socket stays in the namespace it was created in.
 */
final class NetNs implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000; // sched.h
    private static final int O_RDONLY = 0;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETNS = LINKER.downcallHandle(LINKER.defaultLookup().find("setns").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    final String name;

    private NetNs(String name) {
        this.name = name;
    }

    /** Skips the calling test, with the reason shown, unless we are root with nft and ip available. */
    static void assumeRoot() {
        assumeTrue(isRoot(), "kernel test skipped: needs root (CAP_NET_ADMIN) to create network namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")) || Files.isExecutable(Path.of("/sbin/nft")),
                "kernel test skipped: the nft program (package nftables) is needed to read back");
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Creates {@code ips.nftables-<tag>-<pid>}; deletes a stale one of the same name first. */
    static NetNs create(String tag) throws Exception {
        String name = "ips.nftables-" + tag + "-" + ProcessHandle.current().pid();
        run(false, "ip", "netns", "del", name);
        run(true, "ip", "netns", "add", name);
        NetNs ns = new NetNs(name);
        ns.exec(true, "ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Runs {@code body} on a fresh thread inside this namespace and returns its result. */
    <T> T inside(Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (Arena arena = Arena.ofConfined()) {
                int fd = (int) OPEN.invokeExact(arena.allocateFrom("/run/netns/" + name), O_RDONLY);
                if (fd < 0) {
                    throw new IllegalStateException("cannot open /run/netns/" + name);
                }
                int rc = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
                int ignored = (int) CLOSE.invokeExact(fd);
                if (rc != 0) {
                    throw new IllegalStateException("setns failed for " + name);
                }
                result.set(body.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "netns-" + name);
        t.start();
        t.join();
        if (failure.get() instanceof Exception e) {
            throw e;
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return result.get();
    }

    /** Runs a command inside the namespace; returns its combined output. */
    String exec(boolean check, String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(check, full.toArray(String[]::new));
    }

    /** Exit status of a command inside the namespace. */
    int status(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + full);
        }
        return p.exitValue();
    }

    /** {@code nft -j list <what...>} inside the namespace. */
    String nftJson(String... what) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nft", "-j", "list"));
        cmd.addAll(List.of(what));
        return exec(true, cmd.toArray(String[]::new));
    }

    static String run(boolean check, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (check && p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }

    @Override
    public void close() throws Exception {
        run(false, "ip", "netns", "del", name);
    }
}
