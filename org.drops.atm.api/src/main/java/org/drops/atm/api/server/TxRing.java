package org.drops.atm.api.server;

import java.nio.ByteBuffer;
import org.drops.atm.api.ConnectionClosedException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A connection's transmit ring: direct-memory slots the application side fills and the connection's worker
 * thread polices and hands to the driver (which segments straight out of the slot). Slot indices and
 * lengths are all that cross. The producer side ({@link #claim}, {@link #commit}, {@link #abort}) is used by
 * one thread at a time (the facade serialises writers); the worker is the consumer.
 */
@ProviderType
public interface TxRing {

    /** Number of slots, from admission control's buffer reservation. */
    int slotCount();

    /** Capacity of each slot in bytes: the contract's maximum SDU. */
    int slotBytes();

    /**
     * The slot's memory: a direct buffer of {@link #slotBytes()}, position 0, limit at capacity. The same
     * instance for an index every time; its position and limit are the caller's while the slot is claimed.
     * Threading: the claiming thread. Blocking: never.
     */
    ByteBuffer slot(int index);

    /**
     * Claims a free slot for the next SDU. Blocks while every slot is committed and not yet sent: this is how a
     * writer faster than its contract is held back (paper §2.5, synchronous flow control).
     *
     * @return the slot index, or -1 if {@code timeoutNanos} passed first
     * @throws ConnectionClosedException if the connection is or becomes closed
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    int claim(long timeoutNanos) throws ConnectionClosedException, InterruptedException;

    /**
     * Hands bytes {@code [0, lengthBytes)} of a claimed slot to the worker as one SDU. Blocking: never.
     *
     * @throws IllegalArgumentException if the length is negative or above {@link #slotBytes()}
     * @throws IllegalStateException if the slot is not claimed
     * @throws ConnectionClosedException if the connection is closed (the slot is discarded)
     */
    void commit(int index, int lengthBytes) throws ConnectionClosedException;

    /** Returns a claimed slot unsent. Blocking: never. */
    void abort(int index);
}
