package org.drops.atm.driver.pca200e.nic;

import java.util.ArrayList;
import java.util.List;

/**
 * The open virtual channels of an interface, keyed by VPI and VCI. Lookups (per received cell) read an
 * immutable open-addressing snapshot without locking or allocating; opening and closing (rare) copy it.
 */
final class VcTable {

    private static final class Snapshot {
        final int[] keys;
        final Channel[] channels;
        final int size;

        Snapshot(int capacity, int size) {
            keys = new int[capacity];
            channels = new Channel[capacity];
            this.size = size;
        }
    }

    private volatile Snapshot snapshot = new Snapshot(16, 0);

    static int key(int vpi, int vci) {
        return (vpi << 16) | vci;
    }

    /** The channel open on VPI/VCI, or null. Any thread; never blocks or allocates. */
    Channel get(int vpi, int vci) {
        Snapshot s = snapshot;
        int k = key(vpi, vci);
        int mask = s.keys.length - 1;
        for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
            Channel c = s.channels[i];
            if (c == null) {
                return null;
            }
            if (s.keys[i] == k) {
                return c;
            }
        }
    }

    /** Adds a channel; false if its VPI/VCI is taken. */
    synchronized boolean add(Channel channel) {
        if (get(channel.vpi(), channel.vci()) != null) {
            return false;
        }
        List<Channel> all = all();
        all.add(channel);
        snapshot = build(all);
        return true;
    }

    /** Removes a channel if present. */
    synchronized void remove(Channel channel) {
        List<Channel> all = all();
        if (all.remove(channel)) {
            snapshot = build(all);
        }
    }

    /** Every open channel (a copy). */
    synchronized List<Channel> all() {
        Snapshot s = snapshot;
        List<Channel> list = new ArrayList<>(s.size + 1);
        for (Channel c : s.channels) {
            if (c != null) {
                list.add(c);
            }
        }
        return list;
    }

    private static Snapshot build(List<Channel> channels) {
        int capacity = 16;
        while (capacity < channels.size() * 2) {
            capacity <<= 1;
        }
        Snapshot s = new Snapshot(capacity, channels.size());
        int mask = capacity - 1;
        for (Channel c : channels) {
            int k = key(c.vpi(), c.vci());
            int i = mix(k) & mask;
            while (s.channels[i] != null) {
                i = (i + 1) & mask;
            }
            s.keys[i] = k;
            s.channels[i] = c;
        }
        return s;
    }

    private static int mix(int k) {
        int h = k * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
