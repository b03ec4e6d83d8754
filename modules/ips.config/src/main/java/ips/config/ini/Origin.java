package ips.config.ini;

/** Where an option was written: file and 1-based line. */
public record Origin(String file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
