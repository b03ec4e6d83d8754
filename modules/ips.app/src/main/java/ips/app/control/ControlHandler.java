package ips.app.control;

import java.util.List;

/** Answers one control request; called on the client's own (virtual) thread. */
@FunctionalInterface
public interface ControlHandler {
    ControlReply handle(List<String> args);
}
