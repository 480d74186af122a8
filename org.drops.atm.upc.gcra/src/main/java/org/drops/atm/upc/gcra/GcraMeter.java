package org.drops.atm.upc.gcra;

import org.drops.atm.api.policing.Meter;

/**
 * GCRA(1/PCR, CDVT) for CBR and for UBR with a peak rate. As a transmit policy it answers the exact wait until
 * the PDU conforms, so a greedy writer is spread out at the peak rate instead of clumping at interval starts;
 * a writer at or below PCR is never delayed, and one that was held up for less than τ may catch up. No PDU is
 * {@link #NEVER} conforming: a PDU is checked at its first cell and charged for all of them.
 *
 * <p>Threading: one thread. Allocation: none.
 */
final class GcraMeter implements Meter {

    private final Gcra gcra;

    GcraMeter(Gcra gcra) {
        this.gcra = gcra;
    }

    @Override
    public long conform(long nowNanos, int cells) {
        long wait = gcra.waitNanos(nowNanos);
        if (wait == CONFORMING) {
            gcra.charge(nowNanos, cells);
        }
        return wait;
    }

    @Override
    public long nextIntervalStartNanos(long nowNanos) {
        return nowNanos;
    }

    @Override
    public long intervalNanos() {
        return 0;
    }

    @Override
    public long creditCellsPerInterval() {
        return 0;
    }

    @Override
    public long availableCells(long nowNanos) {
        return gcra.availableCells(nowNanos);
    }

    Gcra gcra() {
        return gcra;
    }

    @Override
    public String toString() {
        return "GCRA meter: " + gcra;
    }
}
