package org.drops.atm.core.internal;

import org.drops.atm.api.device.VirtualChannel;

/** The device VC of a PVC and the (at most one each) transmit and receive connections sharing it. */
final class VcEntry {
    VirtualChannel channel;
    CoreConnection tx;
    CoreConnection rx;

    boolean isEmpty() {
        return tx == null && rx == null;
    }
}
