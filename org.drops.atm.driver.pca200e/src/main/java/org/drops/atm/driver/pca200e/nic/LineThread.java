package org.drops.atm.driver.pca200e.nic;

import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.drops.atm.driver.pca200e.cell.CellLayout;
import org.drops.atm.driver.pca200e.link.Link;

/**
 * The physical layer's transmit side: drains the two transmit FIFOs onto the link at the line cell rate, the
 * guaranteed FIFO first. Guaranteed VCs are paced per VC and admitted against the line rate, so their FIFO stays
 * short; best effort is paced at whatever the guaranteed connections leave, so the line runs full and the best-
 * effort FIFO may fill. With one shared FIFO a guaranteed PDU queued behind up to a FIFO of best-effort cells
 * (5.8 ms at OC-3 with 2048 cells), and its writer lost interval credit (Table 2's pair 1.2 % short beside a UBR
 * writer, {@code Pca200eDeviceTest.guaranteedCellsOvertakeAFullBestEffortFifo}). Now a guaranteed cell waits at
 * most for the best-effort batch already on its way (up to the link's batch bound). Cells of different VCs
 * interleave on the line as on any ATM link; each VC's cells stay in order. Cells depart on an
 * absolute schedule, cell k of a busy period at {@code start + k / rate}, so rounding and wake-up jitter
 * never accumulate into rate error (a late wake-up sends the cells that came due in one batch). Cells leave
 * in batches of up to the link's {@link Link#maxCellsPerTransmit()}, each when its last cell is due. An idle line
 * saves no credit: the schedule restarts when the next cell arrives. The thread also runs the receive side's
 * reassembly-timeout sweep, so an interface needs no other thread.
 */
final class LineThread implements Runnable {

    private static final Logger LOG = Logger.getLogger(LineThread.class.getName());
    /** Longest park of an idle line, so housekeeping (the reassembly timeout sweep) still runs. */
    private static final long IDLE_PARK_NANOS = 10_000_000L;
    /**
     * A line that fell further behind than this (a stalled JVM, a descheduled thread) forgives the rest instead
     * of bursting it out. Shorter stalls are caught up, so the long-run rate stays the line rate on a loaded
     * machine; a catch-up burst is bounded by what the FIFO holds anyway.
     */
    private static final long MAX_LAG_NANOS = 100_000_000L;

    private final TransmitFifo guaranteed;
    private final TransmitFifo bestEffort;
    private final Link link;
    private final ReceiveEngine receiver;
    private final double nanosPerCell; // 0 for an unpaced line
    private final long sweepIntervalNanos;
    private volatile boolean running = true;
    private volatile Runnable task; // one-off work the line thread runs on itself (its scheduling), or null
    private volatile long cellsOut;
    private volatile long cellsLost;

    LineThread(TransmitFifo guaranteed, TransmitFifo bestEffort, Link link, ReceiveEngine receiver,
            double lineCellsPerSecond, long sweepIntervalNanos) {
        this.guaranteed = guaranteed;
        this.bestEffort = bestEffort;
        this.link = link;
        this.receiver = receiver;
        this.nanosPerCell = Double.isInfinite(lineCellsPerSecond) ? 0 : 1e9 / lineCellsPerSecond;
        this.sweepIntervalNanos = sweepIntervalNanos;
    }

