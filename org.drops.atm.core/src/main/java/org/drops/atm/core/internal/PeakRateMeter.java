package org.drops.atm.core.internal;

import org.drops.atm.api.policing.Meter;

/**
 * The core's own conservative meter, used when no policing policy service is present (so a connection is never
 * left unpoliced): GCRA(1/PCR, CDVT) by virtual scheduling at PDU granularity (ITU-T I.371), a PDU costing its
 * cells. A non-conforming PDU leaves the state unchanged and learns the exact wait. A contract without a finite
 * peak rate conforms always.
 */
public final class PeakRateMeter implements Meter {

    private final double nanosPerCell; // 0: no finite peak rate
    private final long toleranceNanos;
    private double theoreticalArrivalNanos;

    /**
     * @param peakCellsPerSecond the contract's peak cell rate; 0 or negative for none
     * @param toleranceNanos     the cell delay variation tolerance
     */
    public PeakRateMeter(int peakCellsPerSecond, long toleranceNanos, long startNanos) {
        this.nanosPerCell = peakCellsPerSecond > 0 ? 1e9 / peakCellsPerSecond : 0;
        this.toleranceNanos = toleranceNanos;
        this.theoreticalArrivalNanos = startNanos;
    }

    @Override
    public long conform(long nowNanos, int cells) {
        if (nanosPerCell == 0) {
            return CONFORMING;
        }
        double tat = Math.max(theoreticalArrivalNanos, nowNanos);
        double earliest = tat - toleranceNanos;
        if (earliest > nowNanos) {
            return Math.max(1, (long) Math.ceil(earliest - nowNanos));
        }
        theoreticalArrivalNanos = tat + cells * nanosPerCell;
        return CONFORMING;
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
        if (nanosPerCell == 0) {
            return Long.MAX_VALUE;
        }
        double slack = nowNanos + toleranceNanos - Math.max(theoreticalArrivalNanos, nowNanos);
        return slack < 0 ? 0 : (long) (slack / nanosPerCell) + 1;
    }

    @Override
    public String toString() {
        return "PeakRateMeter[" + (nanosPerCell == 0 ? "no peak" : String.format(java.util.Locale.ROOT, "%.0f cells/s", 1e9 / nanosPerCell))
                + ", tolerance " + toleranceNanos / 1000 + " us]";
    }
}
