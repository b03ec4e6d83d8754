package ips.engine;

import ips.api.IpPrefix;
import java.util.List;

/** A jail's counters, with fail2ban-client's labels in {@link #format()}. */
public record JailStatus(String jail, int currentlyFailed, long totalFailed, int currentlyBanned, long totalBanned,
                         List<IpPrefix> bannedList) {

    /** The text {@code fail2ban-client status <jail>} prints (without the file list). */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("Status for the jail: ").append(jail).append('\n');
        sb.append("|- Filter\n");
        sb.append("|  |- Currently failed:\t").append(currentlyFailed).append('\n');
        sb.append("|  `- Total failed:\t").append(totalFailed).append('\n');
        sb.append("`- Actions\n");
        sb.append("   |- Currently banned:\t").append(currentlyBanned).append('\n');
        sb.append("   |- Total banned:\t").append(totalBanned).append('\n');
        sb.append("   `- Banned IP list:\t");
        for (int i = 0; i < bannedList.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(bannedList.get(i));
        }
        return sb.append('\n').toString();
    }
}
