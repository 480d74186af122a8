package org.drops.atm.upc.gcra;

import org.drops.atm.api.policing.Meter;

/**
 * The meter of a UBR contract without a peak cell rate: every PDU conforms (best effort is bounded by the
 * share admission control gives it and by the line, not by UPC). Stateless, so one instance serves all.
 *
 * <p>The same as in the interval-credit bundle: the two policy bundles share no private code, so that either
 * can be updated or stopped alone.
 */
final class UnlimitedMeter implements Meter {

    static final UnlimitedMeter INSTANCE = new UnlimitedMeter();

    private UnlimitedMeter() {
    }

    @Override
    public long conform(long nowNanos, int cells) {
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
        return Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "unlimited meter (UBR without a peak cell rate)";
    }
}
