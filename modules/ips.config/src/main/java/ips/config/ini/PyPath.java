package ips.config.ini;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code os.path} on strings, as fail2ban uses it: include lists compare paths as strings, so we
 * keep them as strings too and touch the file system only to test and read.
 */
public final class PyPath {
    private PyPath() {}

    public static boolean isAbs(String p) {
        return p.startsWith("/");
    }

    /** {@code os.path.join(a, b)} for two parts. */
    public static String join(String a, String b) {
        if (isAbs(b)) {
            return b;
        }
        if (a.isEmpty() || a.endsWith("/")) {
            return a + b;
        }
        return a + "/" + b;
    }

    /** {@code os.path.dirname}. */
    public static String dirname(String p) {
        int i = p.lastIndexOf('/') + 1;
        String head = p.substring(0, i);
        if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
            int e = head.length();
            while (e > 0 && head.charAt(e - 1) == '/') {
                e--;
            }
            head = head.substring(0, e);
        }
        return head;
    }

    /** {@code os.path.basename}. */
    public static String basename(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** {@code os.path.splitext(p)[0]}. */
    public static String stripExt(String p) {
        int sep = p.lastIndexOf('/');
        int dot = p.lastIndexOf('.');
        if (dot > sep) {
            int f = sep + 1;
            while (f < dot) {
                if (p.charAt(f) != '.') {
                    return p.substring(0, dot);
                }
                f++;
            }
        }
        return p;
    }

    public static boolean exists(String p) {
        return Files.exists(Path.of(p));
    }

    public static boolean isFile(String p) {
        return Files.isRegularFile(Path.of(p));
    }

    /** {@code sorted(glob.glob(dir + "/*" + suffix))}: hidden names are skipped, as glob does. */
    public static List<String> globSuffix(String dir, String suffix) {
        List<String> out = new ArrayList<>();
        Path d = Path.of(dir);
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
            for (Path e : ds) {
                String n = e.getFileName().toString();
                if (!n.startsWith(".") && n.endsWith(suffix)) {
                    out.add(dir + "/" + n);
                }
            }
        } catch (IOException unreadable) {
            return out;
        }
        Collections.sort(out);
        return out;
    }
}
