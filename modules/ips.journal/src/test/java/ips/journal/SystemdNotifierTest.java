package ips.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {

    @TempDir
    Path tmp;

    @Test
    void withoutNotifySocketEveryCallIsANoOp() {
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of(), () -> 1)) {
            assertFalse(n.enabled());
            assertFalse(n.ready());
            assertFalse(n.status("x"));
            assertFalse(n.watchdog());
            assertFalse(n.stopping());
            assertEquals(Optional.empty(), n.watchdogTimeout());
        }
    }

    @Test
    void sendsEachStateAsOneDatagramToAPathSocket() throws Throwable {
        String path = tmp.resolve("notify.sock").toString();
        try (UnixDatagramReceiver systemd = new UnixDatagramReceiver(path);
                SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", path), () -> 1)) {
            assertTrue(n.enabled());
            assertTrue(n.ready());
            assertEquals("READY=1", systemd.receive());
            assertTrue(n.status("watching 3 jails\nsecond line"));
            assertEquals("STATUS=watching 3 jails second line", systemd.receive());
            assertTrue(n.watchdog());
            assertEquals("WATCHDOG=1", systemd.receive());
            assertTrue(n.stopping());
            assertEquals("STOPPING=1", systemd.receive());
            assertTrue(n.reloading());
            assertTrue(systemd.receive().startsWith("RELOADING=1\nMONOTONIC_USEC="));
        }
    }

    @Test
    void reachesASocketInTheAbstractNamespace() throws Throwable {
        String name = "@portcullis-ips.journal-test-" + ThreadLocalRandom.current().nextLong(1L << 48);
        try (UnixDatagramReceiver systemd = new UnixDatagramReceiver(name);
                SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", name), () -> 1)) {
            assertTrue(n.ready());
            assertEquals("READY=1", systemd.receive());
        }
    }

    @Test
    void aSocketNobodyListensOnMakesCallsReturnFalseWithoutThrowing() {
        String path = tmp.resolve("gone.sock").toString();
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", path), () -> 1)) {
            assertTrue(n.enabled());
            assertFalse(n.ready());
            assertFalse(n.watchdog());
        }
    }

    @Test
    void aRelativeOrOverlongSocketNameTurnsNotificationsOff() {
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "relative.sock"), () -> 1)) {
            assertFalse(n.enabled());
        }
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "/" + "x".repeat(120)), () -> 1)) {
            assertFalse(n.enabled());
        }
    }

    @Test
    void watchdogIntervalComesFromWatchdogUsecWhenItIsForThisProcess() {
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "30000000"), () -> 77)) {
            assertEquals(Optional.of(Duration.ofSeconds(30)), n.watchdogTimeout());
            assertEquals(Optional.of(Duration.ofSeconds(15)), n.watchdogPingInterval());
        }
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(
                Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "77"), () -> 77)) {
            assertEquals(Optional.of(Duration.ofSeconds(30)), n.watchdogTimeout());
        }
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(
                Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "78"), () -> 77)) {
            assertEquals(Optional.empty(), n.watchdogTimeout(), "meant for another process");
        }
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "0"), () -> 77)) {
            assertEquals(Optional.empty(), n.watchdogTimeout());
        }
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "soon"), () -> 77)) {
            assertEquals(Optional.empty(), n.watchdogTimeout());
        }
    }

    @Test
    void realProcessIdIsReadWithoutProcessHandle() {
        assertEquals(ProcessHandle.current().pid(), UnixDatagram.getpid());
    }

    @Test
    void fromEnvironmentWorksInThisProcess() {
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment()) {
            assertEquals(System.getenv("NOTIFY_SOCKET") != null, n.enabled());
        }
    }
}
