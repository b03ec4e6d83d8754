package ips.app.ops;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * Routes every module's {@link System.Logger} to the daemon's {@link EventLog}, so all of
 * Portcullis writes one format (fail2ban's) to one place. Registered as the
 * {@code System.LoggerFinder} service of the image.
 */
public final class EventLoggerFinder extends System.LoggerFinder {
    private static volatile EventLog target = EventLog.stderr();
    private static volatile System.Logger.Level threshold = System.Logger.Level.INFO;

    /** Where log records go from now on (the daemon calls this once it knows its logtarget). */
    public static void use(EventLog log, boolean debug) {
        target = log;
        threshold = debug ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new Forwarder(name, null);
    }

    /** A logger named {@code name} that writes to {@code log} alone, whatever {@link #use} says. */
    public static System.Logger loggerTo(EventLog log, String name) {
        return new Forwarder(name, log);
    }

    /** @param fixed the log it writes to, or null for the daemon's ({@link #use}) */
    private record Forwarder(String name, EventLog fixed) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && level.getSeverity() >= threshold.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (!isLoggable(level)) {
                return;
            }
            String text = thrown == null ? msg : msg + ": " + thrown;
            write(level, text);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (!isLoggable(level)) {
                return;
            }
            write(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params));
        }

        private void write(Level level, String text) {
            EventLog log = fixed != null ? fixed : target;
            switch (level) {
                case ERROR -> log.error(name, text);
                case WARNING -> log.warning(name, text);
                case DEBUG, TRACE -> log.debug(name, text);
                // fail2ban logs bans and unbans at NOTICE; System.Logger has no such level
                default -> {
                    // the observer's "Increase Ban" is NOTICE, its "Found ..., bad" INFO
                    if (name.equals("fail2ban.actions") || name.equals("fail2ban.observer") && text.contains("] Increase Ban ")) {
                        log.action(name, text);
                    } else {
                        log.info(name, text);
                    }
                }
            }
        }
    }
}
