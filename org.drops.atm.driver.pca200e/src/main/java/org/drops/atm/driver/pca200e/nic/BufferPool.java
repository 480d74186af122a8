package org.drops.atm.driver.pca200e.nic;

import java.util.concurrent.ArrayBlockingQueue;
import org.drops.atm.api.device.VcService;

/**
 * One of the card's two receive buffer pools (paper §2.6): guaranteed or best effort. Buffers are allocated
 * once, as direct memory (the "host-resident buffers handed to the driver on startup"), and cycle between the
 * free list, the receive engine and the protocol. Taking and giving back never allocate.
 */
final class BufferPool {

    private final VcService service;
    private final int capacity;
    private final ArrayBlockingQueue<PduDescriptor> free;

    BufferPool(VcService service, int buffers, int bufferBytes) {
        this.service = service;
        this.capacity = buffers;
        this.free = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            free.add(new PduDescriptor(this, bufferBytes));
        }
    }

    /** A free buffer for a new PDU, or null if the pool is empty (the PDU is then discarded early). */
    PduDescriptor take() {
        PduDescriptor d = free.poll();
        if (d != null) {
            d.taken();
        }
        return d;
    }

    void giveBack(PduDescriptor d) {
        if (!free.offer(d)) {
            throw new IllegalStateException("buffer returned twice to the " + service + " pool");
        }
    }

    VcService service() {
        return service;
    }

    int capacity() {
        return capacity;
    }

    int freeBuffers() {
        return free.size();
    }
}
