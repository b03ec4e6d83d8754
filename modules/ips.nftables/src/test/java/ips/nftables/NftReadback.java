package ips.nftables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads our table back through the nft program, independently of the enforcer. */
final class NftReadback {
    /** An element as nft shows it: {@code 10.0.0.1} or {@code 10.0.0.0/24}, with timeout and expiry in seconds (-1: none). */
    record Element(String value, long timeoutSeconds, long expiresSeconds) {
    }

    private final NetNs ns;
    private final String table;

    NftReadback(NetNs ns, String table) {
        this.ns = ns;
        this.table = table;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> objects(String... what) throws Exception {
        Map<String, Object> root = (Map<String, Object>) TinyJson.parse(ns.nftJson(what));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<Object>) root.get("nftables")) {
            out.add((Map<String, Object>) o);
        }
        return out;
    }

    /** The elements of one set, keyed by value. */
    @SuppressWarnings("unchecked")
    Map<String, Element> elements(String set) throws Exception {
        Map<String, Element> out = new LinkedHashMap<>();
        for (Map<String, Object> o : objects("set", "inet", table, set)) {
            Map<String, Object> s = (Map<String, Object>) o.get("set");
            if (s == null || s.get("elem") == null) {
                continue;
            }
            for (Object e : (List<Object>) s.get("elem")) {
                long timeout = -1;
                long expires = -1;
                Object val = e;
                if (e instanceof Map<?, ?> m && m.containsKey("elem")) {
                    Map<String, Object> inner = (Map<String, Object>) m.get("elem");
                    val = inner.get("val");
                    timeout = inner.get("timeout") instanceof Long l ? l : -1;
                    expires = inner.get("expires") instanceof Long l ? l : -1;
                }
                String text = text(val);
                out.put(text, new Element(text, timeout, expires));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String text(Object val) {
        if (val instanceof String s) {
            return s;
        }
        Map<String, Object> m = (Map<String, Object>) val;
        if (m.get("prefix") instanceof Map<?, ?> p) {
            return p.get("addr") + "/" + p.get("len");
        }
        if (m.get("range") instanceof List<?> r) {
            return r.get(0) + "-" + r.get(1);
        }
        return m.toString();
    }

    /** Set names and their flags. */
    @SuppressWarnings("unchecked")
    Map<String, List<Object>> sets() throws Exception {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> o : objects("table", "inet", table)) {
            if (o.get("set") instanceof Map<?, ?> s) {
                List<Object> flags = s.get("flags") == null ? new ArrayList<>() : new ArrayList<>((List<Object>) s.get("flags"));
                flags.add(0, s.get("type"));
                out.put((String) s.get("name"), flags);
            }
        }
        return out;
    }

    /** Chains: name to hook name and priority. */
    Map<String, String> chains() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> o : objects("table", "inet", table)) {
            if (o.get("chain") instanceof Map<?, ?> c) {
                out.put((String) c.get("name"), c.get("type") + " " + c.get("hook") + " " + c.get("prio") + " " + c.get("policy"));
            }
        }
        return out;
    }

    /** Rules of one chain, each as the compact JSON-ish text of its expression list. */
    List<String> rules(String chain) throws Exception {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> o : objects("table", "inet", table)) {
            if (o.get("rule") instanceof Map<?, ?> r && chain.equals(r.get("chain"))) {
                out.add(String.valueOf(r.get("expr")));
            }
        }
        return out;
    }
}
