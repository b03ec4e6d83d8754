package ips.app.ops;

import ips.api.LineSink;
import ips.api.LogLine;
import ips.api.LogSource;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A jail's reading of this daemon's own log lines, for a jail whose logpath is the fail2ban.conf
 * {@code logtarget} the daemon could not open: fail2ban's {@code recidive} jail on
 * {@code /var/log/fail2ban.log}, which the packaged service's unprivileged user may not write.
 * {@link EventLog} hands the jail a copy of every line it logs, in batches when it flushes (when a
 * file would get them), and the jail's reader polls them as it would poll the file, so that
 * recidive still sees the other jails' "Ban" lines.
 *
 * <p>DEBUG lines are not copied: a jail that read them would make a line for each line it read
 * (fail2ban's recidive jail at loglevel DEBUG feeds itself, as its jail.conf warns).
 *
 * <p>The lines wait in a queue of their own per jail ({@link Lines}) that outlives the source: a
 * reload closes the jail's source and opens another on the same queue, and lines logged in between
 * are read by the new one, as a file's position carries over a reload. The queue holds at most
 * {@link #CAPACITY} lines; past that the oldest are dropped and counted, and the next poll says so
 * (a reader thousands of lines behind; recidive's "Ban" lines are a few among them).
 */
public final class OwnLogSource implements LogSource {
    /** Lines a queue holds at most (~7 MB of "Found" lines, the longest of a flood). */
    static final int CAPACITY = 65_536;
    /** Lines one poll delivers at most. */
    static final int SLICE = 16_384;
    /**
     * How long a poll that found lines lets more gather before it takes them (unless a slice is
     * full): a 1000-attacker burst logs ~4000 lines in ~30 ms, and a jail taking them as they come
     * made the burst's last ban ~10-25 ms later on two cores (recidive on a file is read in
     * batches too).
     */
    static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** One jail's queue of this daemon's log lines. */
    static final class Lines {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition added = lock.newCondition();
        private final ArrayDeque<String> queue = new ArrayDeque<>();
        private final int capacity;
        private long dropped;

        Lines(int capacity) {
            this.capacity = capacity;
        }

        void add(String line) {
            addAll(java.util.List.of(line));
        }

        /** Adds lines in order, with one wake-up for all of them. */
        void addAll(java.util.List<String> lines) {
            lock.lock();
            try {
                for (String line : lines) {
                    if (queue.size() >= capacity) {
                        queue.pollFirst();
                        dropped++;
                    }
                    queue.addLast(line);
                }
                added.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Wakes a waiting poll (its source stops waiting). */
        void wake() {
            lock.lock();
            try {
                added.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private final String path;
    private final String jail;
    private final Lines lines;
    private final EventLog log;
    private volatile boolean stopWaiting;
    private volatile boolean closed;

    OwnLogSource(String path, String jail, Lines lines, EventLog log) {
        this.path = path;
        this.jail = jail;
        this.lines = lines;
        this.log = log;
    }

    /** The logtarget path, as fail2ban's "File list" shows it. */
    @Override
    public String description() {
        return path;
    }

    @Override
    public int poll(LineSink sink, long timeoutMillis) throws InterruptedException {
        String[] taken;
        long dropped;
        Lines l = lines;
        l.lock.lockInterruptibly();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
            while (l.queue.isEmpty() && !stopWaiting && !closed && left > 0) {
                left = l.added.awaitNanos(left);
            }
            // lines came: let the rest of a burst gather before taking them, so that this jail
            // (recidive, whose findtime is a day) does not take the CPU from the jails banning the
            // burst; a poll that may not wait takes what is there
            long gather = timeoutMillis > 0 ? GATHER_NANOS : 0;
            while (!l.queue.isEmpty() && l.queue.size() < SLICE && !stopWaiting && !closed && gather > 0) {
                gather = l.added.awaitNanos(gather);
            }
            int n = Math.min(SLICE, l.queue.size());
            taken = new String[n];
            for (int i = 0; i < n; i++) {
                taken[i] = l.queue.pollFirst();
            }
            dropped = l.dropped;
            l.dropped = 0;
        } finally {
            l.lock.unlock();
        }
        if (dropped > 0) {
            log.warning("fail2ban.filter", "[" + jail + "] " + dropped + " of this daemon's own log lines were dropped"
                    + " before the jail read them (more than " + CAPACITY + " waiting)");
        }
        // delivered outside the lock: what the sink logs is copied back into this queue
        for (String t : taken) {
            sink.accept(LogLine.ofFile(path, t));
        }
        return taken.length;
    }

    @Override
    public void stopWaiting() {
        stopWaiting = true;
        lines.wake();
    }

    /** Nothing to save: the lines in the queue are kept for the jail's next source. */
    @Override
    public void checkpoint() {}

    @Override
    public void close() {
        closed = true;
        lines.wake();
    }
}
