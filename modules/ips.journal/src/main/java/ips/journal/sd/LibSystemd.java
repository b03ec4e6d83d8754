package ips.journal.sd;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.NoSuchElementException;

/**
 * The sd-journal functions of {@code libsystemd.so.0}, looked up by name when first asked for.
 * Nothing here runs in a static initializer: where the library is missing (FreeBSD, minimal images)
 * {@link #load} returns the reason instead of throwing.
 */
public final class LibSystemd {

    /** The soname every systemd since 209 ships. */
    public static final String DEFAULT_NAME = "libsystemd.so.0";

    // sd-journal.h: flags of sd_journal_open
    static final int SD_JOURNAL_LOCAL_ONLY = 1;
    static final int SD_JOURNAL_SYSTEM = 4;

    // sd-journal.h: results of sd_journal_process / sd_journal_wait
    public static final int SD_JOURNAL_NOP = 0;
    public static final int SD_JOURNAL_APPEND = 1;
    public static final int SD_JOURNAL_INVALIDATE = 2;

    private static final Linker LINKER = Linker.nativeLinker();
    /** Short, non-blocking calls on the per-entry path: no thread-state transition. */
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    final String name;
    // int sd_journal_open(sd_journal **ret, int flags)
    final Fn open;
    // int sd_journal_open_directory(sd_journal **ret, const char *path, int flags)
    final Fn openDirectory;
    // int sd_journal_open_files(sd_journal **ret, const char **paths, int flags)
    final Fn openFiles;
    // void sd_journal_close(sd_journal *j)
    final Fn close;
    // int sd_journal_add_match(sd_journal *j, const void *data, size_t size)
    final Fn addMatch;
    // int sd_journal_add_disjunction(sd_journal *j)
    final Fn addDisjunction;
    // int sd_journal_next(sd_journal *j)
    final Fn next;
    // int sd_journal_previous(sd_journal *j)
    final Fn previous;
    // int sd_journal_seek_head(sd_journal *j)
    final Fn seekHead;
    // int sd_journal_seek_tail(sd_journal *j)
    final Fn seekTail;
    // int sd_journal_seek_cursor(sd_journal *j, const char *cursor)
    final Fn seekCursor;
    // int sd_journal_seek_realtime_usec(sd_journal *j, uint64_t usec)
    final Fn seekRealtime;
    // int sd_journal_test_cursor(sd_journal *j, const char *cursor)
    final Fn testCursor;
    // int sd_journal_get_cursor(sd_journal *j, char **cursor)  (malloc'd: free() it)
    final Fn getCursor;
    // int sd_journal_get_realtime_usec(sd_journal *j, uint64_t *ret)
    final Fn getRealtimeUsec;
    // int sd_journal_get_monotonic_usec(sd_journal *j, uint64_t *ret, sd_id128_t *ret_boot_id)
    final Fn getMonotonicUsec;
    // void sd_journal_restart_data(sd_journal *j)
    final Fn restartData;
    // int sd_journal_enumerate_data(sd_journal *j, const void **data, size_t *length)
    final Fn enumerateData;
    // int sd_journal_get_fd(sd_journal *j)
    final Fn getFd;
    // int sd_journal_wait(sd_journal *j, uint64_t timeout_usec)
    final Fn await;
    // void free(void *ptr)  (libc)
    final Fn free;
    // int sd_journal_get_events(sd_journal *j)
    final Fn getEvents;
    // int sd_journal_get_timeout(sd_journal *j, uint64_t *timeout_usec)
    final Fn getTimeout;
    // int sd_journal_process(sd_journal *j)
    final Fn process;
    // int poll(struct pollfd *fds, nfds_t nfds, int timeout)  (libc)
    final Fn poll;
    // int eventfd(unsigned int initval, int flags)  (libc)
    final Fn eventfd;
    // ssize_t write(int fd, const void *buf, size_t count)  (libc)
    final Fn write;
    // int close(int fd)  (libc)
    final Fn closeFd;

