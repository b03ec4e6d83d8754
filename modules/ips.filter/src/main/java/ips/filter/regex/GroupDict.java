package ips.filter.regex;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A failure's group dict (fail2ban's {@code fail} dict): a small insertion-ordered map of group
 * names to values, in two arrays searched from the front. Iteration, {@code put} of a present key
 * (the value is replaced in place) and {@code remove} behave as {@link java.util.LinkedHashMap}'s;
 * null values are allowed, null keys are not.
 *
 * <p>A dict has a dozen names or so (sshd: the prefregex's and the failregex's named groups), and
 * the names are the compiled regex's own strings or string literals, so a lookup is a few
 * reference comparisons: cheaper than hashing, and far cheaper to build than a {@code
 * LinkedHashMap} (one node per entry, a table) for every failure line, which the daemon's
 * compiler (C1) does not optimise away.
 */
public final class GroupDict extends AbstractMap<String, Object> {
    private String[] keys;
    private int[] hashes; // the keys' hash codes: a miss (most lookups of optional names) reads no key
    private Object[] vals;
    private int size;
    private int modCount;

    public GroupDict(int capacity) {
        int c = Math.max(capacity, 4);
        keys = new String[c];
        hashes = new int[c];
        vals = new Object[c];
    }

    /** A copy of {@code m}, in its iteration order. */
    public GroupDict(Map<String, ?> m) {
        this(m.size() + 4);
        m.forEach(this::put);
    }

    private int indexOf(Object key) {
        final String[] k = keys;
        final int n = size;
        for (int i = 0; i < n; i++) {
            if (k[i] == key) {
                return i;
            }
        }
        if (key instanceof String str) {
            int h = str.hashCode(); // cached in the string
            final int[] hs = hashes;
            for (int i = 0; i < n; i++) {
                if (hs[i] == h && k[i].equals(str)) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : vals[i];
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        int i = indexOf(key);
        return i < 0 ? defaultValue : vals[i];
    }

    @Override
    public Object put(String key, Object value) {
        if (key == null) {
            throw new NullPointerException("a group dict has no null key");
        }
        int i = indexOf(key);
        if (i >= 0) {
            Object old = vals[i];
            vals[i] = value;
            return old;
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
            vals = Arrays.copyOf(vals, size * 2);
        }
        keys[size] = key;
        hashes[size] = key.hashCode();
        vals[size] = value;
        size++;
        modCount++;
        return null;
    }

    @Override
    public Object remove(Object key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        Object old = vals[i];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        int tail = size - i - 1;
        System.arraycopy(keys, i + 1, keys, i, tail);
        System.arraycopy(hashes, i + 1, hashes, i, tail);
        System.arraycopy(vals, i + 1, vals, i, tail);
        size--;
        keys[size] = null;
        vals[size] = null;
        modCount++;
    }

    @Override
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(vals, 0, size, null);
        size = 0;
        modCount++;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        int mc = modCount;
        for (int i = 0; i < size; i++) {
            action.accept(keys[i], vals[i]);
            if (mc != modCount) {
                throw new ConcurrentModificationException();
            }
        }
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private int last = -1;
                    private int expected = modCount;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (expected != modCount) {
                            throw new ConcurrentModificationException();
                        }
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        last = next++;
                        return new Entry(last);
                    }

                    @Override
                    public void remove() {
                        if (last < 0) {
                            throw new IllegalStateException();
                        }
                        if (expected != modCount) {
                            throw new ConcurrentModificationException();
                        }
                        removeAt(last);
                        next = last;
                        last = -1;
                        expected = modCount;
                    }
                };
            }
        };
    }

    /** An entry that reads and writes through to its slot (as a {@code LinkedHashMap}'s does). */
    private final class Entry implements Map.Entry<String, Object> {
        private final int i;
        private final String key;

        Entry(int i) {
            this.i = i;
            this.key = keys[i];
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public Object getValue() {
            return i < size && keys[i] == key ? vals[i] : get(key);
        }

        @Override
        public Object setValue(Object value) {
            int at = i < size && keys[i] == key ? i : indexOf(key);
            if (at < 0) {
                throw new IllegalStateException("the entry was removed");
            }
            Object old = vals[at];
            vals[at] = value;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey())
                    && java.util.Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ java.util.Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return key + "=" + getValue();
        }
    }
}
