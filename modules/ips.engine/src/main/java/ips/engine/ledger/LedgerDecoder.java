package ips.engine.ledger;

import static ips.engine.ledger.LedgerLayout.*;

import ips.api.IpAddress;
import ips.api.IpPrefix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Reads ledger bytes record by record and stops at the first one that is torn or corrupt. Total:
 * no input makes it throw; what it did not accept is reported as a reason and an offset to
 * truncate to.
 */
public final class LedgerDecoder {
    /** Receives each good record in file order. */
    public interface Visitor {
        void record(byte type, String jail, IpPrefix target, long timeOfBan, long expiry, int banCount);
    }

    /** What decoding found: where the good prefix ends, and why it stopped there (null: clean end). */
    public record Result(int records, long goodLength, long totalLength, String stopReason) {
        public boolean clean() {
            return stopReason == null;
        }
    }

    private LedgerDecoder() {}

    /** Decodes a whole ledger file's bytes, header included. */
    public static Result decode(ByteBuffer file, Visitor visitor) {
        ByteBuffer b = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = b.position();
        int limit = b.limit();
        long total = limit - base;
        if (total == 0) {
            return new Result(0, 0, 0, null);
        }
        if (total < FILE_HEADER_LENGTH || b.getLong(base) != MAGIC) {
            return new Result(0, 0, total, "no ledger header (not a Portcullis ledger, or torn at creation)");
        }
        CRC32C crc = new CRC32C();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int at = base + FILE_HEADER_LENGTH;
        int records = 0;
        while (at < limit) {
            String why = check(b, at, limit, crc);
            if (why != null) {
                return new Result(records, at - base, total, why + " at offset " + (at - base));
            }
            int length = b.getInt(at + LENGTH_OFFSET);
            byte type = b.get(at + TYPE_OFFSET);
            byte family = b.get(at + FAMILY_OFFSET);
            int prefixLength = b.get(at + PREFIX_LENGTH_OFFSET) & 0xFF;
            long hi = b.getLong(at + ADDRESS_HI_OFFSET);
            long lo = b.getLong(at + ADDRESS_LO_OFFSET);
            IpPrefix target = prefix(family, prefixLength, hi, lo);
            if (target == null) {
                return new Result(records, at - base, total, "invalid address in record at offset " + (at - base));
            }
            int jailLength = b.getShort(at + JAIL_LENGTH_OFFSET) & 0xFFFF;
            String jail;
            try {
                jail = utf8.reset().decode(b.slice(at + JAIL_OFFSET, jailLength)).toString();
            } catch (CharacterCodingException e) {
                return new Result(records, at - base, total, "jail name is not UTF-8 in record at offset " + (at - base));
            }
            visitor.record(type, jail, target, b.getLong(at + TIME_OFFSET), b.getLong(at + EXPIRY_OFFSET),
                    b.getInt(at + COUNT_OFFSET));
            records++;
            at += length;
        }
        return new Result(records, at - base, total, null);
    }

    private static String check(ByteBuffer b, int at, int limit, CRC32C crc) {
        if (limit - at < FIXED_LENGTH) {
            return "torn record (" + (limit - at) + " bytes, shorter than a record header)";
        }
        int length = b.getInt(at + LENGTH_OFFSET);
        if (length < FIXED_LENGTH + 1 || length > MAX_RECORD_LENGTH) {
            return "impossible record length " + length;
        }
        if (length > limit - at) {
            return "torn record (" + (limit - at) + " of " + length + " bytes)";
        }
        crc.reset();
        crc.update(b.slice(at + TYPE_OFFSET, length - TYPE_OFFSET));
        if ((int) crc.getValue() != b.getInt(at + CRC_OFFSET)) {
            return "checksum mismatch";
        }
        byte type = b.get(at + TYPE_OFFSET);
        if (type != TYPE_BAN && type != TYPE_UNBAN && type != TYPE_HISTORY) {
            return "unknown record type " + type;
        }
        int jailLength = b.getShort(at + JAIL_LENGTH_OFFSET) & 0xFFFF;
        if (jailLength != length - FIXED_LENGTH) {
            return "jail name length " + jailLength + " disagrees with record length " + length;
        }
        return null;
    }

    private static IpPrefix prefix(byte family, int length, long hi, long lo) {
        IpAddress a;
        if (family == FAMILY_IPV4) {
            if (hi != 0 || (lo >>> 32) != 0 || length > 32) {
                return null;
            }
            a = IpAddress.ofIpv4((int) lo);
        } else if (family == FAMILY_IPV6) {
            if (length > 128) {
                return null;
            }
            a = IpAddress.ofIpv6(hi, lo);
            if (a.isIpv4()) {
                return null;
            }
        } else {
            return null;
        }
        if (!a.mask(length).equals(a)) {
            return null;
        }
        return new IpPrefix(a, length);
    }

}
