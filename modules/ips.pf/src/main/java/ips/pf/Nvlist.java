package ips.pf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A FreeBSD name/value list ({@code nv(9)}) in libnv's packed form, as {@code sys/contrib/libnv}
 * writes and reads it. Host byte order; every header is {@code __packed}:
 *
 * <pre>
 * nvlist_header (19): u8 magic 0x6c 'l' | u8 version 0 | u8 flags (0x80 big endian)
 *                     | u64 descriptors | u64 size = bytes left in the whole buffer after it
 * nvpair_header (19): u8 type | u16 namesize (with NUL) | u64 datasize | u64 nitems
 * then the name with its NUL, then the data:
 *   BOOL 1 byte (0/1) | NUMBER u64 | STRING bytes + NUL | BINARY bytes | NUMBER_ARRAY u64 x nitems
 *   NVLIST: datasize = packed size of the child (its header + pairs, without its closing pair);
 *           the child's header and pairs follow, closed by an NVLIST_UP pair (type 255, name "").
 * </pre>
 *
 * Only what pf's nvlist ioctls need is here: no descriptors, no arrays of strings or lists.
 */
final class Nvlist {
    /** nvlist_impl.h: {@code NVLIST_HEADER_MAGIC}. */
    static final int NVLIST_HEADER_MAGIC = 0x6c;
    /** nvlist_impl.h: {@code NVLIST_HEADER_VERSION}. */
    static final int NVLIST_HEADER_VERSION = 0;
    /** nv_impl.h: {@code NV_FLAG_BIG_ENDIAN}. */
    static final int NV_FLAG_BIG_ENDIAN = 0x80;
    /** nvlist_impl.h / nvpair_impl.h: {@code sizeof(struct nvlist_header)}. */
    static final int HEADER_SIZE = 19;
    /** bsd_nvpair.c: {@code sizeof(struct nvpair_header)}. */
    static final int PAIR_HEADER_SIZE = 19;
    /** nv.h: {@code NV_NAME_MAX}. */
    static final int NV_NAME_MAX = 2048;

    /** nv.h: {@code NV_TYPE_BOOL}. */
    static final int NV_TYPE_BOOL = 2;
    /** nv.h: {@code NV_TYPE_NUMBER}. */
    static final int NV_TYPE_NUMBER = 3;
    /** nv.h: {@code NV_TYPE_STRING}. */
    static final int NV_TYPE_STRING = 4;
    /** nv.h: {@code NV_TYPE_NVLIST}. */
    static final int NV_TYPE_NVLIST = 5;
    /** nv.h: {@code NV_TYPE_BINARY}. */
    static final int NV_TYPE_BINARY = 7;
    /** nv.h: {@code NV_TYPE_NUMBER_ARRAY}. */
    static final int NV_TYPE_NUMBER_ARRAY = 9;
    /** nv_impl.h: {@code NV_TYPE_NVLIST_UP}, closes a nested list. */
    static final int NV_TYPE_NVLIST_UP = 255;

    /** One pair: a name, a type and the value (Boolean, Long, String, byte[], long[] or Nvlist). */
    record Pair(String name, int type, Object value) {
    }

    private final List<Pair> pairs = new ArrayList<>();

    List<Pair> pairs() {
        return Collections.unmodifiableList(pairs);
    }

    Nvlist addBool(String name, boolean v) {
        return add(name, NV_TYPE_BOOL, v);
    }

    Nvlist addNumber(String name, long v) {
        return add(name, NV_TYPE_NUMBER, v);
    }

    Nvlist addString(String name, String v) {
        return add(name, NV_TYPE_STRING, v);
    }

    Nvlist addBinary(String name, byte[] v) {
        if (v.length == 0) {
            throw new IllegalArgumentException("libnv rejects an empty binary");
        }
        return add(name, NV_TYPE_BINARY, v.clone());
    }

    Nvlist addNumberArray(String name, long... v) {
        if (v.length == 0) {
            throw new IllegalArgumentException("libnv rejects an empty array");
        }
        return add(name, NV_TYPE_NUMBER_ARRAY, v.clone());
    }

    Nvlist addNvlist(String name, Nvlist v) {
        return add(name, NV_TYPE_NVLIST, v);
    }

    private Nvlist add(String name, int type, Object value) {
        if (name.isEmpty() || name.length() >= NV_NAME_MAX || find(name) != null) {
            throw new IllegalArgumentException("bad or duplicate nvlist name '" + name + "'");
        }
        pairs.add(new Pair(name, type, value));
        return this;
    }

