package ips.config;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A read-only map computed on first use: a jail's full option map (every [DEFAULT] action template
 * interpolated) is rarely read, so start-up does not pay for it.
 */
final class LazyOptions extends AbstractMap<String, String> {
    private Supplier<Map<String, String>> supplier;
    private volatile Map<String, String> map;

    LazyOptions(Supplier<Map<String, String>> supplier) {
        this.supplier = supplier;
    }

    private Map<String, String> map() {
        Map<String, String> m = map;
        if (m == null) {
            synchronized (this) {
                m = map;
                if (m == null) {
                    m = Collections.unmodifiableMap(supplier.get());
                    map = m;
                    supplier = null;
                }
            }
        }
        return m;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return map().entrySet();
    }

    @Override
    public String get(Object key) {
        return map().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return map().containsKey(key);
    }

    @Override
    public int size() {
        return map().size();
    }
}
