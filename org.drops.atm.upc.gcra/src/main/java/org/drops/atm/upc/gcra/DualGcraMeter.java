package org.drops.atm.upc.gcra;

import java.math.BigInteger;
import org.drops.atm.api.policing.Meter;

/**
 * Dual GCRA for rt-VBR and nrt-VBR (TM 4.0 VBR.1; ATM-FACTS §4.2): a PDU conforms only if it conforms to
 * GCRA(1/PCR, CDVT) and to GCRA(1/SCR, BT + CDVT), with the burst tolerance
 * {@code BT = (MBS − 1)·(1/SCR − 1/PCR)}; a non-conforming PDU updates neither. The answered wait is the larger
 * of the two exact waits (neither changes while the PDU waits), so it is exact too.
 *
 * <p>Threading: one thread. Allocation: none.
 */
final class DualGcraMeter implements Meter {

    private final Gcra peak;
    private final Gcra sustained;

    DualGcraMeter(Gcra peak, Gcra sustained) {
        this.peak = peak;
        this.sustained = sustained;
    }

    /**
     * BT = (MBS − 1)(1/SCR − 1/PCR) in whole nanoseconds, rounded down: a tolerance a fraction of a nanosecond
     * short never grants early and leaves the long-run rate exact.
     */
    static long burstToleranceNanos(long mbsCells, long scrCellsPerSecond, long pcrCellsPerSecond) {
        if (mbsCells <= 1 || pcrCellsPerSecond <= scrCellsPerSecond) {
            return 0;
        }
        BigInteger numerator = BigInteger.valueOf(mbsCells - 1)
                .multiply(BigInteger.valueOf(pcrCellsPerSecond - scrCellsPerSecond))
                .multiply(BigInteger.valueOf(Gcra.NANOS_PER_SECOND));
        BigInteger bt = numerator.divide(BigInteger.valueOf(scrCellsPerSecond).multiply(BigInteger.valueOf(pcrCellsPerSecond)));
        return bt.min(BigInteger.valueOf(Gcra.MAX_TOLERANCE_NANOS)).longValueExact();
    }

    @Override
    public long conform(long nowNanos, int cells) {
        long wait = Math.max(peak.waitNanos(nowNanos), sustained.waitNanos(nowNanos));
        if (wait == CONFORMING) {
            peak.charge(nowNanos, cells);
            sustained.charge(nowNanos, cells);
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
        return Math.min(peak.availableCells(nowNanos), sustained.availableCells(nowNanos));
    }

    Gcra peak() {
        return peak;
    }

    Gcra sustained() {
        return sustained;
    }

    @Override
    public String toString() {
        return "dual GCRA meter: peak " + peak + ", sustained " + sustained;
    }
}
