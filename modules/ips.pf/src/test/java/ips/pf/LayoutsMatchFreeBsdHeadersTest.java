package ips.pf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiles src/test/resources/ips/pf/c/pf_layout_probe.c (FreeBSD's pfvar.h structures and
 * ioccom.h's _IOWR written out with fixed-width types) with gcc and checks every size, alignment,
 * field offset and ioctl number it prints against the Java layouts.
 */
class LayoutsMatchFreeBsdHeadersTest {
    private static final Path SOURCES = Path.of("src/test/resources/ips/pf/c");
    private static final Map<String, String> FACTS = new LinkedHashMap<>();
    private static String skipReason;

    static final Map<String, MemoryLayout> STRUCTS = Map.of(
            "pfr_addr", PfrAddrLayout.LAYOUT,
            "pfr_table", PfrTableLayout.LAYOUT,
            "pfioc_table", PfiocTableLayout.LAYOUT,
            "pf_addr", PfiocStateKillLayout.PF_ADDR,
            "pf_addr_wrap", PfiocStateKillLayout.PF_ADDR_WRAP,
            "pf_rule_addr", PfiocStateKillLayout.PF_RULE_ADDR,
            "pf_state_cmp", PfiocStateKillLayout.PF_STATE_CMP,
            "pfioc_state_kill", PfiocStateKillLayout.LAYOUT,
            "pfioc_nv", PfiocNvLayout.LAYOUT);

    @BeforeAll
    static void compileAndRunProbe() throws IOException, InterruptedException {
        Path out = Path.of("target/pf-layout-probe");
        Files.createDirectories(out.getParent());
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", out.toString(),
                    SOURCES.resolve("pf_layout_probe.c").toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            skipReason = "gcc is not installed: " + e.getMessage();
            return;
        }
        String gccOut = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS), "gcc timed out");
        assertEquals(0, gcc.exitValue(), "gcc failed:\n" + gccOut);
        Process probe = new ProcessBuilder(out.toAbsolutePath().toString()).redirectErrorStream(true).start();
        String text = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, probe.exitValue(), text);
        for (String line : text.split("\n")) {
            int cut = line.lastIndexOf(' ');
            FACTS.put(line.substring(0, cut), line.substring(cut + 1));
        }
    }

    private static String fact(String key) {
        assumeTrue(skipReason == null, skipReason);
        String v = FACTS.get(key);
        assertNotNull(v, "the C probe printed no '" + key + "'");
        return v;
    }

    @Test
    void everyStructHasTheSizeAndAlignmentFreeBsdGivesIt() {
        for (Map.Entry<String, MemoryLayout> e : STRUCTS.entrySet()) {
            assertEquals(Long.parseLong(fact("size " + e.getKey())), e.getValue().byteSize(), "sizeof " + e.getKey());
            assertEquals(Long.parseLong(fact("align " + e.getKey())), e.getValue().byteAlignment(), "alignof " + e.getKey());
        }
    }

    @Test
    void everyFieldSitsAtTheOffsetFreeBsdGivesIt() {
        assumeTrue(skipReason == null, skipReason);
        int checked = 0;
        for (Map.Entry<String, String> f : FACTS.entrySet()) {
            if (!f.getKey().startsWith("offset ")) {
                continue;
            }
            String[] parts = f.getKey().split(" ");
            MemoryLayout layout = STRUCTS.get(parts[1]);
            List<MemoryLayout.PathElement> path = new ArrayList<>();
            for (String step : parts[2].split("\\.")) {
                path.add(MemoryLayout.PathElement.groupElement(step));
            }
            long javaOffset = layout.byteOffset(path.toArray(MemoryLayout.PathElement[]::new));
            assertEquals(Long.parseLong(f.getValue()), javaOffset, "offsetof(" + parts[1] + ", " + parts[2] + ")");
            checked++;
        }
        assertEquals(44, checked, "offsets checked");
    }

    @Test
    void everyIoctlNumberEqualsTheIowrMacroOfFreeBsd() throws ReflectiveOperationException {
        assumeTrue(skipReason == null, skipReason);
        int checked = 0;
        for (Map.Entry<String, String> f : FACTS.entrySet()) {
            if (!f.getKey().startsWith("ioctl ")) {
                continue;
            }
            String name = f.getKey().substring("ioctl ".length());
            Field field = PfIoctls.class.getDeclaredField(name);
            long expected = Long.parseUnsignedLong(f.getValue().substring(2), 16);
            assertEquals(expected, field.getLong(null), name + " = 0x" + Long.toHexString(field.getLong(null)));
            checked++;
        }
        assertEquals(10, checked);
    }

    @Test
    void tableIoctlsMatchTheNumbersCheckedAgainstPfvarH() {
        // PLATFORM-NOTES.md, checked by hand against sys/net/pfvar.h
        assertEquals(0xC450443DL, PfIoctls.DIOCRADDTABLES);
        assertEquals(0xC450443EL, PfIoctls.DIOCRDELTABLES);
        assertEquals(0xC4504442L, PfIoctls.DIOCRCLRADDRS);
        assertEquals(0xC4504443L, PfIoctls.DIOCRADDADDRS);
        assertEquals(0xC4504444L, PfIoctls.DIOCRDELADDRS);
        assertEquals(0xC4504445L, PfIoctls.DIOCRSETADDRS);
        assertEquals(0xC4504446L, PfIoctls.DIOCRGETADDRS);
        assertEquals(0xC0E04429L, PfIoctls.DIOCKILLSTATES);
        assertEquals(0xC0184429L, PfIoctls.DIOCKILLSTATESNV);
    }
}
