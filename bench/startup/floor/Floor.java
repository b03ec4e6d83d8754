import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;

/**
 * The least a JVM daemon of Portcullis's kind holds at idle, for bench/startup/floor.sh:
 * {@code idle} only prints READY and sleeps; {@code ffm} first does what any such daemon must:
 * links one FFM downcall and opens a netfilter netlink socket with it, watches a directory
 * (WatchService), and listens on a Unix socket. No configuration, filter, engine or ledger.
 */
public class Floor {
    public static void main(String[] args) throws Throwable {
        if (args.length > 0 && args[0].equals("ffm")) {
            Linker linker = Linker.nativeLinker();
            MethodHandle syscall = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
            long fd = (long) syscall.invokeExact(41L, 16L, 3L, 12L); // socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER), x86_64
            Path dir = Path.of(args[1]);
            WatchService watch = FileSystems.getDefault().newWatchService();
            dir.register(watch, StandardWatchEventKinds.ENTRY_MODIFY);
            Path sock = dir.resolve("floor.sock");
            Files.deleteIfExists(sock);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(sock));
            System.out.println("READY netlink fd " + fd);
        } else {
            System.out.println("READY");
        }
        Thread.sleep(Long.getLong("floor.idle.ms", 600_000L));
    }
}
