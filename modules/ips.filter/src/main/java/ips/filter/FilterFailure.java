package ips.filter;

import ips.api.IpAddress;
import java.util.Map;

/**
 * One element of fail2ban's {@code processLine} result: {@code [failRegexIndex, fid, date, fail]}.
 *
 * @param regex index of the failregex that matched
 * @param fid the failure id as fail2ban prints it (an address in canonical form, or the raw
 *     {@code <F-ID>}/{@code dns} text), or null for a pending multi-line failure without id
 * @param address the address to ban, or null when the id is not an address
 * @param timeMillis the failure's time, or {@link #NO_TIME}
 * @param nofail fail2ban's {@code nofail} (a helper match that is not a failure)
 * @param fields fail2ban's failure dict: every named group ({@code ip4}, {@code user}, …, null when
 *     it did not participate), {@code matches} (list of {@link LogTuple}), {@code users} (set) …
 */
public record FilterFailure(int regex, String fid, IpAddress address, long timeMillis, boolean nofail,
        Map<String, Object> fields) {
    public static final long NO_TIME = Long.MIN_VALUE;

    /**
     * The failure as the engine counts it, or null when fail2ban would not count it (nofail, or no
     * id yet). A failure without a time gets {@code nowMillis}.
     */
    public ips.api.Failure toFailure(String jail, long nowMillis) {
        if (!isFailure()) {
            return null;
        }
        return new ips.api.Failure(jail, fid, address, timeMillis == NO_TIME ? nowMillis : timeMillis);
    }

    /** fail2ban counts this: not nofail and has an id. */
    public boolean isFailure() {
        return !nofail && fid != null;
    }
}
