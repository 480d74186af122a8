package org.drops.atm.upc;

import org.drops.atm.api.policing.Meter;

/**
 * The paper's meter (§2.5, §3.2) for a contract with one rate: CBR at its peak cell rate, or UBR with a
 * peak cell rate. At each interval start the connection receives fresh credit (C cells, C/R being the
 * interval); a PDU conforms while the credit left covers its cells, and is charged; otherwise the answer is the
 * time until the next interval starts. Credit left at an interval's end is lost (oblivious, no carry-over).
 *
 * <p>A receive meter sees the sender's intervals shifted by the path's delay and jittered by it, so a conforming
 * sender's PDUs from the end of one of its intervals and the start of the next can land in one receive
 * interval. A receive meter therefore lets a PDU borrow from the next interval's credit, at most one interval's
 * worth, which the next interval then lacks and may not borrow itself: the rate over any two intervals stays
 * bounded by the contract, and an early arrival is not dropped. A debt is forgiven when an interval passes
 * without arrivals.
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
    private final boolean mayBorrow;
    private boolean borrowingAllowed;
    private long borrowedCells;

    IntervalCreditMeter(IntervalSchedule schedule) {
        this(schedule, false);
    }

    /** @param receive a receive meter, which may borrow from the next interval (see above) */
    IntervalCreditMeter(IntervalSchedule schedule, boolean receive) {
        this.schedule = schedule;
        this.mayBorrow = receive;
        this.borrowingAllowed = receive;
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
            long previousEnd = endNanos;
            endNanos = schedule.moveTo(nowNanos);
            boolean successor = nowNanos - previousEnd < schedule.intervalNanos();
            // an interval that pays back a debt may not borrow itself: debt never rolls over
            boolean repaying = successor && borrowedCells > 0;
            creditCells = creditPerInterval - (repaying ? borrowedCells : 0);
            borrowedCells = 0;
            borrowingAllowed = mayBorrow && !repaying;
        }
        if (cells <= creditCells) {
            creditCells -= cells;
            return CONFORMING;
        }
        if (borrowingAllowed && borrowedCells + cells - creditCells <= creditPerInterval) {
            borrowedCells += cells - creditCells;
            creditCells = 0;
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
