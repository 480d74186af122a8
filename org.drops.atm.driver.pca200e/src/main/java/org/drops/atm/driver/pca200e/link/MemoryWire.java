package org.drops.atm.driver.pca200e.link;

import java.util.HashMap;
import java.util.Map;

/**
 * A named piece of "fibre" inside one JVM joining at most two interfaces back to back. Cells a side transmits
 * are handed to the other side's sink in the transmitting line thread, so a wire costs no thread and no copy
 * beyond the receive side's own reassembly.
 */
final class MemoryWire {

    // Guarded by the class: wires are attached and detached when interfaces are (re)configured, never per cell.
    private static final Map<String, MemoryWire> WIRES = new HashMap<>();

    private final String name;
    private volatile MemoryLink a;
    private volatile MemoryLink b;

    private MemoryWire(String name) {
        this.name = name;
    }

    static synchronized MemoryWire attach(String name, MemoryLink end) {
        MemoryWire wire = WIRES.computeIfAbsent(name, MemoryWire::new);
        if (wire.a == null) {
            wire.a = end;
        } else if (wire.b == null) {
            wire.b = end;
        } else {
            throw new IllegalStateException("memory wire \"" + name + "\" already joins two interfaces ("
                    + wire.a.owner() + " and " + wire.b.owner() + "); give " + end.owner() + " another wire name");
        }
        return wire;
    }

    static synchronized void detach(MemoryWire wire, MemoryLink end) {
        if (wire.a == end) {
            wire.a = null;
        }
        if (wire.b == end) {
            wire.b = null;
        }
        if (wire.a == null && wire.b == null) {
            WIRES.remove(wire.name, wire);
        }
    }

    /** The other end of the wire, or null if none is attached (no carrier). */
    MemoryLink peerOf(MemoryLink end) {
        MemoryLink x = a;
        return x == end ? b : x;
    }

    String name() {
        return name;
    }
}
