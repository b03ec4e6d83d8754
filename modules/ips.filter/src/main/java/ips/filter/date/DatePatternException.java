package ips.filter.date;

import java.io.Serial;

/** A {@code datepattern} or time zone that fail2ban would reject; the message names the pattern and the reason. */
public final class DatePatternException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String pattern;

    public DatePatternException(String pattern, String reason) {
        super("invalid date pattern '" + pattern + "': " + reason);
        this.pattern = pattern;
    }

    public DatePatternException(String pattern, String reason, Throwable cause) {
        super("invalid date pattern '" + pattern + "': " + reason, cause);
        this.pattern = pattern;
    }

    /** The offending pattern (or time zone text). */
    public String pattern() {
        return pattern;
    }
}
