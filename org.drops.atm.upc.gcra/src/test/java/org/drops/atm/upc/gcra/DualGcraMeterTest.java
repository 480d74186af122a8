package org.drops.atm.upc.gcra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.junit.jupiter.api.Test;

/** Dual GCRA for VBR (TM 4.0 VBR.1; ATM-FACTS §4.2): PCR with CDVT, SCR with BT + CDVT. */
class DualGcraMeterTest {

    @Test
    void burstToleranceIsMbsMinusOneTimesTheDifferenceOfTheIncrements() {
        // PCR 10⁶ (T 1000 ns), SCR 250000 (Ts 4000 ns), MBS 5: BT = 4 · 3000 ns
        assertEquals(12_000, DualGcraMeter.burstToleranceNanos(5, 250_000, 1_000_000));
        assertEquals(0, DualGcraMeter.burstToleranceNanos(1, 250_000, 1_000_000), "MBS 1: no burst");
        assertEquals(0, DualGcraMeter.burstToleranceNanos(100, 1000, 1000), "SCR = PCR: no burst");
        // (100 − 1)(1/3 − 1/7) s = 18.857142857 s, rounded down to the ns
        assertEquals(18_857_142_857L, DualGcraMeter.burstToleranceNanos(100, 3, 7));
        assertEquals(Gcra.MAX_TOLERANCE_NANOS, DualGcraMeter.burstToleranceNanos(Integer.MAX_VALUE, 1, Integer.MAX_VALUE));
    }

    @Test
    void exactlyMbsCellsConformBackToBackAtThePeakRate() {
        Meter meter = new DualGcraMeter(new Gcra(0, 1_000_000, 0), new Gcra(0, 250_000, 12_000));
        for (int i = 0; i < 5; i++) {
            assertEquals(Meter.CONFORMING, meter.conform(i * 1000L, 1), "cell " + i + " of the burst");
        }
        // the sustained bucket: TAT 20000 > 5000 + 12000; conforming at 8000 ns
        assertEquals(3000, meter.conform(5000, 1));
        assertEquals(Meter.CONFORMING, meter.conform(8000, 1));
    }

    @Test
    void thePeakBucketSpacesCellsEvenInsideTheBurstTolerance() {
        Meter meter = new DualGcraMeter(new Gcra(0, 1_000_000, 0), new Gcra(0, 250_000, 12_000));
        assertEquals(Meter.CONFORMING, meter.conform(0, 1));
        assertEquals(1000, meter.conform(0, 1), "PCR: the next cell 1000 ns later");
        assertEquals(500, meter.conform(500, 1));
    }

    @Test
    void aNonConformingPduUpdatesNeitherBucket() {
        DualGcraMeter meter = new DualGcraMeter(new Gcra(0, 1_000_000, 0), new Gcra(0, 250_000, 12_000));
        meter.conform(0, 1);
        long peak = meter.peak().theoreticalArrivalNanos();
        long sustained = meter.sustained().theoreticalArrivalNanos();
        meter.conform(10, 1);
        assertEquals(peak, meter.peak().theoreticalArrivalNanos());
        assertEquals(sustained, meter.sustained().theoreticalArrivalNanos());
    }

    @Test
    void thePolicyBuildsTheDualGcraFromTheContract() {
        TrafficParameters vbr = TrafficParameters.builder(TrafficClass.RT_VBR).pcrCps(1_000_000).scrCps(250_000)
                .mbsCells(5).maxCdvMicros(3).build();
        DualGcraMeter meter = assertInstanceOf(DualGcraMeter.class,
                new GcraPolicy().newMeter(vbr, Aal.AAL5, Direction.TRANSMIT, 0));
        assertEquals(3_000, meter.peak().toleranceNanos(), "CDVT");
        assertEquals(15_000, meter.sustained().toleranceNanos(), "BT + CDVT");
        assertEquals(1_000_000, meter.peak().cellsPerSecond());
        assertEquals(250_000, meter.sustained().cellsPerSecond());
        assertEquals(0, meter.intervalNanos());
        assertEquals(42, meter.nextIntervalStartNanos(42), "no intervals: the core may switch at any time");
    }
}
