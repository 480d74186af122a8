package org.drops.atm.api;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A received SDU in its receive ring slot, handed to the application without a further copy. The slot stays
 * taken until {@link #release()}; afterwards the view's methods throw {@link IllegalStateException}.
 */
@ProviderType
public interface RxView extends AutoCloseable {

    /** A read-only buffer over the SDU: position 0, limit {@link #length()}. */
    ByteBuffer buffer();

    /** The SDU's length in bytes. */
    int length();

    /** {@link System#nanoTime()} at which the driver completed the PDU's reassembly. */
    long receivedAtNanos();

    /** Returns the slot to the ring. Releasing twice is harmless. */
    void release();

    /** Same as {@link #release()}, for try-with-resources. */
    @Override
    default void close() {
        release();
    }
}
