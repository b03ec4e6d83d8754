package ips.logfile;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Wake-ups for the directories that hold followed files: {@link WatchService}, which on Linux is
 * inotify read by one JDK thread per service (events are not batched). One wake-up stands for any
 * number of events; the caller then looks at every file. Only a modification's name is looked at,
 * so that writes to files nobody follows need not wake the caller.
 *
 * <p>When the kernel refuses another inotify instance (Linux's {@code fs.inotify.max_user_instances},
 * 128 by default, counts one per source: a daemon with that many file jails reaches it), the
 * watch falls back to polling, as fail2ban's {@code polling} backend does: {@link #await} returns
 * every {@value #POLL_MILLIS} ms as if names had changed, and the caller looks at its files. That
 * is said once per process; the jail runs, its lines are read up to that much later.
 */
final class DirectoryWatch implements Closeable {
    /** {@link #await} result bit: something happened in a watched directory. */
    static final int ACTIVITY = 1;
    /** {@link #await} result bit: a name appeared or went, events were lost, or a directory went. */
    static final int STRUCTURE = 2;

    /** How often a polling watch (the kernel gave no inotify instance) wakes its caller. */
    static final long POLL_MILLIS = 250;
    private static final System.Logger LOG = System.getLogger("ips.logfile");
    private static final java.util.concurrent.atomic.AtomicBoolean POLLING_SAID = new java.util.concurrent.atomic.AtomicBoolean();

    /** Null when polling. */
    private final WatchService service;
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private volatile boolean closed;
    /** A polling watch's wait ends early when it is closed. */
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

    /** A watch on the service {@code inotify} makes, or a polling one when that fails (tests pass a failing one). */
    DirectoryWatch(String jail, java.util.concurrent.Callable<WatchService> inotify) {
        WatchService ws;
        try {
            ws = inotify.call();
        } catch (Exception e) {
            ws = null;
            if (POLLING_SAID.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "[" + jail + "] no file watch (" + e.getMessage() + "): its files, and"
                        + " those of any jail that cannot get one either, are checked every " + POLL_MILLIS + " ms instead;"
                        + " raise fs.inotify.max_user_instances to have lines read as they are written");
            }
        }
        this.service = ws;
    }


    /** Watches {@code dir} if it exists and is not watched yet; false when it cannot be watched now. */
    boolean watch(Path dir) {
        if (service == null) {
            return java.nio.file.Files.isDirectory(dir);
        }
        WatchKey key = keys.get(dir);
        if (key != null && key.isValid()) {
            return true;
        }
        try {
            keys.put(dir, dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY));
            return true;
        } catch (IOException | ClosedWatchServiceException e) {
            keys.remove(dir);
            return false;
        }
    }

    int watchedDirectories() {
        return keys.size();
    }

    /**
     * Waits up to {@code nanos} (0: does not wait) for events and consumes every event queued. A
     * modification of a name {@code wakesFor} refuses is no activity: a writer of another file in
     * the directory (syslog's other files in /var/log, an access log beside an error log) does not
     * wake the caller. Names that appear or go always count.
     *
     * @return 0 when nothing happened, else {@link #ACTIVITY}, with {@link #STRUCTURE} when names
     *     changed
     */
    int await(long nanos, java.util.function.Predicate<Path> wakesFor) throws InterruptedException {
        if (service == null) {
            if (closed || nanos <= 0) {
                return 0;
            }
            long wait = Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
            return closing.await(wait, TimeUnit.NANOSECONDS) ? 0 : ACTIVITY | STRUCTURE;
        }
        WatchKey key;
        try {
            key = nanos <= 0 ? service.poll() : service.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (ClosedWatchServiceException e) {
            return 0; // closed by another thread to end the wait ({@link #close})
        }
        int result = 0;
        while (key != null) {
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() != StandardWatchEventKinds.ENTRY_MODIFY) {
                    result |= ACTIVITY | STRUCTURE; // create, delete, or OVERFLOW (events lost)
                } else if (!(event.context() instanceof Path name) || wakesFor.test(name)) {
                    result |= ACTIVITY;
                }
            }
            if (!key.reset()) {
                keys.values().remove(key);
                result |= ACTIVITY | STRUCTURE;
            }
            try {
                key = service.poll();
            } catch (ClosedWatchServiceException e) {
                key = null;
            }
        }
        return result;
    }

    /**
     * Stops watching. Safe from another thread: an {@link #await} waiting then returns at once, and
     * later ones do not wait.
     */
    /** {@link #close} was called: {@link #await} no longer waits. */
    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        closing.countDown();
        if (service != null) {
            service.close();
        }
    }
}
