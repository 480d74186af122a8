package org.drops.atm.upc.gcra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.drops.atm.api.policing.Meter;
import org.junit.jupiter.api.Test;

/** GCRA(T, τ) by virtual scheduling (ITU-T I.371; ATM-FACTS §4.1). */
class GcraTest {

    /** T = 10 ns is 10⁸ cells/s. */
    private static final long T10 = 100_000_000L;

    @Test
    void theTextbookExampleWithOneCellPerArrival() {
        // Perros: T = 10, tau = 15, arrivals 0, 12, 18, 20, 25 -> C, C, C, C, non-conforming; TAT 10, 22, 32, 42
        Gcra gcra = new Gcra(0, T10, 15);
        Meter meter = new GcraMeter(gcra);
        long[] arrivals = {0, 12, 18, 20, 25};
        long[] tatAfter = {10, 22, 32, 42, 42};
        for (int i = 0; i < arrivals.length; i++) {
            long verdict = meter.conform(arrivals[i], 1);
            if (i < 4) {
                assertEquals(Meter.CONFORMING, verdict, "arrival at " + arrivals[i]);
            } else {
                assertNotEquals(Meter.CONFORMING, verdict, "arrival at " + arrivals[i]);
                // TAT 42 > 25 + 15; it conforms once TAT <= t + 15, at t = 27
                assertEquals(2, verdict, "the exact wait");
            }
            assertEquals(tatAfter[i], gcra.theoreticalArrivalNanos(), "TAT after the arrival at " + arrivals[i]
                    + " (a non-conforming cell does not update it)");
        }
        assertEquals(1, meter.conform(26, 1));
        assertEquals(Meter.CONFORMING, meter.conform(27, 1));
        assertEquals(52, gcra.theoreticalArrivalNanos());
    }

    @Test
    void aPduCostsItsCellsAndIsCheckedAtItsFirstCell() {
        Gcra gcra = new Gcra(0, T10, 15);
        Meter meter = new GcraMeter(gcra);
        assertEquals(Meter.CONFORMING, meter.conform(0, 100), "TAT 0 <= 0 + 15");
        assertEquals(1000, gcra.theoreticalArrivalNanos());
        assertEquals(1000 - 15 - 500, meter.conform(500, 1));
        assertEquals(Meter.CONFORMING, meter.conform(985, 3));
        assertEquals(1030, gcra.theoreticalArrivalNanos());
    }

    @Test
    void aRateThatIsNotAWholeNumberOfNanosecondsPerCellIsKeptExactly() {
        // 3 cells/s: T = 333333333.33 ns; a greedy source sends 3·10⁶ cells, each at the first nanosecond it
        // conforms; their TAT reaches exactly 10⁶ s, nothing lost to rounding
        Gcra gcra = new Gcra(0, 3, 1000);
        long t = 0;
        for (int i = 0; i < 3_000_000; i++) {
            t += gcra.waitNanos(t);
            gcra.charge(t, 1);
        }
        assertEquals(1_000_000L * 1_000_000_000L, gcra.theoreticalArrivalNanos());
        assertEquals(999_999_666_665_667L, t, "the last cell at ⌈(3·10⁶ − 1)·T − τ⌉");
    }

    @Test
    void anIdleSourceEarnsNoCreditBeyondTheTolerance() {
        Gcra gcra = new Gcra(0, T10, 25);
        Meter meter = new GcraMeter(gcra);
        int conforming = 0;
        while (meter.conform(1_000_000, 1) == Meter.CONFORMING) {
            conforming++;
        }
        assertEquals(1 + 25 / 10, conforming, "N = 1 + ⌊τ/T⌋ back-to-back cells");
        assertEquals(0, gcra.availableCells(1_000_000));
    }

    @Property(tries = 300)
    void theAnsweredWaitIsTheExactFirstConformingNanosecond(@ForAll @IntRange(min = 1) int rate,
            @ForAll @LongRange(min = 0, max = 10_000_000_000L) long tolerance,
            @ForAll @IntRange(min = 1, max = 1366) int cells, @ForAll @IntRange(min = 1, max = 40) int pdus,
            @ForAll @LongRange(min = 0, max = 1_000_000) long gap) {
        Gcra a = new Gcra(0, rate, tolerance);
        Gcra b = new Gcra(0, rate, tolerance);
        long t = 0;
        for (int i = 0; i < pdus; i++) {
            if (a.waitNanos(t) == 0) {
                a.charge(t, cells);
                b.charge(t, cells);
            }
            t += gap;
        }
        long wait = a.waitNanos(t);
        if (wait > 0) {
            assertNotEquals(0, b.waitNanos(t + wait - 1), "one nanosecond early");
        }
        assertEquals(0, b.waitNanos(t + wait));
    }
}
