package org.drops.atm.core.ring;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.server.TxRing;

/**
 * A connection's transmit ring (paper §3.3): slots the application side claims, fills and commits, and the
 * worker takes in order, sends, and frees. Only indices and lengths move between the sides.
 */
public final class TransmitRing implements TxRing {

    private static final int FREE = 0;
    private static final int CLAIMED = 1;
    private static final int COMMITTED = 2;

    private final int slotBytes;
    private final ByteBuffer[] slots;
    private final ByteBuffer[] workerViews;
    private final AtomicIntegerArray states;
    private final IndexQueue free;
    private final IndexQueue committed;
    private final int writerWakeFreeSlots;

    /** A ring whose blocked writer is woken at the first free slot (see the four-argument constructor). */
    public TransmitRing(int slotCount, int slotBytes, String what) {
        this(slotCount, slotBytes, what, 1);
    }

    /**
     * @param writerWakeFreeSlots free slots a writer that found the ring full sleeps for (at least 1, at most the
     *                            ring). More than one saves wake-ups (each a system call, and on a VM an
     *                            inter-processor interrupt): half the ring lets a best-effort writer refill it in one
     *                            go. A guaranteed connection's ring is sized so that its writer may be late by the
     *                            contract's tolerance (admission control's stream model); a writer that sleeps until
     *                            half of it is free has only half that slack left, so the core gives guaranteed
     *                            connections 1.
     */
    public TransmitRing(int slotCount, int slotBytes, String what, int writerWakeFreeSlots) {
        if (writerWakeFreeSlots < 1 || writerWakeFreeSlots > slotCount) {
            throw new IllegalArgumentException("writerWakeFreeSlots must be 1.." + slotCount + ", not " + writerWakeFreeSlots);
        }
        this.writerWakeFreeSlots = writerWakeFreeSlots;
        this.slotBytes = slotBytes;
        this.slots = Slots.allocate(slotCount, slotBytes);
        this.workerViews = new ByteBuffer[slotCount];
        for (int i = 0; i < slotCount; i++) {
            workerViews[i] = slots[i].duplicate();
        }
        this.states = new AtomicIntegerArray(slotCount);
        this.free = new IndexQueue(slotCount, what);
        this.committed = new IndexQueue(slotCount, what);
        for (int i = 0; i < slotCount; i++) {
            free.offer(i, 0);
        }
    }

    @Override
    public int slotCount() {
        return slots.length;
    }

    @Override
    public int slotBytes() {
        return slotBytes;
    }

    @Override
    public ByteBuffer slot(int index) {
        return slots[index];
    }

    @Override
    public int claim(long timeoutNanos) throws ConnectionClosedException, InterruptedException {
        // A writer that finds the ring full sleeps until writerWakeFreeSlots are free (best effort: half the ring, one
        // wake-up per half ring instead of one per SDU, each preempting the worker that freed the slot).
        long entry = free.poll(timeoutNanos, writerWakeFreeSlots);
        if (entry < 0) {
            return -1;
        }
        int index = IndexQueue.index(entry);
        states.set(index, CLAIMED);
        slots[index].clear();
        return index;
    }

    @Override
    public void commit(int index, int lengthBytes) throws ConnectionClosedException {
        if (lengthBytes < 0 || lengthBytes > slotBytes) {
            throw new IllegalArgumentException("commit: SDU of " + lengthBytes + " bytes does not fit max_sdu " + slotBytes);
        }
        if (!states.compareAndSet(index, CLAIMED, COMMITTED)) {
            throw new IllegalStateException("commit: slot " + index + " is not claimed");
        }
        committed.checkOpen();
        committed.offer(index, lengthBytes);
    }

    @Override
    public void abort(int index) {
        if (states.compareAndSet(index, CLAIMED, FREE)) {
            free.offer(index, 0);
        }
    }

    /** Worker: the next committed SDU as {@code index << 32 | length}, or -1 on timeout. */
    public long nextCommitted(long timeoutNanos) throws ConnectionClosedException, InterruptedException {
        return committed.poll(timeoutNanos);
    }

    /** Worker: the slot of a committed SDU, limited to its length; the driver sends from it. */
    public ByteBuffer sendView(int index, int length) {
        ByteBuffer view = workerViews[index];
        view.clear().limit(length);
        return view;
    }

    /** Worker: the SDU was sent (or dropped); the slot is free again. */
    public void sent(int index) {
        states.set(index, FREE);
        free.offer(index, 0);
    }

    /** SDUs committed and not yet sent. */
    public int backlog() {
        return committed.size();
    }

    /** Wakes every waiter on either side with a {@link ConnectionClosedException} naming the reason. */
    public void close(String reason) {
        free.close(reason);
        committed.close(reason);
    }
}
