package ips.filter;

/** A filter that cannot be compiled: the message names the regex and what is wrong with it. */
public final class FilterException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What was refused: "prefregex", "failregex", "ignoreregex", or null for anything else. */
    private final String kind;
    /** fail2ban's RegexException text for it, or null. */
    private final String fail2banWords;

    public FilterException(String message) {
        this(message, null, null, null);
    }

    public FilterException(String message, Throwable cause) {
        this(message, cause, null, null);
    }

    private FilterException(String message, Throwable cause, String kind, String fail2banWords) {
        super(message, cause);
        this.kind = kind;
        this.fail2banWords = fail2banWords;
    }

    /**
     * A regex that does not compile: {@code held} is the regex as fail2ban holds it (tags
     * expanded), which fail2ban's message quotes.
     */
    static FilterException uncompilable(String kind, String regex, String held, String detail, Throwable cause) {
        return new FilterException("Unable to compile " + kind + " '" + regex + "': " + cause.getMessage(), cause, kind,
                "Unable to compile regular expression '" + held + "':\n" + detail);
    }

    /** A failregex with no group that names the failure (and no prefregex that has one). */
    static FilterException noFailureId(String python) {
        String words = "No failure-id group in '" + python + "'";
        return new FilterException(words, null, "failregex", words);
    }

    /** "prefregex", "failregex" or "ignoreregex" for a regex fail2ban would refuse too; null otherwise. */
    public String kind() {
        return kind;
    }

    /** fail2ban's own words for this error (fail2ban-regex prints them after "ERROR: "), or null. */
    public String fail2banWords() {
        return fail2banWords;
    }
}
