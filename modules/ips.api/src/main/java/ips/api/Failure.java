package ips.api;

/**
 * One failure a filter found: the jail, what is counted ({@code id}: the address, or fail2ban's
 * {@code <F-ID>} when the filter yields one), the address to ban (may be {@code null} when the
 * failure names only an id), and when it happened.
 */
public record Failure(String jail, String id, IpAddress address, long timeMillis) {
    public Failure {
        if (jail == null || id == null) {
            throw new IllegalArgumentException("failure needs a jail and an id");
        }
    }
}
