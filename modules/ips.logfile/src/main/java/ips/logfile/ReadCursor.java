package ips.logfile;

/**
 * Where reading of one open file goes on: the offset of the first byte not yet delivered (the
 * start of a held partial line), and whether the bytes there belong to a line already delivered
 * cut, to be skipped up to its newline.
 */
final class ReadCursor {
    long position;
    boolean skipping;

    ReadCursor(long position, boolean skipping) {
        this.position = position;
        this.skipping = skipping;
    }

    ReadCursor copy() {
        return new ReadCursor(position, skipping);
    }

    void reset() {
        position = 0;
        skipping = false;
    }
}
