package org.drops.atm.core.internal;

import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.api.scheduling.GrantedPriority;
import org.drops.atm.api.server.Connection;
import org.drops.atm.api.server.RxRing;
import org.drops.atm.api.server.TxRing;
import org.drops.atm.core.ring.ReceiveRing;
import org.drops.atm.core.ring.TransmitRing;

/**
 * One open direction of a PVC: its contract, reservation, ring, meter and counters. Counters have a single
 * writer (the worker for transmit, the pseudo-interrupt thread for receive); volatile only publishes them.
 */
final class CoreConnection implements Connection {

    final Server server;
    /**
     * The interface the connection runs on, until its teardown; then null. A closed connection the application
     * still holds (a closed socket, say) must not pin the interface's device: a stopped driver's card, with its
     * receive pools and FIFO in direct memory, stayed reachable through it (found by the reliability suite's
     * ChaosIT). Read and written on the service thread only.
     */
    ServedInterface itf;
    final PvcAddress pvc;
    final Qos qos;
    final Direction direction;
    final TrafficParameters contract;
    final Aal aal;
    final String owner;
    // What admission control booked for this connection, and which admission control instance booked it. Both
    // change when admission control is restarted while the connection runs: its successor books the connection
    // again (Server.rebookOpenConnections). Written on the service thread only.
    volatile Reservation reservation;
    volatile AdmissionControl admittedBy;
    final TransmitRing txRing;
    final ReceiveRing rxRing;
    final long openedAtNanos;
    private final RateWindow rate;

    // The meter and its policy; replaced by the data-path thread at an interval boundary when the policy changes.
    volatile Meter meter;
    volatile String policyName;
    int policyGeneration;
    long switchAtNanos; // data-path thread only: 0, or the boundary at which the new policy takes over

    volatile GrantedPriority workerPriority;
    volatile long pdus;
    volatile long bytes;
    volatile long cells;
    volatile long droppedNonConforming;
    volatile long droppedRingFull;
    volatile long droppedNeverConforming;
    volatile long suspensions;
    volatile long suspendedNanos;
    volatile long intervals;
    volatile long intervalsFullyServed;
    volatile long maxCellsInInterval;

    private volatile String closedReason;
    Thread worker;

    CoreConnection(Server server, ServedInterface itf, PvcAddress pvc, Qos qos, Direction direction, Aal aal,
            String owner, Reservation reservation, AdmissionControl admittedBy, int slotCount, int slotBytes) {
        this.server = server;
        this.itf = itf;
        this.pvc = pvc;
        this.qos = qos;
        this.direction = direction;
        this.contract = qos.direction(direction);
        this.aal = aal;
        this.owner = owner;
        this.reservation = reservation;
        this.admittedBy = reservation == null ? null : admittedBy;
        String what = (direction == Direction.TRANSMIT ? "connection " : "binding ") + pvc;
        // best effort: the writer refills half its ring per wake-up; guaranteed: woken at once (TransmitRing)
        this.txRing = direction == Direction.TRANSMIT ? new TransmitRing(slotCount, slotBytes, what,
                this.contract.trafficClass().isGuaranteed() ? 1 : Math.max(1, slotCount / 2)) : null;
        this.rxRing = direction == Direction.RECEIVE ? new ReceiveRing(slotCount, slotBytes, what) : null;
        this.openedAtNanos = System.nanoTime();
        this.rate = new RateWindow(openedAtNanos);
        this.workerPriority = direction == Direction.RECEIVE
                ? GrantedPriority.unchanged("receive connections have no worker; the pseudo-interrupt thread serves them")
                : GrantedPriority.unchanged("worker not started yet");
    }

    boolean guaranteed() {
        return contract.trafficClass().isGuaranteed();
    }

    @Override
    public PvcAddress pvc() {
        return pvc;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public Qos qos() {
        return qos;
    }

    @Override
    public TxRing txRing() {
        if (txRing == null) {
            throw new IllegalStateException(pvc + " is a receive connection: it has no transmit ring");
        }
        return txRing;
    }

    @Override
    public RxRing rxRing() {
        if (rxRing == null) {
            throw new IllegalStateException(pvc + " is a transmit connection: it has no receive ring");
        }
        return rxRing;
    }

    @Override
    public ConnectionStatistics statistics() {
        Meter m = meter;
        long now = System.nanoTime();
        return new ConnectionStatistics(pvc, direction, qos, policyName == null ? "" : policyName,
                m == null ? 0 : m.intervalNanos(), m == null ? 0 : m.creditCellsPerInterval(), pdus, bytes, cells,
                droppedNonConforming + droppedNeverConforming, droppedRingFull, suspensions, suspendedNanos, intervals,
                intervalsFullyServed, maxCellsInInterval, rate.bitsPerSecond(now, bytes), workerPriority, openedAtNanos);
    }

    @Override
    public boolean isClosed() {
        return closedReason != null;
    }

    String closedReason() {
        return closedReason;
    }

    /**
     * Marks the connection closed and wakes everyone blocked on its ring, in the caller's thread (so blocked
     * callers learn it at once); returns false if it was closed already.
     */
    synchronized boolean markClosed(String reason) {
        if (closedReason != null) {
            return false;
        }
        closedReason = reason;
        if (txRing != null) {
            txRing.close(reason);
        }
        if (rxRing != null) {
            rxRing.close(reason);
        }
        return true;
    }

    @Override
    public void close() {
        server.close(this, "closed by its owner");
    }

    @Override
    public String toString() {
        return (direction == Direction.TRANSMIT ? "tx " : "rx ") + pvc + " " + qos.direction(direction).trafficClass();
    }
}
