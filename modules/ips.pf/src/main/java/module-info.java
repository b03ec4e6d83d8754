/**
 * The FreeBSD PF enforcer: bans are addresses in PF tables, written with {@code ioctl(2)} on
 * {@code /dev/pf} through the FFM API (never {@code pfctl}). Found by {@link java.util.ServiceLoader}
 * as the {@code pf} backend; exports nothing.
 */
module ips.pf {
    requires ips.api;

    provides ips.api.EnforcerProvider with ips.pf.PfEnforcerProvider;
}
