package org.drops.atm.api.device;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A reassembled PDU in a driver receive buffer, handed to the protocol by reference (paper §2.6). Descriptors
 * and buffers are pooled by the driver and reused after {@link #release()}: the protocol copies the SDU out
 * (into the connection's ring) and releases promptly. Accessors may only be used before release.
 */
@ProviderType
public interface ReceivedPdu {

    /** The VPI. Threading: the thread holding the PDU. Blocking: never (as every accessor here). */
    int vpi();

    /** The VCI. */
    int vci();

    /** The pool the buffer came from. */
    VcService pool();

    /** A read-only view of the SDU: position 0, limit {@link #length()}; the same instance until release. */
    ByteBuffer data();

    /** The SDU's length in bytes (the AAL5 length field, checked against the CRC-protected PDU). */
    int length();

    /** Cells the PDU took on the wire. */
    int cells();

    /** {@link System#nanoTime()} when reassembly completed. */
    long completedAtNanos();

    /** Returns the buffer to its pool. Releasing twice is harmless. Threading: any thread. Blocking: never. */
    void release();
}
