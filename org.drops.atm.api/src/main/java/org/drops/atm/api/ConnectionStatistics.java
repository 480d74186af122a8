package org.drops.atm.api;

import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.scheduling.GrantedPriority;

/**
 * A snapshot of one connection's counters and state. Counters only grow while the connection lives; every
 * PDU that was not delivered is counted under exactly one drop reason.
 *
 * @param pvc                     the PVC, or null before connect/bind
 * @param direction               transmit (connected) or receive (bound), or null before
 * @param qos                     the contract, or null if none was set
 * @param policyName              the policing policy metering the connection, or empty if it is not policed
 * @param intervalNanos           the control interval of interval-credit policing, or 0 if the policy has none
 * @param creditCellsPerInterval  the credit granted at each interval start, in cells, or 0
 * @param pdus                    SDUs sent (transmit) or delivered to the ring (receive)
 * @param bytes                   SDU payload bytes of those
 * @param cells                   cells of those, AAL5 trailer and padding included
 * @param droppedNonConforming    receive: PDUs dropped by usage parameter control as non-conforming
 * @param droppedRingFull         receive: PDUs dropped because every ring slot was taken (a reader too slow)
 * @param suspensions             transmit: times the worker was suspended for lack of credit
 * @param suspendedNanos          transmit: total time suspended for lack of credit
 * @param intervals               control intervals that have ended, counting those in which the worker sent nothing
 * @param intervalsFullyServed    intervals in which a writer with data got its whole credit onto the wire (what was
 *                                left of the credit could not take the next PDU)
 * @param maxCellsInInterval      transmit: the most cells any one control interval let through, for comparison
 *                                with {@code creditCellsPerInterval} (never above it while policing is on); 0
 *                                without intervals (since 1.1)
 * @param recentSduBitsPerSecond  SDU payload rate over the last second
 * @param workerPriority          the scheduling the worker thread really has (see {@link GrantedPriority})
 * @param openedAtNanos           {@link System#nanoTime()} at connect/bind, or 0
 */
public record ConnectionStatistics(
        PvcAddress pvc,
        Direction direction,
        Qos qos,
        String policyName,
        long intervalNanos,
        long creditCellsPerInterval,
        long pdus,
        long bytes,
        long cells,
        long droppedNonConforming,
        long droppedRingFull,
        long suspensions,
        long suspendedNanos,
        long intervals,
        long intervalsFullyServed,
        long maxCellsInInterval,
        double recentSduBitsPerSecond,
        GrantedPriority workerPriority,
        long openedAtNanos) {

    public ConnectionStatistics {
        policyName = policyName == null ? "" : policyName;
        workerPriority = workerPriority == null ? GrantedPriority.unchanged("no worker thread") : workerPriority;
    }

    /** The 1.0 form, without {@code maxCellsInInterval} (0). */
    public ConnectionStatistics(PvcAddress pvc, Direction direction, Qos qos, String policyName, long intervalNanos,
            long creditCellsPerInterval, long pdus, long bytes, long cells, long droppedNonConforming,
            long droppedRingFull, long suspensions, long suspendedNanos, long intervals, long intervalsFullyServed,
            double recentSduBitsPerSecond, GrantedPriority workerPriority, long openedAtNanos) {
        this(pvc, direction, qos, policyName, intervalNanos, creditCellsPerInterval, pdus, bytes, cells,
                droppedNonConforming, droppedRingFull, suspensions, suspendedNanos, intervals, intervalsFullyServed, 0,
                recentSduBitsPerSecond, workerPriority, openedAtNanos);
    }

    /** PDUs that arrived for this connection but were not delivered, over all reasons. */
    public long dropped() {
        return droppedNonConforming + droppedRingFull;
    }
}
