package ips.app;

import ips.api.IpAddress;
import ips.api.IpPrefix;
import java.io.PrintStream;

/**
 * The work the image's AOT cache is trained on at build time ({@code portcullis train}, not for
 * operators): the classes a start loads and links, so that a real start finds them ready.
 */
final class Training {
    private Training() {}

    static int run(PrintStream out) {
        out.println("portcullis " + Version.VERSION);
        out.println(IpAddress.tryParse("192.0.2.1") + " " + IpAddress.tryParse("2001:db8::1") + " "
                + IpPrefix.tryParse("198.51.100.0/24"));
        return 0;
    }
}
