package org.drops.atm.upc.gcra;

/**
 * GCRA(T, τ) by virtual scheduling (ITU-T I.371; ATM-FACTS §4.1), one PDU at a time, a PDU of n cells costing
 * n·T: a PDU arriving at t conforms if {@code TAT ≤ t + τ}, and then {@code TAT = max(TAT, t) + n·T}; a
 * non-conforming PDU leaves TAT unchanged. With one cell per PDU this is the textbook cell-level algorithm.
 *
 * <p><b>Exact arithmetic.</b> T = 10⁹/R ns is rarely a whole number, so TAT is kept as
 * {@code tatNanos + tatFraction/R} with {@code 0 ≤ tatFraction < R}: adding n·T adds {@code n·⌊10⁹/R⌋} ns and
 * {@code n·(10⁹ mod R)} R-ths of a ns. The long-run rate is exactly R at any rate, and the answered wait is the
 * exact smallest whole nanosecond at which the PDU conforms. The increment of the last PDU size is cached, so
 * the common case (a stream of PDUs of one size) divides nothing.
 *
 * <p>Threading: the owning meter's one thread. Allocation: none.
 */
final class Gcra {

    static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Tolerances are capped here so that no comparison of times can overflow (about 36 years). */
    static final long MAX_TOLERANCE_NANOS = Long.MAX_VALUE / 8;

    private final long cellsPerSecond;
    private final long incrementNanos;
    private final long incrementRemainder;
    private final long toleranceNanos;

    /** Theoretical arrival time: tatNanos + tatFraction / cellsPerSecond. */
    private long tatNanos;
    private long tatFraction;

    private int lastCells;
    private long lastIncrementNanos;
    private long lastIncrementFraction;

    /**
     * @param startNanos     the connection's start: the initial TAT (the first PDU at or after it conforms)
     * @param cellsPerSecond R = 1/T
     * @param toleranceNanos τ (capped at {@link #MAX_TOLERANCE_NANOS})
     */
    Gcra(long startNanos, long cellsPerSecond, long toleranceNanos) {
        if (cellsPerSecond <= 0) {
            throw new IllegalArgumentException("cellsPerSecond must be positive, not " + cellsPerSecond);
        }
        if (toleranceNanos < 0) {
            throw new IllegalArgumentException("toleranceNanos must not be negative, not " + toleranceNanos);
        }
        this.cellsPerSecond = cellsPerSecond;
        this.incrementNanos = NANOS_PER_SECOND / cellsPerSecond;
        this.incrementRemainder = NANOS_PER_SECOND % cellsPerSecond;
        this.toleranceNanos = Math.min(toleranceNanos, MAX_TOLERANCE_NANOS);
        this.tatNanos = startNanos;
        this.lastCells = 1;
        this.lastIncrementNanos = incrementNanos;
        this.lastIncrementFraction = incrementRemainder;
    }

    /** 0 if a PDU arriving at {@code nowNanos} conforms, else the exact nanoseconds until it would. */
    long waitNanos(long nowNanos) {
        long ahead = tatNanos - nowNanos;
        if (ahead < toleranceNanos || ahead == toleranceNanos && tatFraction == 0) {
            return 0;
        }
        // smallest whole t with TAT <= t + tau: t = tatNanos - tau, plus one if TAT has a fraction
        return ahead - toleranceNanos + (tatFraction == 0 ? 0 : 1);
    }

    /** Charges a PDU of {@code cells} that {@link #waitNanos} has just found conforming at {@code nowNanos}. */
    void charge(long nowNanos, int cells) {
        if (tatNanos - nowNanos < 0) {
            // TAT = max(TAT, t): an idle source earns no credit beyond tau (I.371)
            tatNanos = nowNanos;
            tatFraction = 0;
        }
        if (cells != lastCells) {
            long fraction = (long) cells * incrementRemainder;
            lastIncrementNanos = cells * incrementNanos + fraction / cellsPerSecond;
            lastIncrementFraction = fraction % cellsPerSecond;
            lastCells = cells;
        }
        tatNanos += lastIncrementNanos;
        long fraction = tatFraction + lastIncrementFraction;
        if (fraction >= cellsPerSecond) {
            fraction -= cellsPerSecond;
            tatNanos++;
        }
        tatFraction = fraction;
    }

    /**
     * The burst room at {@code nowNanos}, for display: how many single cells would conform back to back now
     * ({@code 1 + ⌊(t + τ − max(TAT, t)) / T⌋}), 0 if a PDU would not conform. A PDU of any size conforms when this
     * is positive.
     */
    long availableCells(long nowNanos) {
        if (waitNanos(nowNanos) != 0) {
            return 0;
        }
        double tat = Math.max(tatNanos + (double) tatFraction / cellsPerSecond, nowNanos);
        double slackNanos = nowNanos + (double) toleranceNanos - tat;
        return 1 + (long) Math.floor(slackNanos * cellsPerSecond / NANOS_PER_SECOND);
    }

    long cellsPerSecond() {
        return cellsPerSecond;
    }

    long toleranceNanos() {
        return toleranceNanos;
    }

    /** The theoretical arrival time, rounded up to a whole nanosecond (for tests and display). */
    long theoreticalArrivalNanos() {
        return tatNanos + (tatFraction == 0 ? 0 : 1);
    }

    @Override
    public String toString() {
        return "GCRA(T = 1/" + cellsPerSecond + " s, tau = " + toleranceNanos + " ns)";
    }
}
