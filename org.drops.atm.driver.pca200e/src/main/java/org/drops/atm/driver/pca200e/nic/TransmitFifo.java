package org.drops.atm.driver.pca200e.nic;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.drops.atm.driver.pca200e.aal5.Segmenter;
import org.drops.atm.driver.pca200e.cell.CellLayout;

/**
 * One of the card's two transmit FIFOs (guaranteed and best effort, see {@link LineThread}): a ring of 53-byte
 * cell slots in direct memory. Senders segment PDUs straight from their buffers into the slots (the "DMA", paper
 * §2.6), one PDU at a time under the producer lock, blocking while the ring is full; the line thread drains it
 * at the line rate. Indices are cell counts that only grow.
 *
 * <pre>
 *   consumed            produced
 *      v                   v
 *  ... | cell | cell | ... |  free ...  | (wraps at capacity)
 *      '-- on the way to the line --'
 * </pre>
 */
final class TransmitFifo {

    final ByteBuffer cells;
    final int capacityCells;
    /** "guaranteed" or "best-effort", for messages. */
    final String name;
    // produced: written by the sender holding the lock; consumed: written by the line thread. Both are read by
    // the other side. Both are published with volatile stores: each side then checks whether the other waits,
    // and a lazySet could let that check pass before the store, losing the wake-up.
    final AtomicLong produced = new AtomicLong();
    final AtomicLong consumed = new AtomicLong();
    // Fair: senders take turns PDU by PDU, so a dumb writer on one VC cannot starve another VC's sender.
    private final ReentrantLock producerLock = new ReentrantLock(true);
    private final Segmenter segmenter = new Segmenter();
    volatile Thread lineThread;
    volatile boolean lineWaiting;
    private volatile Thread producerWaiting;
    private volatile long producerWantsFree;
    /** PDUs put into the FIFO; written under the producer lock. */
    volatile long pdus;
    /** Times a sender found the FIFO full and waited for room; written under the producer lock. */
    volatile long fullWaits;

    private final Taps taps;

    TransmitFifo(String name, int capacityCells, Taps taps) {
        this.name = name;
        this.taps = taps;
        this.capacityCells = capacityCells;
        this.cells = ByteBuffer.allocateDirect(capacityCells * CellLayout.CELL_BYTES);
    }

    /**
     * Segments one SDU into the FIFO; returns when its last cell is in (synchronous send). Blocks while the FIFO
     * is full; the channel's {@link Channel#checkOpen()} ends the wait with an exception when it or the device
     * closes.
     *
     * @return the FIFO index just past the PDU's last cell: the PDU has left for the line once {@link #consumed}
     *         reaches it
     */
    long put(Channel channel, ByteBuffer sdu) throws IOException {
        try {
            producerLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the transmit FIFO");
        }
        try {
            segmenter.begin(sdu, channel.headerWord);
            long p = produced.get();
            while (segmenter.hasNext()) {
                long free = capacityCells - (p - consumed.get());
                if (free == 0) {
                    fullWaits++;
                    awaitFree(channel, p, Math.min(segmenter.cellsRemaining(), Math.max(1, capacityCells / 2)));
                    continue;
                }
                long end = p + free;
                // Contiguous runs of slots up to the ring's end, a run of cells per call.
                int slot = (int) (p % capacityCells);
                while (p < end && segmenter.hasNext()) {
                    int run = (int) Math.min(end - p, capacityCells - slot);
                    int written = segmenter.next(cells, slot * CellLayout.CELL_BYTES, run);
                    p += written;
                    slot += written;
                    if (slot == capacityCells) {
                        slot = 0;
                    }
                }
                produced.set(p);
                wakeLine();
            }
            pdus++;
            taps.transmitted(channel.vpi(), channel.vci(), sdu);
            return p;
        } finally {
            segmenter.abandon(); // a PDU cut short keeps no reference to its SDU (the sender's ring slot)
            producerLock.unlock();
        }
    }

    /** The sender waiting for room, or null. */
    Thread producerWaiting() {
        return producerWaiting;
    }

    private void awaitFree(Channel channel, long p, long wanted) throws IOException {
        producerWantsFree = wanted;
        producerWaiting = Thread.currentThread();
        try {
            while (capacityCells - (p - consumed.get()) < wanted) {
                channel.checkOpen();
                wakeLine();
                // Woken by the line thread once `wanted` slots are free; the deadline only bounds a lost wake-up.
                LockSupport.parkNanos(this, 10_000_000L);
                if (Thread.interrupted()) {
                    throw new InterruptedIOException("interrupted while waiting for the transmit FIFO");
                }
            }
        } finally {
            producerWaiting = null;
        }
    }

    /**
     * Waits until every cell before FIFO index {@code end} has left for the line. A channel whose service changes
     * (best effort to guaranteed or back) calls this before it uses the other FIFO, so that its PDUs stay in
     * order on the VC (I.150: ATM keeps the cells of a connection in sequence). Rare: no wake-up, a short park.
     */
    void awaitDrained(Channel channel, long end) throws IOException {
        while (consumed.get() - end < 0) {
            channel.checkOpen();
            wakeLine();
            LockSupport.parkNanos(this, 100_000L);
            if (Thread.interrupted()) {
                throw new InterruptedIOException("interrupted while the " + name + " transmit FIFO drained");
            }
        }
    }

    /** Line thread: after consuming, wakes a waiting sender if enough room is free. */
    void released() {
        Thread w = producerWaiting;
        if (w != null && capacityCells - (produced.get() - consumed.get()) >= producerWantsFree) {
            LockSupport.unpark(w);
        }
    }

    /** Wakes every waiter (the device is closing). */
    void wakeAll() {
        Thread w = producerWaiting;
        if (w != null) {
            LockSupport.unpark(w);
        }
        wakeLine();
    }

    void wakeLine() {
        if (lineWaiting) {
            Thread t = lineThread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }
}
