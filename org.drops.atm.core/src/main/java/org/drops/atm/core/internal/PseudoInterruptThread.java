package org.drops.atm.core.internal;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.device.ReceivedPdu;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.scheduling.RealTimeScheduler;
import org.drops.atm.api.scheduling.SchedulingRequest;

/**
 * The pseudo-interrupt thread of an interface (paper §2.1, §2.6): takes PDUs from the driver, classifies them by
 * VC, runs receive usage parameter control (non-conforming PDUs are dropped and counted), copies conforming
 * ones into the connection's receive ring, returns the driver's buffer, and wakes the reader. Allocates nothing
 * per PDU; reads no clock (the driver's completion time is the PDU's arrival time).
 */
final class PseudoInterruptThread implements Runnable {

    private static final Logger LOG = Logger.getLogger(PseudoInterruptThread.class.getName());
    private static final long POLL_NANOS = 100_000_000L;
    /**
     * Readers are woken once per batch of delivered PDUs, when the device has no more ready or after this many: a
     * reader that keeps up then takes several SDUs per wake-up, and a wake-up (a system call and an inter-processor
     * interrupt on a VM) per SDU was a third of the unpaced link's time. The bound keeps a reader's added delay to a
     * few PDUs' copies even while the device never runs dry.
     */
    static final int WAKE_BATCH_PDUS = 8;

    private final ServedInterface itf;
    private final CoreConnection[] toWake = new CoreConnection[WAKE_BATCH_PDUS];
    private int toWakeCount;
    private int deliveredSinceWake;
    private volatile boolean running = true;
    volatile long unclaimedPdus;

    PseudoInterruptThread(ServedInterface itf) {
        this.itf = itf;
    }

    void stop() {
        running = false;
    }

    private void applyPriority(Server server) {
        RealTimeScheduler scheduler = server.services().scheduler();
        if (scheduler != null) {
            itf.interruptPriority = scheduler.applyToCurrentThread(SchedulingRequest.fifo(server.settings().interruptPriority()));
        }
    }

    @Override
    public void run() {
        Server server = itf.server;
        int schedulerGeneration = server.schedulerGeneration();
        applyPriority(server);
        AtmDevice device = itf.device;
        while (running) {
            if (schedulerGeneration != server.schedulerGeneration()) {
                schedulerGeneration = server.schedulerGeneration();
                applyPriority(server);
            }
            ReceivedPdu pdu;
            try {
                pdu = device.receive(0);
                if (pdu == null) {
                    wakeReaders(); // the batch ended: the device has nothing ready
                    pdu = device.receive(POLL_NANOS);
                }
            } catch (ConnectionClosedException e) {
                wakeReaders();
                server.interfaceWentDown(itf, e.reason());
                return;
            } catch (InterruptedException e) {
                wakeReaders();
                return;
            }
            if (pdu == null) {
                continue;
            }
            try {
                CoreConnection c = itf.receivers.get(pdu.vpi(), pdu.vci());
                long arrival = pdu.completedAtNanos();
                // a PDU complete before the connection opened was sent to an earlier one on the same PVC (it waited
                // in the device's queue while that one closed and this one opened): not this connection's data
                if (c == null || c.isClosed() || arrival - c.openedAtNanos < 0) {
                    unclaimedPdus++;
                    continue;
                }
                server.maybeSwitchPolicy(c, arrival);
                if (server.receivePolicing() && c.meter.conform(arrival, pdu.cells()) != Meter.CONFORMING) {
                    c.droppedNonConforming++;
                    continue;
                }
                if (!c.rxRing.hasFreeSlot()) {
                    c.droppedRingFull++;
                    continue;
                }
                // counted before the SDU is published: a reader it wakes, and whoever that reader tells, already
                // sees it in the statistics (counted after, a reader could read and close before the count)
                c.pdus++;
                c.bytes += pdu.length();
                c.cells += pdu.cells();
                if (!c.rxRing.deliver(pdu.data(), pdu.length(), arrival)) {
                    // the connection closed since the check: not delivered after all
                    c.pdus--;
                    c.bytes -= pdu.length();
                    c.cells -= pdu.cells();
                    unclaimedPdus++;
                } else {
                    delivered(c);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "pseudo-interrupt thread of itf " + itf.number + ": a PDU failed, continuing", e);
            } finally {
                pdu.release();
            }
        }
    }

    /**
     * Notes a reader to wake; wakes the batch's readers once it holds {@link #WAKE_BATCH_PDUS} PDUs, and this reader
     * at once if its ring is half full (a small ring, such as best effort's four slots, must not fill up while its
     * reader sleeps through the batch).
     */
    private void delivered(CoreConnection c) {
        if (2 * c.rxRing.waiting() >= c.rxRing.slotCount()) {
            c.rxRing.wakeReader();
        }
        int n = toWakeCount;
        boolean listed = false;
        for (int i = 0; i < n && !listed; i++) {
            listed = toWake[i] == c;
        }
        if (!listed) {
            toWake[toWakeCount++] = c;
        }
        if (++deliveredSinceWake >= WAKE_BATCH_PDUS) {
            wakeReaders();
        }
    }

    private void wakeReaders() {
        for (int i = 0; i < toWakeCount; i++) {
            toWake[i].rxRing.wakeReader();
            toWake[i] = null;
        }
        toWakeCount = 0;
        deliveredSinceWake = 0;
    }
}
