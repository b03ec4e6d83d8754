package ips.journal.sd;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One open {@code sd_journal} handle. Not thread-safe (neither is libsystemd's handle): one thread
 * at a time, which {@code JournalSource} guarantees. Every temporary lives in this handle's arena and
 * is reused, so reading an entry allocates nothing native.
 */
public final class SdJournal implements AutoCloseable {

    private final LibSystemd lib;
    private final Arena arena;
    private final MemorySegment journal;
    /** {@code const void **data} of enumerate_data. */
    private final MemorySegment dataOut;
    /** {@code size_t *length} of enumerate_data; also the {@code uint64_t *} of the time getters. */
    private final MemorySegment lengthOut;
    /** {@code char **cursor} of get_cursor. */
    private final MemorySegment cursorOut;
    /** {@code sd_id128_t *ret_boot_id} of get_monotonic_usec (with NULL it fails ESTALE for other boots). */
    private final MemorySegment bootIdOut;
    private boolean closed;

    private SdJournal(LibSystemd lib, Arena arena, MemorySegment journal) {
        this.lib = lib;
        this.arena = arena;
        this.journal = journal;
        this.dataOut = arena.allocate(ADDRESS);
        this.lengthOut = arena.allocate(JAVA_LONG);
        this.cursorOut = arena.allocate(ADDRESS);
        this.bootIdOut = arena.allocate(16, 8);
    }

    /** The local system journal ({@code SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM}, fail2ban's default flags). */
    public static SdJournal openSystem(LibSystemd lib) throws IOException {
        return openSystem(lib, LibSystemd.SD_JOURNAL_LOCAL_ONLY | LibSystemd.SD_JOURNAL_SYSTEM);
    }

    /** The local journal's files that {@code flags} choose ({@code sd_journal_open}, fail2ban's {@code journalflags}). */
    public static SdJournal openSystem(LibSystemd lib, int flags) throws IOException {
        return open(lib, "sd_journal_open(flags " + flags + ")", (arena, ret) -> (int) lib.open.h().invokeExact(ret, flags));
    }

    /** Every journal file in {@code directory} (fail2ban's {@code journalpath}); follows files added later. */
    public static SdJournal openDirectory(LibSystemd lib, Path directory) throws IOException {
        return open(lib, "sd_journal_open_directory(" + directory + ")", (arena, ret) ->
                (int) lib.openDirectory.h().invokeExact(ret, arena.allocateFrom(directory.toString()), 0));
    }

    /** Exactly these files (fail2ban's {@code journalfiles}). */
    public static SdJournal openFiles(LibSystemd lib, List<Path> files) throws IOException {
        return open(lib, "sd_journal_open_files(" + files + ")", (arena, ret) -> {
            MemorySegment array = arena.allocate(ADDRESS, files.size() + 1L); // NULL-terminated char*[]
            for (int i = 0; i < files.size(); i++) {
                array.setAtIndex(ADDRESS, i, arena.allocateFrom(files.get(i).toString()));
            }
            return (int) lib.openFiles.h().invokeExact(ret, array, 0);
        });
    }

    @FunctionalInterface
    private interface Opener {
        int open(Arena arena, MemorySegment ret) throws Throwable;
    }

    private static SdJournal open(LibSystemd lib, String what, Opener opener) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            int r;
            MemorySegment handle;
            try (Arena call = Arena.ofConfined()) {
                MemorySegment ret = call.allocate(ADDRESS);
                r = opener.open(call, ret);
                handle = ret.get(ADDRESS, 0);
            }
            if (r < 0) {
                throw new IOException(what + " failed: " + Errno.describe(-r));
            }
            return new SdJournal(lib, arena, handle);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new AssertionError(t);
        }
    }

    /** {@code FIELD=value}; matches on different fields are ANDed, on the same field ORed. */
    public void addMatch(String match) throws IOException {
        try (Arena call = Arena.ofConfined()) {
            byte[] bytes = match.getBytes(StandardCharsets.UTF_8);
            MemorySegment data = call.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, data, JAVA_BYTE, 0, bytes.length);
            check((int) lib.addMatch.h().invokeExact(journal, data, (long) bytes.length), "sd_journal_add_match(" + match + ")");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Ends the current group of matches: the next group is ORed with it. */
    public void addDisjunction() throws IOException {
        try {
            check((int) lib.addDisjunction.h().invokeExact(journal), "sd_journal_add_disjunction");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Moves to the next matching entry: {@code true} when there is one. */
    public boolean next() throws IOException {
        int r;
        try {
            r = (int) lib.next.h().invokeExact(journal);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        return check(r, "sd_journal_next") > 0;
    }

    /** Moves to the previous matching entry: {@code true} when there is one. */
    public boolean previous() throws IOException {
        int r;
        try {
            r = (int) lib.previous.h().invokeExact(journal);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        return check(r, "sd_journal_previous") > 0;
    }

    public void seekHead() throws IOException {
        try {
            check((int) lib.seekHead.h().invokeExact(journal), "sd_journal_seek_head");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Positions before the first entry at or after {@code usec} (CLOCK_REALTIME microseconds). */
    public void seekRealtime(long usec) throws IOException {
        try {
            check((int) lib.seekRealtime.h().invokeExact(journal, usec), "sd_journal_seek_realtime_usec");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public void seekTail() throws IOException {
        try {
            check((int) lib.seekTail.h().invokeExact(journal), "sd_journal_seek_tail");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Seeks to a saved cursor; the following {@link #next()} lands ON that entry when it still
     * exists (check with {@link #testCursor}), else on the first entry after its position.
     *
     * @return {@code false} when the text is not a cursor
     */
    public boolean seekCursor(String cursor) throws IOException {
        try (Arena call = Arena.ofConfined()) {
            int r = (int) lib.seekCursor.h().invokeExact(journal, call.allocateFrom(cursor));
            if (r == -Errno.EINVAL) {
                return false;
            }
            check(r, "sd_journal_seek_cursor");
            return true;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Whether the current entry is the one {@code cursor} names. */
    public boolean testCursor(String cursor) throws IOException {
        try (Arena call = Arena.ofConfined()) {
            int r = (int) lib.testCursor.h().invokeExact(journal, call.allocateFrom(cursor));
            if (r == -Errno.EINVAL) {
                return false;
            }
            return check(r, "sd_journal_test_cursor") > 0;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The current entry's cursor (libsystemd's malloc'd text, copied and freed). */
    public String cursor() throws IOException {
        try {
            check((int) lib.getCursor.h().invokeExact(journal, cursorOut), "sd_journal_get_cursor");
            MemorySegment text = cursorOut.get(ADDRESS, 0);
            try {
                return text.reinterpret(Long.MAX_VALUE).getString(0);
            } finally {
                lib.free.h().invokeExact(text);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The current entry's {@code __REALTIME_TIMESTAMP} in microseconds since the epoch. */
    public long realtimeMicros() throws IOException {
        try {
            check((int) lib.getRealtimeUsec.h().invokeExact(journal, lengthOut), "sd_journal_get_realtime_usec");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        return lengthOut.get(JAVA_LONG, 0);
    }

    /** The current entry's {@code __MONOTONIC_TIMESTAMP} in microseconds since its own boot (any boot). */
    public long monotonicMicros() throws IOException {
        try {
            check((int) lib.getMonotonicUsec.h().invokeExact(journal, lengthOut, bootIdOut), "sd_journal_get_monotonic_usec");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        return lengthOut.get(JAVA_LONG, 0);
    }

    /** Restarts {@link #nextField} at the current entry's first field. */
    public void restartFields() {
        try {
            lib.restartData.h().invokeExact(journal);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Reads the current entry's next {@code FIELD=value} (no NUL terminator; binary values allowed).
     *
     * @return its length in bytes, 0 after the last field, or {@code -errno} for a field libsystemd
     *     cannot read (a corrupt or oversized data object): skip the rest of the entry
     */
    public int nextField() {
        try {
            int r = (int) lib.enumerateData.h().invokeExact(journal, dataOut, lengthOut);
            if (r <= 0) {
                return r;
            }
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        return (int) Math.min(Integer.MAX_VALUE, lengthOut.get(JAVA_LONG, 0));
    }

    /**
     * The whole address space, to copy from the addresses libsystemd hands out: one segment made
     * once, where a segment per field ({@code reinterpret}, a restricted call that checks its
     * caller) cost a fifth of a field's Java time under C1, the daemon's only compiler.
     */
    private static final MemorySegment EVERYWHERE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Copies the first {@code length} bytes of the field {@link #nextField} just read into {@code dst}. */
    public void copyField(byte[] dst, int length) {
        long address = ADDRESS.byteSize() == 8 ? dataOut.get(JAVA_LONG, 0) : dataOut.get(JAVA_INT, 0) & 0xFFFF_FFFFL;
        MemorySegment.copy(EVERYWHERE, JAVA_BYTE, address, dst, 0, length);
    }

    /** The inotify descriptor libsystemd waits on (for callers that poll several sources). */
    public int fileDescriptor() throws IOException {
        try {
            return check((int) lib.getFd.h().invokeExact(journal), "sd_journal_get_fd");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** sys/eventfd.h and poll.h (Linux, every architecture). */
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;
    private static final short POLLIN = 0x1;
    /** struct pollfd: int fd, short events, short revents. */
    private static final long POLLFD_SIZE = 8;

    private boolean firstWaitDone;
    private MemorySegment pollFds;
    private MemorySegment timeoutOut;

    /**
     * A descriptor {@link #await(long, int)} can be woken through from another thread ({@link
     * #wake}): an eventfd, closed with {@link #closeWaker}.
     */
    public int newWaker() throws IOException {
        int fd;
        try {
            fd = (int) lib.eventfd.h().invokeExact(0, EFD_CLOEXEC | EFD_NONBLOCK);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (fd < 0) {
            throw new IOException("eventfd failed (out of file descriptors?)"); // libc: -1 and errno
        }
        return fd;
    }

    /** Makes a waiting {@link #await(long, int)} on {@code waker} return, and every later one. */
    public void wake(int waker) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment one = call.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            long ignored = (long) lib.write.h().invokeExact(waker, one, 8L);
            // the counter only saturates after 2^64-2 wakes: a failed write changes nothing
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public void closeWaker(int waker) {
        try {
            int ignored = (int) lib.closeFd.h().invokeExact(waker);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * As {@link #await(long)}, but also returns ({@link LibSystemd#SD_JOURNAL_NOP}) as soon as
     * {@code waker} is woken: sd_journal_wait's own wait (sd-journal.c: its descriptor, its events
     * and its timeout, then sd_journal_process) with {@code poll(2)} on both descriptors. The first
     * wait is sd_journal_wait itself, which sets the inotify watch up and returns at once.
     */
    public int await(long timeoutMicros, int waker) throws IOException {
        if (!firstWaitDone) {
            firstWaitDone = true;
            return await(timeoutMicros);
        }
        try {
            if (pollFds == null) {
                pollFds = arena.allocate(2 * POLLFD_SIZE, 4);
                timeoutOut = arena.allocate(JAVA_LONG);
            }
            int fd = fileDescriptor();
            int events = check((int) lib.getEvents.h().invokeExact(journal), "sd_journal_get_events");
            check((int) lib.getTimeout.h().invokeExact(journal, timeoutOut), "sd_journal_get_timeout");
            long until = timeoutOut.get(JAVA_LONG, 0); // CLOCK_MONOTONIC µs, or UINT64_MAX (-1): none
            long micros = timeoutMicros;
            if (until != -1L) {
                micros = Math.min(micros, Math.max(0, until - System.nanoTime() / 1000));
            }
            pollFds.set(JAVA_INT, 0, fd);
            pollFds.set(JAVA_SHORT, 4, (short) events);
            pollFds.set(JAVA_SHORT, 6, (short) 0);
            pollFds.set(JAVA_INT, POLLFD_SIZE, waker);
            pollFds.set(JAVA_SHORT, POLLFD_SIZE + 4, POLLIN);
            pollFds.set(JAVA_SHORT, POLLFD_SIZE + 6, (short) 0);
            int millis = (int) Math.min(Integer.MAX_VALUE, (micros + 999) / 1000);
            int r = (int) lib.poll.h().invokeExact(pollFds, 2L, millis);
            if (r > 0 && (pollFds.get(JAVA_SHORT, POLLFD_SIZE + 6) & POLLIN) != 0) {
                return LibSystemd.SD_JOURNAL_NOP; // woken: the caller stops waiting
            }
            // r < 0 (EINTR): as sd_journal_wait after a wake-up, process what there is
            return check((int) lib.process.h().invokeExact(journal), "sd_journal_process");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Blocks until the journal changes or {@code timeoutMicros} pass, then processes the change.
     *
     * @return {@link LibSystemd#SD_JOURNAL_NOP}, {@code _APPEND} or {@code _INVALIDATE} (files added,
     *     removed or rotated)
     */
    public int await(long timeoutMicros) throws IOException {
        try {
            return check((int) lib.await.h().invokeExact(journal, timeoutMicros), "sd_journal_wait");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lib.close.h().invokeExact(journal);
        } catch (Throwable t) {
            throw new AssertionError(t);
        } finally {
            arena.close();
        }
    }

    private static int check(int r, String what) throws IOException {
        if (r < 0) {
            throw new IOException(what + " failed: " + Errno.describe(-r));
        }
        return r;
    }
}
