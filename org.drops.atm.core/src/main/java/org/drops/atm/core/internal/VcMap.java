package org.drops.atm.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * VPI/VCI → value, for lookups on the receive path: reads take an immutable open-addressing snapshot without
 * locking, boxing or allocating; writes (connection set-up and teardown, rare) copy it.
 */
final class VcMap<T> {

    private static final class Snapshot {
        final int[] keys;
        final Object[] values;

        Snapshot(int capacity) {
            keys = new int[capacity];
            values = new Object[capacity];
        }
    }

    private volatile Snapshot snapshot = new Snapshot(16);

    @SuppressWarnings("unchecked")
    T get(int vpi, int vci) {
        Snapshot s = snapshot;
        int key = (vpi << 16) | vci;
        int mask = s.keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            Object v = s.values[i];
            if (v == null) {
                return null;
            }
            if (s.keys[i] == key) {
                return (T) v;
            }
        }
    }

    synchronized void put(int vpi, int vci, T value) {
        int key = (vpi << 16) | vci;
        List<int[]> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        Snapshot s = snapshot;
        for (int i = 0; i < s.keys.length; i++) {
            if (s.values[i] != null && s.keys[i] != key) {
                keys.add(new int[] {s.keys[i]});
                values.add(s.values[i]);
            }
        }
        if (value != null) {
            keys.add(new int[] {key});
            values.add(value);
        }
        int capacity = 16;
        while (capacity < values.size() * 2) {
            capacity <<= 1;
        }
        Snapshot next = new Snapshot(capacity);
        for (int n = 0; n < values.size(); n++) {
            int k = keys.get(n)[0];
            int i = mix(k) & (capacity - 1);
            while (next.values[i] != null) {
                i = (i + 1) & (capacity - 1);
            }
            next.keys[i] = k;
            next.values[i] = values.get(n);
        }
        snapshot = next;
    }

    void remove(int vpi, int vci) {
        put(vpi, vci, null);
    }

    private static int mix(int k) {
        int h = k * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
