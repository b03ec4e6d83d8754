package ips.journal.sd;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
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
    final MethodHandle open;
    // int sd_journal_open_directory(sd_journal **ret, const char *path, int flags)
    final MethodHandle openDirectory;
    // int sd_journal_open_files(sd_journal **ret, const char **paths, int flags)
    final MethodHandle openFiles;
    // void sd_journal_close(sd_journal *j)
    final MethodHandle close;
    // int sd_journal_add_match(sd_journal *j, const void *data, size_t size)
    final MethodHandle addMatch;
    // int sd_journal_add_disjunction(sd_journal *j)
    final MethodHandle addDisjunction;
    // int sd_journal_next(sd_journal *j)
    final MethodHandle next;
    // int sd_journal_previous(sd_journal *j)
    final MethodHandle previous;
    // int sd_journal_seek_head(sd_journal *j)
    final MethodHandle seekHead;
    // int sd_journal_seek_tail(sd_journal *j)
    final MethodHandle seekTail;
    // int sd_journal_seek_cursor(sd_journal *j, const char *cursor)
    final MethodHandle seekCursor;
    // int sd_journal_seek_realtime_usec(sd_journal *j, uint64_t usec)
    final MethodHandle seekRealtime;
    // int sd_journal_test_cursor(sd_journal *j, const char *cursor)
    final MethodHandle testCursor;
    // int sd_journal_get_cursor(sd_journal *j, char **cursor)  (malloc'd: free() it)
    final MethodHandle getCursor;
    // int sd_journal_get_realtime_usec(sd_journal *j, uint64_t *ret)
    final MethodHandle getRealtimeUsec;
    // int sd_journal_get_monotonic_usec(sd_journal *j, uint64_t *ret, sd_id128_t *ret_boot_id)
    final MethodHandle getMonotonicUsec;
    // void sd_journal_restart_data(sd_journal *j)
    final MethodHandle restartData;
    // int sd_journal_enumerate_data(sd_journal *j, const void **data, size_t *length)
    final MethodHandle enumerateData;
    // int sd_journal_get_fd(sd_journal *j)
    final MethodHandle getFd;
    // int sd_journal_wait(sd_journal *j, uint64_t timeout_usec)
    final MethodHandle await;
    // void free(void *ptr)  (libc)
    final MethodHandle free;

    private LibSystemd(String name, SymbolLookup lib) {
        this.name = name;
        open = bind(lib, "sd_journal_open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        openDirectory = bind(lib, "sd_journal_open_directory", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        openFiles = bind(lib, "sd_journal_open_files", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        close = bind(lib, "sd_journal_close", FunctionDescriptor.ofVoid(ADDRESS));
        addMatch = bind(lib, "sd_journal_add_match", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        addDisjunction = bind(lib, "sd_journal_add_disjunction", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        next = bind(lib, "sd_journal_next", FunctionDescriptor.of(JAVA_INT, ADDRESS), CRITICAL);
        previous = bind(lib, "sd_journal_previous", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        seekHead = bind(lib, "sd_journal_seek_head", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        seekTail = bind(lib, "sd_journal_seek_tail", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        seekCursor = bind(lib, "sd_journal_seek_cursor", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        seekRealtime = bind(lib, "sd_journal_seek_realtime_usec", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        testCursor = bind(lib, "sd_journal_test_cursor", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        getCursor = bind(lib, "sd_journal_get_cursor", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        getRealtimeUsec = bind(lib, "sd_journal_get_realtime_usec", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), CRITICAL);
        getMonotonicUsec = bind(lib, "sd_journal_get_monotonic_usec", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        restartData = bind(lib, "sd_journal_restart_data", FunctionDescriptor.ofVoid(ADDRESS), CRITICAL);
        enumerateData = bind(lib, "sd_journal_enumerate_data", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), CRITICAL);
        getFd = bind(lib, "sd_journal_get_fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        await = bind(lib, "sd_journal_wait", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        free = bind(LINKER.defaultLookup(), "free", FunctionDescriptor.ofVoid(ADDRESS), CRITICAL);
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

    private static MethodHandle bind(SymbolLookup lib, String symbol, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(
                lib.find(symbol).orElseThrow(() -> new NoSuchElementException(symbol)), fd, options);
    }
}
