package org.drops.atm.driver.pca200e.nic;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Completed PDUs on their way from the receive engine to the protocol's pseudo-interrupt thread: a
 * single-producer single-consumer ring (the producer is the receive engine, which runs under its lock; the
 * consumer is the one thread calling {@code receive}). It never overflows, because it has a slot for every
 * pool buffer. Waiting parks the consumer; nothing allocates.
 */
final class ReceiveQueue {

    private final PduDescriptor[] slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong(); // next to take; written by the consumer
    private final AtomicLong tail = new AtomicLong(); // next to fill; written by the producer
    private volatile Thread waiter;
    private volatile boolean closed;

    ReceiveQueue(int minCapacity) {
        int capacity = Integer.highestOneBit(Math.max(2, minCapacity - 1)) << 1;
        slots = new PduDescriptor[capacity];
        mask = capacity - 1;
    }

    /**
     * Producer: appends a completed PDU without waking the consumer; the producer calls {@link #wakeConsumer()}
     * once after a batch of cells (one wake-up per batch, not per PDU, and none while it holds the engine's lock:
     * the consumer runs at real-time priority and would preempt the producer at once).
     */
    void offer(PduDescriptor d) {
        long t = tail.get();
        if (t - head.get() >= slots.length) {
            // Cannot happen while the ring has a slot per buffer; a defect if it does.
            throw new IllegalStateException("receive queue overflow");
        }
        slots[(int) t & mask] = d;
        // A volatile store, not lazySet: the waiter check below must not move before it (Dekker: the consumer
        // sets waiter, then re-reads tail), or a wake-up is lost and the consumer sleeps out its timeout.
        tail.set(t + 1);
    }

    /** Producer: wakes the consumer if it waits (after {@link #offer}). */
    void wakeConsumer() {
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Consumer: the next PDU, waiting up to {@code timeoutNanos}.
     *
     * @return the PDU, or null on timeout or when closed (check {@link #isClosed()})
     */
    PduDescriptor poll(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        while (true) {
            PduDescriptor d = take();
            if (d != null || closed) {
                return d;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            waiter = Thread.currentThread();
            if (tail.get() == head.get() && !closed) {
                LockSupport.parkNanos(this, remaining);
            }
            waiter = null;
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a received PDU");
            }
        }
    }

    private PduDescriptor take() {
        long h = head.get();
        if (h == tail.get()) {
            return null;
        }
        int i = (int) h & mask;
        PduDescriptor d = slots[i];
        slots[i] = null;
        head.lazySet(h + 1);
        return d;
    }

    void close() {
        closed = true;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    boolean isClosed() {
        return closed;
    }
}
