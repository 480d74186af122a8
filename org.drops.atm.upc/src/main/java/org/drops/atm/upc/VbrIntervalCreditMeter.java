package org.drops.atm.upc;

import org.drops.atm.api.policing.Meter;

/**
 * Interval credits for rt-VBR and nrt-VBR: SCR over the control interval, PCR as a ceiling on the burst.
 *
 * <p>Definition. The <em>sustained</em> interval carries C<sub>s</sub> = N·c cells (N PDUs of c cells, N chosen
 * by the delay-variation tolerance as for CBR) and lasts C<sub>s</sub>/SCR. It is cut into m equal
 * <em>peak sub-intervals</em>, each carrying C<sub>p</sub> = b·c cells: b PDUs, the contract's burst
 * ({@code ⌊MBS/c⌋}, at least one PDU). The policy chooses m as large as PCR allows,
 * {@code m·C_p ≤ PCR·(C_s/SCR)}, i.e. no sub-interval's credit exceeds what PCR delivers in it, and never so
 * large that {@code m·b < N} (then the sub-intervals could not pass the sustained credit). A PDU conforms if it
 * fits both the sustained and the sub-interval credit, and is charged to both; neither kind of credit carries
 * over. So the long-run rate is exactly SCR, a burst is at most b PDUs per sub-interval, and the rate over a
 * sub-interval is at most PCR.
 *
 * <p>The answered wait is exact: if the sustained credit is short, both credits are fresh at the next
 * sustained interval start (also a sub-interval start); if only the sub-interval credit is short, the next
 * sub-interval brings it while the sustained credit, untouched, still suffices.
 *
 * <p>Sub-interval k of a sustained interval [s, e) starts at {@code s + ⌈k·(e−s)/m⌉}: boundaries are whole
 * nanoseconds, exact within the interval, and coincide with the sustained boundaries.
 *
 * <p>Threading: one thread. Allocation: none.
 */
final class VbrIntervalCreditMeter implements Meter {

    private final IntervalSchedule sustained;
    private final long sustainedCredit;
    private final long subIntervals;
    private final long peakCredit;

    private long sustainedEndNanos;
    private long sustainedStartNanos;
    private long sustainedCells;
    // the current sustained interval's length L = lengthWhole·m + lengthRest; sub-interval ends step by L/m
    private long lengthWhole;
    private long lengthRest;
    private long subIndex;
    private long subEndWhole;
    private long subEndFraction; // in m-ths of a nanosecond
    private long subEndNanos;
    private long peakCells;

    /**
     * @param subIntervals m, the peak sub-intervals per sustained interval (1 .. 2³¹−1, at most the interval's
     *                     length in ns)
     * @param peakCredit   C<sub>p</sub>, cells per sub-interval (1 .. the sustained credit)
     */
    VbrIntervalCreditMeter(IntervalSchedule sustained, long subIntervals, long peakCredit) {
        if (subIntervals < 1 || subIntervals > Integer.MAX_VALUE || subIntervals > sustained.intervalNanos() - 1) {
            throw new IllegalArgumentException("subIntervals must be 1 .. " + Math.min(Integer.MAX_VALUE,
                    sustained.intervalNanos() - 1) + ", not " + subIntervals);
        }
        if (peakCredit < 1 || peakCredit > sustained.creditCells()) {
            throw new IllegalArgumentException("peakCredit must be 1 .. " + sustained.creditCells() + ", not " + peakCredit);
        }
        this.sustained = sustained;
        this.sustainedCredit = sustained.creditCells();
        this.subIntervals = subIntervals;
        this.peakCredit = peakCredit;
        this.sustainedEndNanos = sustained.endNanos();
        this.sustainedStartNanos = sustained.startNanos();
        this.subEndNanos = sustainedEndNanos;
    }

    @Override
    public long conform(long nowNanos, int cells) {
        if (cells > peakCredit) {
            return NEVER;
        }
        if (nowNanos - subEndNanos >= 0) {
            enter(nowNanos);
        }
        if (cells > sustainedCells) {
            return sustainedEndNanos - nowNanos;
        }
        if (cells > peakCells) {
            return subEndNanos - nowNanos;
        }
        sustainedCells -= cells;
        peakCells -= cells;
        return CONFORMING;
    }

    /** Fresh sub-interval credit, and fresh sustained credit if a sustained interval began (paper 2.5). */
    private void enter(long nowNanos) {
        if (nowNanos - sustainedEndNanos >= 0) {
            sustainedEndNanos = sustained.moveTo(nowNanos);
            sustainedStartNanos = sustained.currentStartNanos();
            sustainedCells = sustainedCredit;
            long length = sustainedEndNanos - sustainedStartNanos;
            lengthWhole = length / subIntervals;
            lengthRest = length % subIntervals;
            subIndex = -1;
            subEndWhole = sustainedStartNanos;
            subEndFraction = 0;
        }
        subIndex++;
        subEndWhole += lengthWhole;
        subEndFraction += lengthRest;
        if (subEndFraction >= subIntervals) {
            subEndFraction -= subIntervals;
            subEndWhole++;
        }
        subEndNanos = subEndWhole + (subEndFraction == 0 ? 0 : 1);
        if (nowNanos - subEndNanos >= 0) {
            jumpToSubInterval(nowNanos);
        }
        peakCells = peakCredit;
    }

    private void jumpToSubInterval(long nowNanos) {
        long length = sustainedEndNanos - sustainedStartNanos;
        long k = (long) ((double) (nowNanos - sustainedStartNanos) / length * subIntervals);
        k = Math.max(0, Math.min(k, subIntervals - 1));
        while (k > 0 && subStart(k) - nowNanos > 0) {
            k--;
        }
        while (subStart(k + 1) - nowNanos <= 0) {
            k++;
        }
        long next = k + 1;
        subIndex = k;
        long carried = next * lengthRest;
        subEndWhole = sustainedStartNanos + next * lengthWhole + carried / subIntervals;
        subEndFraction = carried % subIntervals;
        subEndNanos = subEndWhole + (subEndFraction == 0 ? 0 : 1);
    }

    /** Start of sub-interval k (0 .. m) of the current sustained interval. */
    private long subStart(long k) {
        long carried = k * lengthRest;
        return sustainedStartNanos + k * lengthWhole + carried / subIntervals + (carried % subIntervals == 0 ? 0 : 1);
    }

    @Override
    public long nextIntervalStartNanos(long nowNanos) {
        return sustained.nextStartAfter(nowNanos);
    }

    @Override
    public long intervalNanos() {
        return sustained.intervalNanos();
    }

    @Override
    public long creditCellsPerInterval() {
        return sustainedCredit;
    }

    /** m: peak sub-intervals per sustained interval. */
    long subIntervals() {
        return subIntervals;
    }

    /** C<sub>p</sub>: the credit of a peak sub-interval, the largest burst. */
    long peakCreditCells() {
        return peakCredit;
    }

    @Override
    public long availableCells(long nowNanos) {
        if (nowNanos - sustainedEndNanos >= 0) {
            return peakCredit;
        }
        if (nowNanos - subEndNanos >= 0) {
            return Math.min(sustainedCells, peakCredit);
        }
        return Math.min(sustainedCells, peakCells);
    }

    @Override
    public String toString() {
        return "VBR interval-credit meter: sustained " + sustained + ", " + subIntervals + " sub-intervals of "
                + peakCredit + " cells";
    }
}
