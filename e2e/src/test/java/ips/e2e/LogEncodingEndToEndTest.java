package ips.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * fail2ban's {@code logencoding}: the image decodes a jail's log in it. A Latin-1 log whose lines a
 * failregex matches only on their "é" bans in the jail that says {@code logencoding = latin-1},
 * and not in the one that reads the same bytes as UTF-8 (which bans the same lines written in UTF-8).
 */
class LogEncodingEndToEndTest {
    private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

    @Test
    void aLatin1LogIsReadInItsLogencoding() throws Exception {
        DaemonInNamespace.assumeRunnable();
        try (DaemonInNamespace daemon = new DaemonInNamespace("pclatin", "pclatin")) {
            Path latin = daemon.createLog("latin.log");
            Path utf = daemon.createLog("utf.log");
            daemon.writePortcullisConf("");
            String jail = """
                    [%s]
                    enabled = true
                    action = %%(banaction_allports)s
                    logpath = %s
                    failregex = sshd\\[\\d+\\]: Failed password for jos\u00e9 from <HOST>
                    maxretry = 3
                    ignoreself = false
                    usedns = no
                    """;
            Files.writeString(daemon.etc().resolve("jail.conf"), DaemonInNamespace.ALL_PORTS_DEFAULT
                    + jail.formatted("latin", latin) + "logencoding = latin-1\n" + jail.formatted("utf", utf));
            daemon.start();
            ByteArrayOutputStream lines = new ByteArrayOutputStream();
            for (int i = 0; i < 3; i++) {
                lines.writeBytes((SYSLOG.format(LocalDateTime.now()) + " server sshd[42]: Failed password for jos")
                        .getBytes(StandardCharsets.US_ASCII));
                lines.write(0xE9); // é in ISO-8859-1; no UTF-8 sequence
                lines.writeBytes((" from 192.0.2.30 port " + (40000 + i) + " ssh2\n").getBytes(StandardCharsets.US_ASCII));
            }
            Files.write(latin, lines.toByteArray(), StandardOpenOption.APPEND);
            Files.write(utf, lines.toByteArray(), StandardOpenOption.APPEND);
            assertTrue(daemon.waitForSet("latin-v4", "192.0.2.30", true, 10_000),
                    "not banned by the latin-1 jail: " + daemon.set("latin-v4") + "\n" + daemon.output());
            // the UTF-8 jail then reads the same failures written in UTF-8 from another address: once
            // that one is banned, every line before it was read, and none banned 192.0.2.30
            StringBuilder utf8 = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                utf8.append(SYSLOG.format(LocalDateTime.now())).append(" server sshd[42]: Failed password for jos\u00e9 from 192.0.2.31 port ")
                        .append(50000 + i).append(" ssh2\n");
            }
            Files.writeString(utf, utf8, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            assertTrue(daemon.waitForSet("utf-v4", "192.0.2.31", true, 10_000), "the UTF-8 jail reads UTF-8: " + daemon.set("utf-v4"));
            assertTrue(!daemon.set("utf-v4").contains("192.0.2.30"), "read as UTF-8 the Latin-1 lines have no \u00e9");
        }
    }
}
