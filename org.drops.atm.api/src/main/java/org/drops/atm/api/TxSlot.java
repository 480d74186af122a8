package org.drops.atm.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A transmit ring slot claimed for zero-copy sending: the application writes the SDU into {@link #buffer()}
 * and commits it; the worker polices it and the driver segments straight out of the slot (paper §2.2,
 * "zero-copy interface"). A slot is owned by the claiming thread until it commits or aborts; afterwards every
 * method throws {@link IllegalStateException}.
 */
@ProviderType
public interface TxSlot {

    /**
     * The slot's direct memory: position 0, limit and capacity equal to the connection's {@code max_sdu}. Valid
     * until {@link #commit(int)} or {@link #abort()}.
     */
    ByteBuffer buffer();

    /**
     * Sends bytes {@code [0, lengthBytes)} of the slot as one SDU. Does not wait for the wire: the slot returns
     * to the ring when the driver's synchronous send has segmented it.
     *
     * @throws IllegalArgumentException if the length is negative or above {@code max_sdu}
     * @throws ConnectionClosedException if the connection closed meanwhile (the slot is then discarded)
     */
    void commit(int lengthBytes) throws IOException;

    /** Sends bytes {@code [0, position)}, after relative puts into {@link #buffer()}. */
    default void commit() throws IOException {
        commit(buffer().position());
    }

    /** Gives the slot back unsent. */
    void abort();
}
