package ips.app.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Whether a user is a supplementary member of a group, from {@code /etc/group}. */
final class SupplementaryGroups {
    private SupplementaryGroups() {}

    static boolean isMember(String user, String group) {
        return isMember(Path.of("/etc/group"), user, group);
    }

    static boolean isMember(Path groupFile, String user, String group) {
        List<String> lines;
        try {
            lines = Files.readAllLines(groupFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return false;
        }
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length >= 4 && f[0].equals(group)) {
                for (String member : f[3].split(",")) {
                    if (member.strip().equals(user)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
