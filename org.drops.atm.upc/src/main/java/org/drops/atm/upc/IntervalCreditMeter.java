package org.drops.atm.upc;

import org.drops.atm.api.policing.Meter;

/**
 * The paper's meter (§2.5, §3.2) for a contract with one rate: CBR at its peak cell rate, or UBR with a
 * peak cell rate. At each interval start the connection receives fresh credit (C cells, C/R being the
 * interval); a PDU conforms while the credit left covers its cells, and is charged; otherwise the answer is the
 * time until the next interval starts. Credit left at an interval's end is lost (oblivious, no carry-over).
 *
 * <p>Cost: inside a known interval, three comparisons and a subtraction; entering the next interval, a few
 * additions. Threading: one thread. Allocation: none.
 */
final class IntervalCreditMeter implements Meter {

    private final IntervalSchedule schedule;
    private final long creditPerInterval;
    /** Copy of schedule.endNanos(), so the common path reads only this object's fields. */
    private long endNanos;
    private long creditCells;

    IntervalCreditMeter(IntervalSchedule schedule) {
        this.schedule = schedule;
        this.creditPerInterval = schedule.creditCells();
        this.endNanos = schedule.endNanos();
    }

    @Override
    public long conform(long nowNanos, int cells) {
        if (cells > creditPerInterval) {
            return NEVER;
        }
        if (nowNanos - endNanos >= 0) {
            // paper 2.5: a new interval, fresh credit; what was left of the old one is lost
            endNanos = schedule.moveTo(nowNanos);
            creditCells = creditPerInterval;
        }
        if (cells <= creditCells) {
            creditCells -= cells;
            return CONFORMING;
        }
        return endNanos - nowNanos;
    }

    @Override
    public long nextIntervalStartNanos(long nowNanos) {
        return schedule.nextStartAfter(nowNanos);
    }

    @Override
    public long intervalNanos() {
        return schedule.intervalNanos();
    }

    @Override
    public long creditCellsPerInterval() {
        return creditPerInterval;
    }

    @Override
    public long availableCells(long nowNanos) {
        return nowNanos - endNanos >= 0 ? creditPerInterval : creditCells;
    }

    @Override
    public String toString() {
        return "interval-credit meter: " + schedule;
    }
}
