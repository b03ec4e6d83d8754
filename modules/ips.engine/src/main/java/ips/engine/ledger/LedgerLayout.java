package ips.engine.ledger;

/**
 * The ledger file's layout. A file is an 8-byte header, then records back to back. All integers
 * are little-endian.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                     record length (bytes)                     |  0
 * +---------------------------------------------------------------+
 * |             CRC32C of bytes [8, record length)                |  4
 * +---------------+---------------+---------------+---------------+
 * |     type      |    family     | prefix length |   reserved    |  8
 * +---------------+---------------+---------------+---------------+
 * |                 time of ban (epoch ms, 64 bits)               | 12
 * +---------------------------------------------------------------+
 * |  expiry (BAN: epoch ms or Long.MAX_VALUE; UNBAN: when lifted)  | 20
 * +---------------------------------------------------------------+
 * |                  ban count (this ban included)                | 28
 * +---------------------------------------------------------------+
 * |              address bits 127..64 (IPv4: 0)                   | 32
 * +---------------------------------------------------------------+
 * |              address bits 63..0 (IPv4: low 32)                | 40
 * +-------------------------------+-------------------------------+
 * |     jail name length (u16)    |  jail name, UTF-8 ...          | 48
 * +-------------------------------+-------------------------------+
 * </pre>
 */
final class LedgerLayout {
    private LedgerLayout() {}

    /** File header: "PCLEDGR" + format version 1. */
    static final long MAGIC = 0x0152_4744_454C_4350L; // bytes "PCLEDGR\1" read little-endian
    static final int FILE_HEADER_LENGTH = 8;

    static final int LENGTH_OFFSET = 0;
    static final int CRC_OFFSET = LENGTH_OFFSET + 4;
    static final int TYPE_OFFSET = CRC_OFFSET + 4;
    static final int FAMILY_OFFSET = TYPE_OFFSET + 1;
    static final int PREFIX_LENGTH_OFFSET = FAMILY_OFFSET + 1;
    static final int RESERVED_OFFSET = PREFIX_LENGTH_OFFSET + 1;
    static final int TIME_OFFSET = RESERVED_OFFSET + 1;
    static final int EXPIRY_OFFSET = TIME_OFFSET + 8;
    static final int COUNT_OFFSET = EXPIRY_OFFSET + 8;
    static final int ADDRESS_HI_OFFSET = COUNT_OFFSET + 4;
    static final int ADDRESS_LO_OFFSET = ADDRESS_HI_OFFSET + 8;
    static final int JAIL_LENGTH_OFFSET = ADDRESS_LO_OFFSET + 8;
    static final int JAIL_OFFSET = JAIL_LENGTH_OFFSET + 2;
    /** A record without its jail name. */
    static final int FIXED_LENGTH = JAIL_OFFSET;
    /** Longest jail name in bytes (JailRule allows 200 characters; UTF-8 takes up to 3 bytes each). */
    static final int MAX_JAIL_BYTES = 600;
    static final int MAX_RECORD_LENGTH = FIXED_LENGTH + MAX_JAIL_BYTES;

    /** A ban: the target is banned until the expiry. */
    static final byte TYPE_BAN = 1;
    /** An unban before the expiry (manual, or by tick for enforcers without timeouts). */
    static final byte TYPE_UNBAN = 2;
    /** History only (written by compaction): ban count and time of the last ban, no live ban. */
    static final byte TYPE_HISTORY = 3;

    static final byte FAMILY_IPV4 = 4;
    static final byte FAMILY_IPV6 = 6;
}