    /** Runs {@code work} on the line thread at its next loop (for requests that apply to the calling thread). */
    void runOnLineThread(Runnable work) {
        task = work;
        Thread t = guaranteed.lineThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    void stop() {
        running = false;
        Thread t = guaranteed.lineThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    long cellsOut() {
        return cellsOut;
    }

    /** Cells that left while the wire had no carrier (no peer attached, or the datagram could not be sent). */
    long cellsLost() {
        return cellsLost;
    }

    @Override
    public void run() {
        guaranteed.lineThread = Thread.currentThread();
        bestEffort.lineThread = Thread.currentThread();
        long busyStart = 0;
        long sentInBusyPeriod = 0;
        boolean idle = true;
        long lastSweep = System.nanoTime();
        int maxBatch = nanosPerCell > 0 ? link.maxCellsPerTransmit() : link.maxCellsPerUnpacedTransmit();
        while (running) {
            try {
                Runnable work = task;
                if (work != null) {
                    task = null;
                    work.run();
                }
                long now = System.nanoTime();
                if (now - lastSweep >= sweepIntervalNanos) {
                    receiver.sweep(now);
                    lastSweep = now;
                }
                // Guaranteed cells first: a best-effort cell goes out only in a slot no guaranteed cell wants.
                TransmitFifo fifo = guaranteed;
                long consumed = fifo.consumed.get();
                long available = fifo.produced.get() - consumed;
                if (available == 0) {
                    fifo = bestEffort;
                    consumed = fifo.consumed.get();
                    available = fifo.produced.get() - consumed;
                }
                if (available == 0) {
                    idle = true;
                    guaranteed.lineWaiting = true;
                    bestEffort.lineWaiting = true;
                    if (guaranteed.produced.get() == guaranteed.consumed.get()
                            && bestEffort.produced.get() == bestEffort.consumed.get() && running) {
                        LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                    }
                    guaranteed.lineWaiting = false;
                    bestEffort.lineWaiting = false;
                    continue;
                }
                if (idle) {
                    // A new busy period starts no earlier than the cell slot after the last cell sent: an idle line
                    // saves no credit, and must give none either. (It started "now", so a writer refilling an
                    // emptied FIFO got a cell out up to a slot early at every idle gap: faster than the line.)
                    double nextFreeSlot = busyStart + sentInBusyPeriod * nanosPerCell;
                    busyStart = sentInBusyPeriod > 0 && nextFreeSlot > now ? (long) Math.ceil(nextFreeSlot) : now;
                    sentInBusyPeriod = 0;
                    idle = false;
                }
                int slot = (int) (consumed % fifo.capacityCells);
                // Unpaced, a batch takes at most half the FIFO: the line thread (which also runs the receiver on the
                // memory link) frees the batch's slots only when it is done, so the sender fills the other half.
                int batchBound = nanosPerCell > 0 ? maxBatch : Math.min(maxBatch, Math.max(1, fifo.capacityCells / 2));
                long batch = Math.min(available, Math.min(batchBound, fifo.capacityCells - slot));
                if (nanosPerCell > 0) {
                    double nextDeparture = busyStart + sentInBusyPeriod * nanosPerCell;
                    if (now - nextDeparture > MAX_LAG_NANOS) {
                        busyStart = (long) (now - MAX_LAG_NANOS - sentInBusyPeriod * nanosPerCell);
                        nextDeparture = busyStart + sentInBusyPeriod * nanosPerCell;
                    }
                    // Cells go out as one batch (one datagram on the UDP link) when the batch's last cell is due:
                    // no cell leaves before its time, and the link sees few large transmissions.
                    double lastDue = nextDeparture + (batch - 1) * nanosPerCell;
                    if (now < lastDue) {
                        // While a best-effort batch waits for its time, a guaranteed sender wakes the line: its
                        // cells take the next slots.
                        boolean wakeForGuaranteed = fifo == bestEffort;
                        guaranteed.lineWaiting = wakeForGuaranteed;
                        if (!wakeForGuaranteed || guaranteed.produced.get() == guaranteed.consumed.get()) {
                            LockSupport.parkNanos(this, (long) Math.ceil(lastDue - now));
                        }
                        guaranteed.lineWaiting = false;
                        continue;
                    }
                    long due = (long) Math.floor((now - nextDeparture) / nanosPerCell) + 1;
                    batch = Math.min(batch, due);
                }
                int n = (int) batch;
                if (!link.transmit(fifo.cells, slot * CellLayout.CELL_BYTES, n)) {
                    cellsLost += n;
                }
                cellsOut += n; // single writer
                sentInBusyPeriod += n;
                // a full (volatile) store: the wake-up check in released() must not be reordered before it
                fifo.consumed.set(consumed + n);
                fifo.released();
            } catch (RuntimeException e) {
                // A fault in a receiver run on this thread (memory link) must not stop the line.
                LOG.log(Level.SEVERE, "line thread: transmit failed, continuing", e);
                for (TransmitFifo fifo : new TransmitFifo[] {guaranteed, bestEffort}) {
                    fifo.consumed.set(fifo.produced.get());
                    fifo.released();
                }
            }
        }
    }
}
