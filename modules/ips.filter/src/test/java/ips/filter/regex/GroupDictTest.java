package ips.filter.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link GroupDict} and {@link UserSet} behave as the LinkedHashMap / LinkedHashSet they replace. */
class GroupDictTest {
    private static final String[] NAMES = {"mlfid", "ip4", "ip6", "dns", "user", "fid", "nofail", "mlfgained",
        "mlfforget", "mlfpending", "users", "matches", "cidr", "alt_user1", "port", "host", "x", "content"};

    /** A key equal to a name but another String object, as a caller's parsed option would be. */
    private static String key(Random r) {
        String k = NAMES[r.nextInt(NAMES.length)];
        return r.nextBoolean() ? k : new String(k.toCharArray());
    }

    @Test
    void randomOperationsMatchLinkedHashMap() {
        Random r = new Random(20261206);
        for (int round = 0; round < 300; round++) {
            GroupDict d = new GroupDict(r.nextInt(6));
            Map<String, Object> m = new LinkedHashMap<>();
            for (int op = 0; op < 200; op++) {
                String k = key(r);
                Object v = r.nextInt(5) == 0 ? null : "v" + r.nextInt(4);
                switch (r.nextInt(9)) {
                    case 0, 1, 2 -> assertEquals(m.put(k, v), d.put(k, v));
                    case 3 -> assertEquals(m.remove(k), d.remove(k));
                    case 4 -> assertEquals(m.get(k), d.get(k));
                    case 5 -> assertEquals(m.containsKey(k), d.containsKey(k));
                    case 6 -> { // remove through the iterator
                        Iterator<Map.Entry<String, Object>> a = m.entrySet().iterator();
                        Iterator<Map.Entry<String, Object>> b = d.entrySet().iterator();
                        while (a.hasNext()) {
                            assertTrue(b.hasNext());
                            Map.Entry<String, Object> x = a.next();
                            Map.Entry<String, Object> y = b.next();
                            assertEquals(x, y);
                            if (x.getKey().equals(k)) {
                                a.remove();
                                b.remove();
                            }
                        }
                    }
                    case 7 -> { // write through an entry
                        for (Map.Entry<String, Object> e : d.entrySet()) {
                            if (e.getKey().equals(k)) {
                                assertEquals(m.put(k, v), e.setValue(v));
                            }
                        }
                    }
                    default -> {
                        if (r.nextInt(20) == 0) {
                            m.clear();
                            d.clear();
                        }
                    }
                }
                assertEquals(m.size(), d.size());
                assertEquals(new ArrayList<>(m.entrySet()), new ArrayList<>(d.entrySet()), "order and contents");
                assertEquals(m, d);
                assertEquals(m.hashCode(), d.hashCode());
            }
            List<String> keys = new ArrayList<>();
            d.forEach((k, v) -> keys.add(k));
            assertEquals(new ArrayList<>(m.keySet()), keys);
            assertEquals(m, new GroupDict(m));
        }
    }

    @Test
    void noNullKeyAndNoChangeWhileIterating() {
        GroupDict d = new GroupDict(2);
        assertThrows(NullPointerException.class, () -> d.put(null, "x"));
        assertNull(d.get(null));
        d.put("a", 1);
        d.put("b", 2);
        Iterator<Map.Entry<String, Object>> it = d.entrySet().iterator();
        it.next();
        d.put("c", 3);
        assertThrows(ConcurrentModificationException.class, it::next);
        assertThrows(ConcurrentModificationException.class, () -> d.forEach((k, v) -> d.remove("c")));
    }

    @Test
    void userSetMatchesLinkedHashSet() {
        Random r = new Random(7);
        for (int round = 0; round < 200; round++) {
            UserSet u = new UserSet();
            LinkedHashSet<Object> s = new LinkedHashSet<>();
            for (int op = 0; op < 60; op++) {
                Object v = r.nextInt(8) == 0 ? null : "user" + r.nextInt(6);
                switch (r.nextInt(4)) {
                    case 0, 1 -> assertEquals(s.add(v), u.add(v));
                    case 2 -> assertEquals(s.remove(v), u.remove(v));
                    default -> {
                        Iterator<Object> a = s.iterator();
                        Iterator<Object> b = u.iterator();
                        while (a.hasNext()) {
                            Object x = a.next();
                            assertEquals(x, b.next());
                            if (java.util.Objects.equals(x, v)) {
                                a.remove();
                                b.remove();
                            }
                        }
                    }
                }
                assertEquals(new ArrayList<>(s), new ArrayList<>(u));
                assertEquals(s, u);
                assertEquals(s.contains(v), u.contains(v));
            }
        }
    }
}
