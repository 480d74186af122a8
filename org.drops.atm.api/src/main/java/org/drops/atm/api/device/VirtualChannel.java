package org.drops.atm.api.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/** An open virtual channel of an {@link AtmDevice}. Threading as described there. */
@ProviderType
public interface VirtualChannel extends AutoCloseable {

    /** The parameters the channel was opened with. Threading: any thread. Blocking: never. */
    VcParameters parameters();

    /**
     * Sends the remaining bytes of {@code sdu} as one AAL5 PDU, synchronously (paper §2.6): returns once the
     * PDU is segmented into the transmit FIFO, after which the buffer may be reused. The driver segments
     * straight out of the buffer (the "DMA"); it makes no intermediate copy of the payload. Blocks while the
     * FIFO is full, so a sender is held to the line rate (and to the channel's cell rate, if set). Does not
     * change the buffer's position or limit.
     *
     * <p>Threading: one thread at a time per channel (the connection's worker); channels send concurrently.
     * Blocking: while the transmit FIFO is full or the channel's cell rate holds the PDU back; wakes with
     * an exception when the channel or interface closes.
     *
     * @return the number of cells the PDU took
     * @throws IllegalArgumentException if the SDU is longer than the channel's transmit {@code max_sdu}
     * @throws org.drops.atm.api.ConnectionClosedException if the channel or interface is closed
     * @throws java.io.InterruptedIOException if the thread was interrupted while blocked
     */
    int send(ByteBuffer sdu) throws IOException;

    /**
     * Limits the channel's transmit cell rate, as the PCA-200E's per-PDU data/idle cell ratio did for CBR
     * ({@code fore200e.c}); also how the core applies the best-effort share to UBR channels. Takes effect from
     * the next PDU. {@link Double#POSITIVE_INFINITY} removes the limit.
     *
     * <p>Threading: any thread, concurrently with {@link #send}. Blocking: never.
     *
     * @throws IllegalArgumentException if the rate is not positive
     */
    void setTransmitCellRate(double cellsPerSecond);

    /**
     * Changes the channel's parameters in place, for when the protocol adds or drops a direction of the PVC: the
     * contract (transmit rate control, receive max SDU) and the receive pool. VPI, VCI and AAL stay the same.
     * Each direction takes the new parameters from its next PDU; a PDU being reassembled completes under the
     * old ones.
     *
     * <p>Threading: any thread, concurrently with traffic. Blocking: never.
     *
     * @throws IllegalArgumentException if VPI, VCI or AAL differ, or the receive max SDU exceeds what the card's
     *                                  buffers hold
     */
    void reconfigure(VcParameters parameters);

    /** This channel's counters. Threading: any thread. Blocking: never. */
    VcStatistics statistics();

    /**
     * Closes the channel; PDUs for it that arrive later count as unknown-VC drops. Closing twice is harmless.
     *
     * <p>Threading: any thread. Blocking: never; a sender blocked in {@link #send} wakes with
     * {@link org.drops.atm.api.ConnectionClosedException}.
     */
    @Override
    void close();
}
