package ips.logfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Recognises a file by its first bytes, as fail2ban's database does with the hash of the first
 * line: a rotated or re-created file starts differently from the one it replaces, whatever its
 * inode. A fingerprint covers the first {@code length} bytes (at most {@link #HEAD_BYTES}); length
 * 0 matches every file. One instance per source: it reuses its buffer and checksum.
 */
final class HeadFingerprint {
    /** Bytes of the head that are fingerprinted: a few lines, each with its own timestamp. */
    static final int HEAD_BYTES = 4096;

    private final ByteBuffer head = ByteBuffer.allocate(HEAD_BYTES);
    private final CRC32C crc = new CRC32C();

    /**
     * The checksum of the channel's first {@code length} bytes, or -1 when the file is shorter.
     * Checksums are 32-bit, so -1 is never one.
     */
    long checksum(FileChannel channel, int length) throws IOException {
        if (length < 0 || length > HEAD_BYTES) {
            throw new IllegalArgumentException("head length " + length + " not in 0.." + HEAD_BYTES);
        }
        head.clear().limit(length);
        while (head.hasRemaining()) {
            if (channel.read(head, head.position()) <= 0) {
                return -1;
            }
        }
        head.flip();
        crc.reset();
        crc.update(head);
        return crc.getValue();
    }

    boolean matches(FileChannel channel, int length, long checksum) throws IOException {
        return length == 0 || checksum(channel, length) == checksum;
    }
}
