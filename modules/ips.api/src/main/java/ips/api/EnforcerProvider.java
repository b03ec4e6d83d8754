package ips.api;

/**
 * Service-provider interface for enforcers, found with {@link java.util.ServiceLoader}. The
 * runtime image decides which providers exist (jlink links the backends of one platform).
 */
public interface EnforcerProvider {

    /** The backend's name, as chosen in configuration ({@code nftables}, {@code pf}). */
    String name();

    /** Why this backend cannot run here, or {@code null} when it can (for example, wrong OS). */
    String unavailableReason();

    /** Opens the backend. It does not create anything in the firewall until {@code scaffold}. */
    Enforcer open(EnforcerSettings settings) throws EnforcerException;
}
