package ips.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The system call numbers {@link Netlink} calls syscall(2) with, against the kernel's own headers
 * (Debian's linux-libc-dev): x86_64's asm/unistd_64.h and the generic table aarch64 uses,
 * asm-generic/unistd.h. aarch64 cannot be run here; its numbers are at least the kernel's.
 */
class SyscallNumbersTest {
    /** __NR_name, or __NR3264_name: the generic table's calls whose 32-bit variant differs (mmap). */
    private static final Pattern DEFINE = Pattern.compile("^#define __NR(?:3264)?_(\\w+)\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    private static Map<String, Long> numbers(Path header) throws IOException {
        assumeTrue(Files.isRegularFile(header), header + " (package linux-libc-dev) is not installed");
        Map<String, Long> n = new LinkedHashMap<>();
        Matcher m = DEFINE.matcher(Files.readString(header));
        while (m.find()) {
            n.putIfAbsent(m.group(1), Long.parseLong(m.group(2)));
        }
        return n;
    }

    private static Map<String, Long> ours(Netlink.CallNumbers c) {
        return Map.of("socket", c.socket(), "bind", c.bind(), "setsockopt", c.setsockopt(), "sendto", c.sendto(),
                "recvfrom", c.recvfrom(), "close", c.close(), "getpid", c.getpid(), "mmap", c.mmap(),
                "munmap", c.munmap());
    }

    private static void assertSame(Netlink.CallNumbers ours, Map<String, Long> kernel) {
        for (Map.Entry<String, Long> e : ours(ours).entrySet()) {
            assertEquals(kernel.get(e.getKey()), e.getValue(), "__NR_" + e.getKey());
        }
    }

    @Test
    void x86_64NumbersAreTheKernels() throws IOException {
        Map<String, Long> kernel = numbers(Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h"));
        assertSame(Netlink.CallNumbers.of("amd64"), kernel);
        assertSame(Netlink.CallNumbers.of("x86_64"), kernel);
    }

    @Test
    void aarch64NumbersAreTheGenericTables() throws IOException {
        assertSame(Netlink.CallNumbers.of("aarch64"), numbers(Path.of("/usr/include/asm-generic/unistd.h")));
    }

    @Test
    void otherArchitecturesLinkTheLibcFunctions() {
        assertNull(Netlink.CallNumbers.of("riscv64"));
        assertNull(Netlink.CallNumbers.of("ppc64le"));
    }
}