    Pair find(String name) {
        for (Pair p : pairs) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The number named {@code name}, or {@code dflt} when there is none. */
    long number(String name, long dflt) {
        Pair p = find(name);
        return p != null && p.type == NV_TYPE_NUMBER ? (Long) p.value : dflt;
    }

    /** The nested list named {@code name}, or {@code null}. */
    Nvlist nvlist(String name) {
        Pair p = find(name);
        return p != null && p.type == NV_TYPE_NVLIST ? (Nvlist) p.value : null;
    }

    /** nvlist.c {@code nvlist_size()}: the packed size of this list. */
    long size() {
        return HEADER_SIZE + contentSize();
    }

    private long contentSize() {
        long size = 0;
        for (Pair p : pairs) {
            size += PAIR_HEADER_SIZE + nameSize(p.name);
            if (p.type == NV_TYPE_NVLIST) {
                size += HEADER_SIZE + PAIR_HEADER_SIZE + 1 + ((Nvlist) p.value).contentSize();
            } else {
                size += dataSize(p);
            }
        }
        return size;
    }

    private static int nameSize(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length + 1;
    }

    private static long dataSize(Pair p) {
        return switch (p.type) {
            case NV_TYPE_BOOL -> 1;
            case NV_TYPE_NUMBER -> 8;
            case NV_TYPE_STRING -> ((String) p.value).getBytes(StandardCharsets.UTF_8).length + 1;
            case NV_TYPE_BINARY -> ((byte[]) p.value).length;
            case NV_TYPE_NUMBER_ARRAY -> 8L * ((long[]) p.value).length;
            case NV_TYPE_NVLIST -> ((Nvlist) p.value).size();
            default -> throw new IllegalStateException("type " + p.type);
        };
    }

    /** nvlist.c {@code nvlist_pack()} in host byte order. */
    byte[] pack() {
        return pack(ByteOrder.nativeOrder());
    }

    byte[] pack(ByteOrder order) {
        long total = size();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalStateException("nvlist too large: " + total);
        }
        ByteBuffer b = ByteBuffer.allocate((int) total).order(order);
        int flags = order == ByteOrder.BIG_ENDIAN ? NV_FLAG_BIG_ENDIAN : 0;
        write(b, flags);
        if (b.hasRemaining()) {
            throw new IllegalStateException("nvlist size mismatch: " + b.remaining() + " bytes unused");
        }
        return b.array();
    }

    private void write(ByteBuffer b, int flags) {
        b.put((byte) NVLIST_HEADER_MAGIC).put((byte) NVLIST_HEADER_VERSION).put((byte) flags);
        b.putLong(0); // descriptors
        b.putLong(b.remaining() - 8L); // bytes left after this header
        for (Pair p : pairs) {
            byte[] name = p.name.getBytes(StandardCharsets.UTF_8);
            b.put((byte) p.type).putShort((short) (name.length + 1)).putLong(dataSize(p));
            b.putLong(p.type == NV_TYPE_NUMBER_ARRAY ? ((long[]) p.value).length : 0);
            b.put(name).put((byte) 0);
            switch (p.type) {
                case NV_TYPE_BOOL -> b.put((byte) (((Boolean) p.value) ? 1 : 0));
                case NV_TYPE_NUMBER -> b.putLong((Long) p.value);
                case NV_TYPE_STRING -> b.put(((String) p.value).getBytes(StandardCharsets.UTF_8)).put((byte) 0);
                case NV_TYPE_BINARY -> b.put((byte[]) p.value);
                case NV_TYPE_NUMBER_ARRAY -> {
                    for (long v : (long[]) p.value) {
                        b.putLong(v);
                    }
                }
                case NV_TYPE_NVLIST -> {
                    ((Nvlist) p.value).write(b, flags & NV_FLAG_BIG_ENDIAN);
                    b.put((byte) NV_TYPE_NVLIST_UP).putShort((short) 1).putLong(0).putLong(0).put((byte) 0);
                }
                default -> throw new IllegalStateException("type " + p.type);
            }
        }
    }

