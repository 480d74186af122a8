package org.drops.atm.core.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.device.VirtualChannel;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.scheduling.RealTimeScheduler;
import org.drops.atm.api.scheduling.SchedulingRequest;
import org.drops.atm.core.ring.IndexQueue;
import org.drops.atm.core.ring.TransmitRing;

/**
 * The worker thread of a transmit connection (paper §2.1): takes committed slots in order, runs usage
 * parameter control on each PDU, and, when it does not conform, suspends itself until the meter says it will
 * (paper §2.5: "worker threads exceeding their announced peak rate are suspended until the start of the next
 * interval"); then hands the slot to the driver's synchronous send and frees it. Steady state allocates
 * nothing: a park per suspension, a clock read per PDU.
 */
final class WorkerThread implements Runnable {

    private static final Logger LOG = Logger.getLogger(WorkerThread.class.getName());
    /** How long an idle worker waits for a PDU before looking at a policy change again. */
    private static final long IDLE_POLL_NANOS = 100_000_000L;

    private final CoreConnection connection;
    private final VcEntry entry;

    WorkerThread(CoreConnection connection, VcEntry entry) {
        this.connection = connection;
        this.entry = entry;
    }

    private static void applyPriority(CoreConnection c) {
        RealTimeScheduler scheduler = c.server.services().scheduler();
        if (c.guaranteed() && scheduler != null && c.server.realTimePriority()) {
            c.workerPriority = scheduler.applyToCurrentThread(SchedulingRequest.fifo(c.server.settings().workerPriority()));
        } else if (c.guaranteed() && scheduler != null) {
            // realtime.priority is off: time sharing, also undoing SCHED_FIFO granted before the switch
            c.workerPriority = scheduler.applyToCurrentThread(SchedulingRequest.timeSharing(0));
        } else if (c.guaranteed()) {
            c.workerPriority = org.drops.atm.api.scheduling.GrantedPriority.unchanged(
                    "no real-time scheduling service (the Linux bridge) present");
        } else {
            c.workerPriority = org.drops.atm.api.scheduling.GrantedPriority.unchanged("best-effort connection: time-sharing priority");
        }
    }

    @Override
    public void run() {
        CoreConnection c = connection;
        int schedulerGeneration = c.server.schedulerGeneration();
        applyPriority(c);
        TransmitRing ring = c.txRing;
        long intervalStart = 0;
        boolean suspendedThisInterval = false;
        long cellsThisInterval = 0; // charged by the meter in the current control interval
        try {
            while (!c.isClosed()) {
                if (schedulerGeneration != c.server.schedulerGeneration()) {
                    schedulerGeneration = c.server.schedulerGeneration();
                    applyPriority(c); // the scheduling service came or went since the worker started
                }
                long next = ring.nextCommitted(IDLE_POLL_NANOS);
                if (next < 0) {
                    c.server.maybeSwitchPolicy(c, System.nanoTime());
                    continue;
                }
                int index = IndexQueue.index(next);
                int length = IndexQueue.value(next);
                int pduCells = CellRates.aal5CellsPerSdu(length);
                boolean conforming = true;
                while (true) {
                    long now = System.nanoTime();
                    c.server.maybeSwitchPolicy(c, now);
                    Meter meter = c.meter;
                    long intervalNanos = meter.intervalNanos();
                    long boundary = intervalNanos > 0 ? meter.nextIntervalStartNanos(now) : 0;
                    if (boundary != intervalStart) {
                        // a new control interval began since the last PDU: the one that ended counts as fully
                        // served if its credit left could not take this PDU (the greedy writer's whole credit
                        // went out); intervals the worker did not reach at all count as not served (paper §4,
                        // Figure 10: the guarantee under time-sharing load)
                        if (intervalStart != 0) {
                            long ended = intervalNanos > 0
                                    ? Math.max(1, Math.round((double) (boundary - intervalStart) / intervalNanos)) : 1;
                            c.intervals += ended;
                            long credit = meter.creditCellsPerInterval();
                            if (suspendedThisInterval || (credit > 0 && credit - cellsThisInterval < pduCells)) {
                                c.intervalsFullyServed++;
                            }
                        }
                        intervalStart = boundary;
                        suspendedThisInterval = false;
                        cellsThisInterval = 0;
                    }
                    if (!c.server.transmitPolicing()) {
                        break; // transmit.policing off: no UPC, no suspension (the overhead experiment's baseline)
                    }
                    long wait = meter.conform(now, pduCells);
                    if (wait == Meter.CONFORMING) {
                        cellsThisInterval += pduCells;
                        if (intervalNanos > 0 && cellsThisInterval > c.maxCellsInInterval) {
                            c.maxCellsInInterval = cellsThisInterval;
                        }
                        break;
                    }
                    if (wait == Meter.NEVER) {
                        conforming = false;
                        break;
                    }
                    suspendedThisInterval = true;
                    c.suspensions++;
                    long deadline = now + wait;
                    for (long t = now; t < deadline && !c.isClosed(); t = System.nanoTime()) {
                        LockSupport.parkNanos(this, deadline - t);
                    }
                    c.suspendedNanos += System.nanoTime() - now;
                    if (c.isClosed()) {
                        return;
                    }
                }
                if (!conforming) {
                    // larger than the contract allows at once: it can never go; counted, the writer goes on
                    c.droppedNeverConforming++;
                    ring.sent(index);
                    continue;
                }
                VirtualChannel channel = entry.channel;
                ByteBuffer view = ring.sendView(index, length);
                channel.send(view);
                c.pdus++;
                c.bytes += length;
                c.cells += pduCells;
                ring.sent(index);
            }
        } catch (ConnectionClosedException e) {
            if (!c.isClosed()) {
                // the VC or the interface went down under the connection: close it with that reason
                c.server.close(c, e.reason());
            }
        } catch (java.io.InterruptedIOException | InterruptedException e) {
            // closing: the server interrupts a worker blocked in the driver
        } catch (Throwable t) {
            LOG.log(Level.SEVERE, "worker of " + c + " failed; closing the connection", t);
            c.server.close(c, "worker failed: " + t);
        }
    }
}
