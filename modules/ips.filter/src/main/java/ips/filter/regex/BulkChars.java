package ips.filter.regex;

/**
 * A character sequence whose characters can be copied out in one call, rather than one {@code
 * charAt} at a time (an interface call per character in the tester's C1-compiled code).
 */
public interface BulkChars extends CharSequence {
    /** Copies {@code [from, to)} into {@code dst} at {@code at}. */
    void getChars(int from, int to, char[] dst, int at);
}
