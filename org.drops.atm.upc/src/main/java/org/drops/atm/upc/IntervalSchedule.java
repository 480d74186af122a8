package org.drops.atm.upc;

/**
 * The absolute schedule of a connection's control intervals (paper §2.5) and a cursor on it.
 *
 * <p>Every interval carries the same credit, C cells, and lasts exactly as long as the rate R needs for it:
 * I = C/R seconds. Interval k starts at {@code start + ⌈k·C·10⁹/R⌉} ns: computed from the connection's start,
 * never by adding up rounded intervals, and rounded up so that no interval starts early. The credit of the
 * first n intervals is n·C and they start by {@code start + (n−1)·I}, so the long-run rate is exactly R,
 * however short the interval: nothing accumulates (the paper's "very short intervals additionally suffer from
 * rounding errors" does not apply).
 *
 * <p>Arithmetic: {@code C·10⁹ = q·R + r} with {@code 0 ≤ r < R ≤ 2³¹}, so the exact start of interval k is
 * {@code k·q + k·r/R} ns past the start; the cursor keeps the end of the current interval as whole nanoseconds
 * plus a remainder in R-ths of a nanosecond and steps to the next interval with additions only. An idle gap of
 * several intervals costs a few divisions, once.
 *
 * <p>Threading: the owning meter's one thread. Allocation: none after construction.
 */
final class IntervalSchedule {

    static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long startNanos;
    private final long creditCells;
    private final long cellsPerSecond;
    /** q = ⌊C·10⁹/R⌋: whole nanoseconds of one interval. */
    private final long wholeNanos;
    /** r = C·10⁹ mod R: the rest of one interval, in R-ths of a nanosecond. */
    private final long remainder;
    private final double nanosPerInterval;

    /** The interval the cursor is in; -1 before the start. */
    private long index = -1;
    /** Start of the cursor's interval (for -1: the schedule's start). */
    private long currentStartNanos;
    /** Exact end of the cursor's interval: endWhole + endFraction/R, 0 ≤ endFraction < R. */
    private long endWhole;
    private long endFraction;

    /**
     * @param creditCells    C, the credit of every interval (&gt; 0)
     * @param cellsPerSecond R (1 .. 2³¹−1)
     */
    IntervalSchedule(long startNanos, long creditCells, long cellsPerSecond) {
        if (creditCells <= 0) {
            throw new IllegalArgumentException("creditCells must be positive, not " + creditCells);
        }
        if (cellsPerSecond <= 0 || cellsPerSecond > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cellsPerSecond must be 1.." + Integer.MAX_VALUE + ", not " + cellsPerSecond);
        }
        long numerator = Math.multiplyExact(creditCells, NANOS_PER_SECOND);
        this.startNanos = startNanos;
        this.creditCells = creditCells;
        this.cellsPerSecond = cellsPerSecond;
        this.wholeNanos = numerator / cellsPerSecond;
        this.remainder = numerator % cellsPerSecond;
        this.nanosPerInterval = (double) numerator / cellsPerSecond;
        this.endWhole = startNanos;
        this.currentStartNanos = startNanos;
    }

    /** The start of interval {@code k} (≥ 0): {@code start + ⌈k·C/R⌉}. */
    long startOf(long k) {
        long carried = k % cellsPerSecond * remainder;
        return startNanos + k * wholeNanos + k / cellsPerSecond * remainder + carried / cellsPerSecond
                + (carried % cellsPerSecond == 0 ? 0 : 1);
    }

    /** The interval containing {@code nowNanos}, or -1 before the start; no state changes. */
    long indexOf(long nowNanos) {
        if (nowNanos - startNanos < 0) {
            return -1;
        }
        long k = (long) ((nowNanos - startNanos) / nanosPerInterval);
        while (k > 0 && startOf(k) - nowNanos > 0) {
            k--;
        }
        while (startOf(k + 1) - nowNanos <= 0) {
            k++;
        }
        return k;
    }

    /** The end of the cursor's interval (the next one's start), rounded up to a whole nanosecond. */
    long endNanos() {
        return endWhole + (endFraction == 0 ? 0 : 1);
    }

    /**
     * Moves the cursor to the interval containing {@code nowNanos} (which is at or past {@link #endNanos()})
     * and returns that interval's end. The next interval costs additions; a gap costs a few divisions.
     */
    long moveTo(long nowNanos) {
        currentStartNanos = endNanos();
        index++;
        endWhole += wholeNanos;
        endFraction += remainder;
        if (endFraction >= cellsPerSecond) {
            endFraction -= cellsPerSecond;
            endWhole++;
        }
        if (nowNanos - endNanos() >= 0) {
            jumpTo(indexOf(nowNanos));
        }
        return endNanos();
    }

    private void jumpTo(long k) {
        long next = k + 1;
        long carried = next % cellsPerSecond * remainder;
        index = k;
        currentStartNanos = startOf(k);
        endWhole = startNanos + next * wholeNanos + next / cellsPerSecond * remainder + carried / cellsPerSecond;
        endFraction = carried % cellsPerSecond;
    }

    /** The start of the cursor's interval. */
    long currentStartNanos() {
        return currentStartNanos;
    }

    /** The cursor's interval; -1 before the start. */
    long index() {
        return index;
    }

    long startNanos() {
        return startNanos;
    }

    long creditCells() {
        return creditCells;
    }

    long cellsPerSecond() {
        return cellsPerSecond;
    }

    /** The interval rounded up to a whole nanosecond (the exact length is C/R s). */
    long intervalNanos() {
        return wholeNanos + (remainder == 0 ? 0 : 1);
    }

    /** The first interval start after {@code nowNanos}. */
    long nextStartAfter(long nowNanos) {
        return startOf(indexOf(nowNanos) + 1);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d cells per interval at %d cells/s (%.6f ms)", creditCells, cellsPerSecond,
                nanosPerInterval / 1e6);
    }
}
