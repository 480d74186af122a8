package org.drops.atm.core.ring;

import java.util.concurrent.locks.LockSupport;
import org.drops.atm.api.ConnectionClosedException;

/**
 * A bounded FIFO of slot indices, each carrying one int of payload (an SDU length). Offers never block (the
 * queue holds every slot of its ring, so it cannot overflow); polls may wait, parked, for one consumer thread
 * at a time. Nothing allocates: a contended monitor inflates once, and waiting is a park with a deadline.
 */
public final class IndexQueue {

    private final int[] indices;
    private final int[] values;
    private int head; // guarded by this
    private int size; // guarded by this
    private volatile Thread waiter;
    /** Entries the waiter wants before it is woken (see {@link #poll(long, int)}). */
    private volatile int waiterWants = 1;
    private volatile String closedReason;
    private final String what;

    /**
     * @param capacity the number of slots of the ring
     * @param what     the connection, for exception messages
     */
    public IndexQueue(int capacity, String what) {
        this.indices = new int[capacity];
        this.values = new int[capacity];
        this.what = what;
    }

    /** Appends an index with its value; wakes a waiting consumer once the queue holds as many as it wants. */
    public void offer(int index, int value) {
        int sizeNow = offerQuietly(index, value);
        Thread w = waiter;
        if (w != null && sizeNow >= waiterWants) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Appends an index with its value without waking the consumer; the producer calls {@link #wakeConsumer()} later
     * (after a batch). Returns the queue's size after the append.
     */
    public int offerQuietly(int index, int value) {
        int sizeNow;
        synchronized (this) {
            if (size == indices.length) {
                throw new IllegalStateException(what + ": slot queue overflow (a slot was queued twice)");
            }
            int tail = (head + size) % indices.length;
            indices[tail] = index;
            values[tail] = value;
            sizeNow = ++size;
        }
        return sizeNow;
    }

    /** Wakes a waiting consumer if the queue holds as many entries as it wants (after {@link #offerQuietly}). */
    public void wakeConsumer() {
        Thread w = waiter;
        if (w != null && size() >= waiterWants) {
            LockSupport.unpark(w);
        }
    }

    /** The next entry as {@code index << 32 | value} without waiting, or -1 if the queue is empty. */
    public synchronized long pollNow() {
        if (size == 0) {
            return -1;
        }
        int index = indices[head];
        int value = values[head];
        head = (head + 1) % indices.length;
        size--;
        return ((long) index << 32) | (value & 0xffffffffL);
    }

    /**
     * The next entry as {@code index << 32 | value}, waiting up to {@code timeoutNanos}; -1 on timeout.
     *
     * @throws ConnectionClosedException once the queue is closed
     */
    public long poll(long timeoutNanos) throws ConnectionClosedException, InterruptedException {
        return poll(timeoutNanos, 1);
    }

    /**
     * As {@link #poll(long)}, but a consumer that finds the queue empty sleeps until it holds {@code wakeAtSize}
     * entries (or the timeout), then takes the first. For a producer that blocks on a full ring (a writer waiting
     * for free slots): woken when half the ring is free, it fills that half without waiting again, instead of
     * being woken, and preempting the thread that freed the slot, once per slot.
     */
    public long poll(long timeoutNanos, int wakeAtSize) throws ConnectionClosedException, InterruptedException {
        int wants = Math.max(1, Math.min(wakeAtSize, indices.length));
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        while (true) {
            checkOpen();
            long entry = pollNow();
            if (entry >= 0) {
                return entry;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return -1;
            }
            waiterWants = wants; // before waiter: an offer that sees the waiter sees what it wants
            waiter = Thread.currentThread();
            try {
                // Dekker with offer: waiter is published before the size is read, the size before waiter is read.
                if (size() < wants && closedReason == null) {
                    LockSupport.parkNanos(this, remaining);
                }
            } finally {
                waiter = null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException(what + ": interrupted while waiting");
            }
        }
    }

    /** The index of an entry returned by {@link #poll}. */
    public static int index(long entry) {
        return (int) (entry >>> 32);
    }

    /** The value of an entry returned by {@link #poll}. */
    public static int value(long entry) {
        return (int) entry;
    }

    public synchronized boolean isEmpty() {
        return size == 0;
    }

    public synchronized int size() {
        return size;
    }

    /** Closes the queue: a waiting and every later {@link #poll} throws, naming the reason. */
    public void close(String reason) {
        closedReason = reason;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    public boolean isClosed() {
        return closedReason != null;
    }

    public void checkOpen() throws ConnectionClosedException {
        String reason = closedReason;
        if (reason != null) {
            throw new ConnectionClosedException(what, reason);
        }
    }
}
