package org.drops.atm.api.admission;

/**
 * What admission control set aside for one admitted request. The core sizes the connection's ring from it
 * and gives it back through {@link AdmissionControl#release(Reservation)}.
 *
 * @param id                   unique among this provider's reservations
 * @param request              what was asked for
 * @param bandwidthCellsPerSecond cells per second reserved on the interface (0 for best effort)
 * @param slotCount            ring slots reserved (transmit: at least 1; receive: from the jitter-constrained
 *                             stream model, P = ⌈τ/T⌉ plus the slot in use)
 * @param slotBytes            bytes per slot: the contract's maximum SDU
 * @param cpuUtilisation       share of one processor reserved, 0–1
 */
public record Reservation(long id, AdmissionRequest request, double bandwidthCellsPerSecond, int slotCount,
        int slotBytes, double cpuUtilisation) {

    public Reservation {
        if (request == null) {
            throw new IllegalArgumentException("request: required");
        }
        if (bandwidthCellsPerSecond < 0 || slotCount < 1 || slotBytes < 0 || cpuUtilisation < 0) {
            throw new IllegalArgumentException("reservation " + id + ": amounts must not be negative and slotCount >= 1");
        }
    }

    /** Buffer bytes reserved: slots × slot size. */
    public long bufferBytes() {
        return (long) slotCount * slotBytes;
    }
}
