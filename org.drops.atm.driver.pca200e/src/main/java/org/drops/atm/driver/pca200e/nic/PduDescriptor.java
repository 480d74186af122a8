package org.drops.atm.driver.pca200e.nic;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.drops.atm.api.device.ReceivedPdu;
import org.drops.atm.api.device.VcService;

/**
 * A receive buffer of a pool and its descriptor (the RPD of the real card), allocated once and reused: the
 * receive engine fills {@link #buffer}, hands the descriptor to the protocol, and {@link #release()} returns
 * it to its pool. The descriptor is the "reference to the buffer" of paper §2.6.
 */
final class PduDescriptor implements ReceivedPdu {

    private static final int FREE = 0;
    private static final int FILLING = 1;
    private static final int DELIVERED = 2;

    final ByteBuffer buffer;
    private final ByteBuffer view;
    /** The whole CPCS-PDU (padding and trailer included), for taps. */
    final ByteBuffer pduView;
    private final BufferPool pool;
    // FREE -> FILLING (receive engine) -> DELIVERED (queue) -> FREE (release, any thread, once).
    private final AtomicInteger state = new AtomicInteger(FREE);
    private int vpi;
    private int vci;
    private int length;
    private int cells;
    private long completedAtNanos;

    PduDescriptor(BufferPool pool, int bufferBytes) {
        this.pool = pool;
        this.buffer = ByteBuffer.allocateDirect(bufferBytes);
        this.view = buffer.asReadOnlyBuffer();
        this.pduView = buffer.asReadOnlyBuffer();
    }

    /** Called by the pool when the receive engine takes this buffer. */
    void taken() {
        state.set(FILLING);
    }

    /** Called by the receive engine when a PDU is complete, before the descriptor is queued. */
    void complete(int vpi, int vci, int length, int cells, long nowNanos) {
        this.vpi = vpi;
        this.vci = vci;
        this.length = length;
        this.cells = cells;
        this.completedAtNanos = nowNanos;
        view.limit(length).position(0);
        state.set(DELIVERED);
    }

    /** Called by the receive engine for a buffer that did not become a PDU (error, timeout, close). */
    void discard() {
        state.set(FREE);
        pool.giveBack(this);
    }

    @Override
    public int vpi() {
        return vpi;
    }

    @Override
    public int vci() {
        return vci;
    }

    @Override
    public VcService pool() {
        return pool.service();
    }

    @Override
    public ByteBuffer data() {
        return view;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int cells() {
        return cells;
    }

    @Override
    public long completedAtNanos() {
        return completedAtNanos;
    }

    @Override
    public void release() {
        if (state.compareAndSet(DELIVERED, FREE)) {
            pool.giveBack(this);
        }
    }
}
