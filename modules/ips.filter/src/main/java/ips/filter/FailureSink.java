package ips.filter;

/** Receives the failures a {@link FilterMatcher} finds, on the matcher's thread. */
@FunctionalInterface
public interface FailureSink {
    /**
     * One failure element of a line, in fail2ban's order. {@code lineNo} is the matcher's count of
     * processed lines (1-based).
     */
    void accept(long lineNo, FilterFailure failure);
}
