package org.drops.atm.upc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.drops.atm.api.policing.Meter;
import org.junit.jupiter.api.Test;

/** Paper §2.5 on a simulated clock: 10 cells of credit per interval of 1 ms (10000 cells/s), PDUs of 3 cells. */
class IntervalCreditMeterTest {

    private static final long MS = 1_000_000L;
    private static final long START = 5 * MS;

    private final Meter meter = new IntervalCreditMeter(new IntervalSchedule(START, 10, 10_000));

    @Test
    void pdusConformWhileTheIntervalsCreditCoversThem() {
        assertEquals(Meter.CONFORMING, meter.conform(START, 3));
        assertEquals(Meter.CONFORMING, meter.conform(START + 100, 3));
        assertEquals(Meter.CONFORMING, meter.conform(START + 200, 3));
        assertEquals(1, meter.availableCells(START + 300));
        assertEquals(Meter.CONFORMING, meter.conform(START + 300, 1));
        assertEquals(0, meter.availableCells(START + 300));
    }

    @Test
    void nonConformingWriterIsToldToWaitExactlyUntilTheNextIntervalStartAndIsNotCharged() {
        for (int i = 0; i < 3; i++) {
            meter.conform(START, 3);
        }
        assertEquals(MS - 400_000, meter.conform(START + 400_000, 3), "wait until the interval ends");
        assertEquals(1, meter.availableCells(START + 400_000), "a refused PDU is not charged");
        assertEquals(Meter.CONFORMING, meter.conform(START + 400_000, 1));
        assertEquals(1, meter.conform(START + MS - 1, 3), "one nanosecond before the next interval");
        assertEquals(Meter.CONFORMING, meter.conform(START + MS, 3), "at the next interval start");
    }

    @Test
    void creditsDoNotCarryOver() {
        meter.conform(START, 3); // 7 cells left, lost at the interval end
        assertEquals(10, meter.availableCells(START + MS), "fresh credit, not 17");
        // an idle connection earns nothing either: after five idle intervals, one interval's credit
        long later = START + 6 * MS + 17;
        assertEquals(10, meter.availableCells(later));
        for (int i = 0; i < 3; i++) {
            assertEquals(Meter.CONFORMING, meter.conform(later, 3));
        }
        assertEquals(START + 7 * MS - later, meter.conform(later, 3));
    }

    @Test
    void aPduLargerThanAnIntervalsCreditCanNeverConform() {
        assertEquals(Meter.NEVER, meter.conform(START, 11));
        assertEquals(Meter.NEVER, meter.conform(START + 50 * MS, 11), "not at any later time either");
        assertEquals(10, meter.availableCells(START + 50 * MS), "and it was not charged");
        assertEquals(Meter.CONFORMING, meter.conform(START + 50 * MS, 10));
    }

    @Test
    void beforeTheConnectionStartsNothingConforms() {
        assertEquals(0, meter.availableCells(START - 1));
        assertEquals(3 * MS, meter.conform(START - 3 * MS, 3));
        assertEquals(Meter.CONFORMING, meter.conform(START, 3));
    }

    @Test
    void intervalBoundariesFollowTheAbsoluteSchedule() {
        assertEquals(MS, meter.intervalNanos());
        assertEquals(10, meter.creditCellsPerInterval());
        assertEquals(START, meter.nextIntervalStartNanos(0));
        assertEquals(START + MS, meter.nextIntervalStartNanos(START));
        assertEquals(START + 1_000_000 * MS, meter.nextIntervalStartNanos(START + 999_999 * MS + 1));
    }

    @Test
    void aWaitNeverEndsBeforeFreshCreditArrivesOnANonIntegralInterval() {
        // 7 cells at 3 cells/s: 2.333... s per interval; starts at 0, 2333333334, 4666666667, 7000000000 ns
        Meter m = new IntervalCreditMeter(new IntervalSchedule(0, 7, 3));
        assertEquals(Meter.CONFORMING, m.conform(0, 7));
        long wait = m.conform(0, 1);
        assertEquals(2_333_333_334L, wait);
        assertEquals(Meter.CONFORMING, m.conform(wait, 7));
        assertEquals(4_666_666_667L - wait, m.conform(wait, 1));
        assertEquals(7_000_000_000L, m.nextIntervalStartNanos(4_666_666_667L));
    }
}
