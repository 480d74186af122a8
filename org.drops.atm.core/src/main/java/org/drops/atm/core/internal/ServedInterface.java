package org.drops.atm.core.internal;

import java.util.HashMap;
import java.util.Map;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.scheduling.GrantedPriority;

/** An interface the server runs: its device, its pseudo-interrupt thread, and its VCs. */
final class ServedInterface {

    final Server server;
    final AtmDevice device;
    final int number;
    /** (vpi << 16 | vci) → entry; guarded by the server's service thread (set-up and teardown only). */
    final Map<Integer, VcEntry> entries = new HashMap<>();
    /** Receive connections for the pseudo-interrupt thread's lookups. */
    final VcMap<CoreConnection> receivers = new VcMap<>();
    final PseudoInterruptThread interrupt;
    final Thread interruptThread;
    volatile GrantedPriority interruptPriority = GrantedPriority.unchanged("no real-time scheduling service present");

    ServedInterface(Server server, AtmDevice device) {
        this.server = server;
        this.device = device;
        this.number = device.interfaceNumber();
        this.interrupt = new PseudoInterruptThread(this);
        this.interruptThread = new Thread(interrupt, "atm-itf" + number + "-interrupt");
        this.interruptThread.setDaemon(true);
    }

    VcEntry entry(int vpi, int vci) {
        return entries.computeIfAbsent((vpi << 16) | vci, k -> new VcEntry());
    }
}