    /**
     * nvlist.c {@code nvlist_unpack(buf, size, 0)}, with libnv's checks: magic, flags, each
     * header's size equal to the bytes left, name lengths and NULs, data sizes per type, booleans
     * 0 or 1, balanced nesting, unique names.
     *
     * @throws IllegalArgumentException where libnv would fail (the kernel answers EBADMSG)
     */
    static Nvlist unpack(byte[] buf) {
        ByteBuffer b = ByteBuffer.wrap(buf);
        ByteOrder order = header(b, true);
        b.order(order);
        Nvlist root = new Nvlist();
        List<Nvlist> stack = new ArrayList<>();
        Nvlist current = root;
        while (b.hasRemaining()) {
            require(b.remaining() >= PAIR_HEADER_SIZE, "truncated pair header");
            int type = b.get() & 0xFF;
            int namesize = b.getShort() & 0xFFFF;
            long datasize = b.getLong();
            long nitems = b.getLong();
            require(type >= 1 && (type <= 12 || type == NV_TYPE_NVLIST_UP || type == 254), "bad type " + type);
            require(namesize >= 1 && namesize <= NV_NAME_MAX && namesize <= b.remaining(), "bad name size");
            byte[] nameBytes = new byte[namesize];
            b.get(nameBytes);
            int nul = indexOfNul(nameBytes);
            require(nul == namesize - 1, "name not NUL-terminated at its size");
            String name = new String(nameBytes, 0, namesize - 1, StandardCharsets.UTF_8);
            require(datasize >= 0 && datasize <= b.remaining(), "data size beyond buffer");
            switch (type) {
                case NV_TYPE_NVLIST_UP -> {
                    require(!stack.isEmpty(), "NVLIST_UP at top level");
                    current = stack.removeLast();
                    continue;
                }
                case NV_TYPE_BOOL -> {
                    require(datasize == 1, "bool size");
                    byte v = b.get();
                    require(v == 0 || v == 1, "bool value " + v);
                    current.add(name, type, v == 1);
                }
                case NV_TYPE_NUMBER -> {
                    require(datasize == 8, "number size");
                    current.add(name, type, b.getLong());
                }
                case NV_TYPE_STRING -> {
                    require(datasize >= 1, "empty string data");
                    byte[] s = new byte[(int) datasize];
                    b.get(s);
                    require(indexOfNul(s) == s.length - 1, "string not NUL-terminated at its size");
                    current.add(name, type, new String(s, 0, s.length - 1, StandardCharsets.UTF_8));
                }
                case NV_TYPE_BINARY -> {
                    require(datasize >= 1, "empty binary");
                    byte[] v = new byte[(int) datasize];
                    b.get(v);
                    current.add(name, type, v);
                }
                case NV_TYPE_NUMBER_ARRAY -> {
                    require(nitems > 0 && datasize == 8 * nitems, "number array size");
                    long[] v = new long[(int) nitems];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = b.getLong();
                    }
                    current.add(name, type, v);
                }
                case NV_TYPE_NVLIST -> {
                    require(datasize != 0, "nvlist data size 0");
                    Nvlist child = new Nvlist();
                    header(b, false);
                    current.add(name, type, child);
                    stack.add(current);
                    current = child;
                }
                default -> throw new IllegalArgumentException("type " + type + " not supported here");
            }
        }
        require(stack.isEmpty(), "unclosed nested nvlist");
        return root;
    }

    private static ByteOrder header(ByteBuffer b, boolean top) {
        require(b.remaining() >= HEADER_SIZE, "truncated nvlist header");
        int magic = b.get() & 0xFF;
        int version = b.get() & 0xFF;
        int flags = b.get() & 0xFF;
        require(magic == NVLIST_HEADER_MAGIC, "bad magic 0x" + Integer.toHexString(magic));
        require(version == NVLIST_HEADER_VERSION, "bad version " + version);
        require((flags & ~(NV_FLAG_BIG_ENDIAN | 0x03)) == 0, "bad flags 0x" + Integer.toHexString(flags));
        ByteOrder order = (flags & NV_FLAG_BIG_ENDIAN) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteOrder saved = b.order();
        b.order(order);
        long descriptors = b.getLong();
        long size = b.getLong();
        b.order(saved);
        require(descriptors == 0, "descriptors in a kernel nvlist");
        require(size == b.remaining(), "header size " + size + " but " + b.remaining() + " bytes left");
        if (top) {
            require((flags & 0x03) == 0, "flags differ from nvlist_unpack(..., 0): EILSEQ");
        }
        return order;
    }

    private static int indexOfNul(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static void require(boolean ok, String why) {
        if (!ok) {
            throw new IllegalArgumentException("malformed nvlist: " + why);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Nvlist other) || other.pairs.size() != pairs.size()) {
            return false;
        }
        for (int i = 0; i < pairs.size(); i++) {
            Pair a = pairs.get(i);
            Pair c = other.pairs.get(i);
            if (!a.name.equals(c.name) || a.type != c.type || !valueEquals(a.value, c.value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueEquals(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof long[] x && b instanceof long[] y) {
            return Arrays.equals(x, y);
        }
        return a.equals(b);
    }

    @Override
    public int hashCode() {
        return pairs.size();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Pair p : pairs) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            Object v = p.value;
            String text = v instanceof byte[] x ? Arrays.toString(x) : v instanceof long[] y ? Arrays.toString(y) : String.valueOf(v);
            sb.append(p.name).append('=').append(text);
        }
        return sb.append('}').toString();
    }
}
