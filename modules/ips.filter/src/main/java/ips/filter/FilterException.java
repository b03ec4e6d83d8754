package ips.filter;

/** A filter that cannot be compiled: the message names the regex and what is wrong with it. */
public final class FilterException extends Exception {
    private static final long serialVersionUID = 1L;

    public FilterException(String message) {
        super(message);
    }

    public FilterException(String message, Throwable cause) {
        super(message, cause);
    }
}
