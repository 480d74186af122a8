package org.drops.atm.api.server;

import java.nio.ByteBuffer;
import org.drops.atm.api.ConnectionClosedException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A connection's receive ring: the pseudo-interrupt thread copies each conforming PDU from the driver's
 * buffer into a free slot and publishes it; the application side takes slots in arrival order and releases
 * them (in any order). When no slot is free the PDU is dropped and counted ({@code droppedRingFull}). The
 * taking side ({@link #take}) is used by one thread at a time (the facade serialises readers);
 * {@link #release} may be called from any thread.
 */
@ProviderType
public interface RxRing {

    /** Number of slots, from admission control's buffer reservation. */
    int slotCount();

    /** Capacity of each slot in bytes: the contract's maximum SDU. */
    int slotBytes();

    /**
     * A read-only view of the slot's memory; the same instance for an index every time. Its position and limit
     * are the taking thread's. Threading: the thread that took the slot. Blocking: never.
     */
    ByteBuffer slot(int index);

    /**
     * The next received SDU's slot index; blocks until one arrives.
     *
     * @return the slot index, or -1 if {@code timeoutNanos} passed first
     * @throws ConnectionClosedException if the connection is or becomes closed
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    int take(long timeoutNanos) throws ConnectionClosedException, InterruptedException;

    /** The SDU length in a taken slot. Blocking: never. */
    int length(int index);

    /** {@link System#nanoTime()} at which the driver completed the SDU in a taken slot. Blocking: never. */
    long receivedAtNanos(int index);

    /**
     * Returns a taken slot to the ring; releasing a slot that is not taken is ignored. Threading: any thread.
     * Blocking: never.
     */
    void release(int index);
}
