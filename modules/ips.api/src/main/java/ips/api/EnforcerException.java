package ips.api;

/**
 * A firewall operation failed. The message names the operation and the cause ({@code errno} name
 * and the kernel's extended-ack text when there is one).
 */
public class EnforcerException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String operation;
    private final int errno;

    public EnforcerException(String operation, int errno, String message) {
        super(operation + ": " + message);
        this.operation = operation;
        this.errno = errno;
    }

    public EnforcerException(String operation, String message, Throwable cause) {
        super(operation + ": " + message, cause);
        this.operation = operation;
        this.errno = 0;
    }

    /** What was being done, such as {@code "ban 3 elements in jail sshd"}. */
    public String operation() {
        return operation;
    }

    /** The positive errno, or 0 when the failure was not a system error. */
    public int errno() {
        return errno;
    }
}