    private LibSystemd(String name, SymbolLookup lib) {
        this.name = name;
        open = new Fn(lib, "sd_journal_open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        openDirectory = new Fn(lib, "sd_journal_open_directory", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        openFiles = new Fn(lib, "sd_journal_open_files", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        close = new Fn(lib, "sd_journal_close", FunctionDescriptor.ofVoid(ADDRESS));
        addMatch = new Fn(lib, "sd_journal_add_match", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        addDisjunction = new Fn(lib, "sd_journal_add_disjunction", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        next = new Fn(lib, "sd_journal_next", FunctionDescriptor.of(JAVA_INT, ADDRESS), CRITICAL);
        previous = new Fn(lib, "sd_journal_previous", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        seekHead = new Fn(lib, "sd_journal_seek_head", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        seekTail = new Fn(lib, "sd_journal_seek_tail", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        seekCursor = new Fn(lib, "sd_journal_seek_cursor", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        seekRealtime = new Fn(lib, "sd_journal_seek_realtime_usec", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        testCursor = new Fn(lib, "sd_journal_test_cursor", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        getCursor = new Fn(lib, "sd_journal_get_cursor", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        getRealtimeUsec = new Fn(lib, "sd_journal_get_realtime_usec", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), CRITICAL);
        getMonotonicUsec = new Fn(lib, "sd_journal_get_monotonic_usec", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        restartData = new Fn(lib, "sd_journal_restart_data", FunctionDescriptor.ofVoid(ADDRESS), CRITICAL);
        enumerateData = new Fn(lib, "sd_journal_enumerate_data", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), CRITICAL);
        getFd = new Fn(lib, "sd_journal_get_fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        await = new Fn(lib, "sd_journal_wait", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        free = new Fn(LINKER.defaultLookup(), "free", FunctionDescriptor.ofVoid(ADDRESS), CRITICAL);
        getEvents = new Fn(lib, "sd_journal_get_events", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getTimeout = new Fn(lib, "sd_journal_get_timeout", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        process = new Fn(lib, "sd_journal_process", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        SymbolLookup libc = LINKER.defaultLookup();
        poll = new Fn(libc, "poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        eventfd = new Fn(libc, "eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        write = new Fn(libc, "write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        closeFd = new Fn(libc, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** The library, or why it cannot be used; exactly one of the two is non-null. */
    public record Loaded(LibSystemd library, String unavailableReason) {}

    /** Looks {@code name} up with the dynamic linker; never throws. */
    public static Loaded load(String name) {
        try {
            SymbolLookup lookup = SymbolLookup.libraryLookup(name, Arena.global());
            return new Loaded(new LibSystemd(name, lookup), null);
        } catch (IllegalArgumentException e) {
            return new Loaded(null, name + " not found (systemd journal support needs libsystemd): " + e.getMessage());
        } catch (NoSuchElementException e) {
            return new Loaded(null, name + " lacks a needed sd-journal function: " + e.getMessage());
        } catch (IllegalCallerException e) {
            return new Loaded(null, "native access is not enabled for module ips.journal (--enable-native-access=ips.journal)");
        }
    }

    /**
     * One function: its symbol is looked up when the library is loaded (a missing one fails {@link
     * #load}), its downcall linked on the first call. Linking a new signature generates classes
     * at run time (the AOT cache cannot hold them); the per-entry calls are first made after
     * READY=1, so a journal jail's start no longer waits for their linking.
     */
    static final class Fn {
        private final MemorySegment address;
        private final FunctionDescriptor descriptor;
        private final Linker.Option[] options;
        private volatile MethodHandle handle;

        Fn(SymbolLookup lib, String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
            this.address = lib.find(symbol).orElseThrow(() -> new NoSuchElementException(symbol));
            this.descriptor = descriptor;
            this.options = options;
        }

        /** The downcall, linked on first use (two threads may both link it; either result is fine). */
        MethodHandle h() {
            MethodHandle m = handle;
            if (m == null) {
                m = LINKER.downcallHandle(address, descriptor, options);
                handle = m;
            }
            return m;
        }
    }
}
