package org.drops.atm.driver.pca200e.link;

import java.nio.ByteBuffer;

/**
 * The physical medium behind an interface: it carries whole cells to the peer interface. The line (transmit)
 * thread of the interface calls {@link #transmit} for each paced batch; received cells go to the
 * {@link CellSink} given to {@link #start}.
 */
public interface Link extends AutoCloseable {

    /** Starts delivering received cells to the sink. Called once, before the first transmit. */
    void start(CellSink sink) throws java.io.IOException;

    /**
     * Puts {@code cellCount} cells, stored back to back from absolute {@code offset}, on the wire. Called by one
     * thread (the line thread); does not keep the buffer after returning; does not change its position/limit.
     *
     * @return true if the cells left; false if the wire had no carrier (no peer attached) or the send failed,
     *         in which case the cells are lost on the wire, as on a real line
     */
    boolean transmit(ByteBuffer cells, int offset, int cellCount);

    /** The most cells one {@link #transmit} call may carry. */
    int maxCellsPerTransmit();

    /**
     * The most cells one {@link #transmit} call carries on an unpaced line (no line rate: the stack's own capacity
     * is measured). A line-rate batch bounds how long a guaranteed cell waits behind best-effort ones; an unpaced
     * line has no rate to keep, and larger batches hand the receiver several PDUs per wake-up. At least
     * {@link #maxCellsPerTransmit()} for links whose transmission has no size limit of its own.
     */
    default int maxCellsPerUnpacedTransmit() {
        return maxCellsPerTransmit();
    }

    /** For display: {@code memory wire0 (back to back)} or {@code udp 127.0.0.1:2812 -> 127.0.0.1:2813}. */
    String describe();

    /** Stops delivering, releases sockets and threads; idempotent. */
    @Override
    void close();
}
