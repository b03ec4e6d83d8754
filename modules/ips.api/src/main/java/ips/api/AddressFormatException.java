package ips.api;

/**
 * Text that is not a valid address or prefix. Checked on purpose: addresses come from attackers'
 * log lines, and callers must decide what a bad one means. The message names the input and the
 * reason.
 */
public final class AddressFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String input;

    public AddressFormatException(CharSequence input, String reason) {
        super("invalid address '" + abbreviate(input) + "': " + reason, null, false, false);
        this.input = input == null ? "" : abbreviate(input);
    }

    /** The offending text, cut to 80 characters. */
    public String input() {
        return input;
    }

    private static String abbreviate(CharSequence s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 80 ? s.toString() : s.subSequence(0, 77) + "...";
    }
}
