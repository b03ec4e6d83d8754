package ips.app.control;

/** A reply to a control request: success or failure, and a body of text. */
public record ControlReply(boolean ok, String body) {
    public static ControlReply ok(String body) {
        return new ControlReply(true, body);
    }

    public static ControlReply error(String message) {
        return new ControlReply(false, message);
    }
}
