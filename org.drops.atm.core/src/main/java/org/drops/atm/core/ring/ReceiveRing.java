package org.drops.atm.core.ring;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.server.RxRing;

/**
 * A connection's receive ring (paper §2.2, §3.3): the pseudo-interrupt thread copies each PDU from the
 * driver's buffer into a free slot and publishes index and length; the application side takes slots in
 * arrival order and releases them, in any order. A full ring drops the PDU (the caller counts it).
 */
public final class ReceiveRing implements RxRing {

    private static final int FREE = 0;
    private static final int FILLED = 1;
    private static final int TAKEN = 2;

    private final int slotBytes;
    private final ByteBuffer[] slots;
    private final ByteBuffer[] readViews;
    private final int[] lengths;
    private final long[] receivedAtNanos;
    private final AtomicIntegerArray states;
    private final IndexQueue free;
    private final IndexQueue filled;

    public ReceiveRing(int slotCount, int slotBytes, String what) {
        this.slotBytes = slotBytes;
        this.slots = Slots.allocate(slotCount, slotBytes);
        this.readViews = new ByteBuffer[slotCount];
        for (int i = 0; i < slotCount; i++) {
            readViews[i] = slots[i].asReadOnlyBuffer();
        }
        this.lengths = new int[slotCount];
        this.receivedAtNanos = new long[slotCount];
        this.states = new AtomicIntegerArray(slotCount);
        this.free = new IndexQueue(slotCount, what);
        this.filled = new IndexQueue(slotCount, what);
        for (int i = 0; i < slotCount; i++) {
            free.offer(i, 0);
        }
    }

    /**
     * Pseudo-interrupt thread: whether a slot is free now. Its only producer asks, and only the reader frees slots,
     * so a following {@link #deliver} finds one unless the ring closed meanwhile.
     */
    public boolean hasFreeSlot() {
        return !free.isEmpty();
    }

    /**
     * Pseudo-interrupt thread: copies bytes {@code [0, length)} of {@code pdu} into a free slot and publishes it,
     * without waking the reader: the pseudo-interrupt thread wakes the readers of the PDUs it delivered once per
     * batch ({@link #wakeReader()}), so a reader that keeps up takes several SDUs per wake-up. Does not change
     * {@code pdu}'s position or limit.
     *
     * @return false if no slot was free (the PDU is not delivered)
     */
    public boolean deliver(ByteBuffer pdu, int length, long receivedAt) {
        long entry = free.pollNow();
        if (entry < 0) {
            return false;
        }
        int index = IndexQueue.index(entry);
        slots[index].put(0, pdu, 0, length);
        lengths[index] = length;
        receivedAtNanos[index] = receivedAt;
        states.set(index, FILLED); // volatile store: the copy and the length before the index is published
        filled.offerQuietly(index, length);
        return true;
    }

    /** Wakes the reader if it waits for an SDU (after {@link #deliver}). */
    public void wakeReader() {
        filled.wakeConsumer();
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
        return readViews[index];
    }

    @Override
    public int take(long timeoutNanos) throws ConnectionClosedException, InterruptedException {
        long entry = filled.poll(timeoutNanos);
        if (entry < 0) {
            return -1;
        }
        int index = IndexQueue.index(entry);
        states.set(index, TAKEN);
        return index;
    }

    @Override
    public int length(int index) {
        return lengths[index];
    }

    @Override
    public long receivedAtNanos(int index) {
        return receivedAtNanos[index];
    }

    @Override
    public void release(int index) {
        if (index >= 0 && index < slots.length && states.compareAndSet(index, TAKEN, FREE)) {
            free.offer(index, 0);
        }
    }

    /** SDUs waiting to be taken. */
    public int waiting() {
        return filled.size();
    }

    /** Wakes a waiting reader with a {@link ConnectionClosedException} naming the reason. */
    public void close(String reason) {
        filled.close(reason);
        free.close(reason);
    }
}
