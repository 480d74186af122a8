package org.drops.atm.upc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.junit.jupiter.api.Test;

/**
 * SCR over the interval, PCR as a ceiling on the burst. Contract: PDUs of 10 cells (max_sdu 472), SCR 10000
 * cells/s, PCR 40000 cells/s, MBS 20 cells, default tolerance: 10 PDUs = 100 cells per 10 ms sustained
 * interval; bursts of 2 PDUs; m = ⌊10·40000/(10000·2)⌋ = 20 sub-intervals of 0.5 ms and 20 cells each, so a
 * sub-interval never carries more than PCR × 0.5 ms = 20 cells.
 */
class VbrIntervalCreditMeterTest {

    private static final long MS = 1_000_000L;

    private static TrafficParameters vbr(int pcr, int scr, int mbs, int maxSdu) {
        return TrafficParameters.builder(TrafficClass.RT_VBR).pcrCps(pcr).scrCps(scr).mbsCells(mbs).maxSduBytes(maxSdu).build();
    }

    private final VbrIntervalCreditMeter meter = (VbrIntervalCreditMeter) new IntervalCreditPolicy()
            .newMeter(vbr(40_000, 10_000, 20, 472), Aal.AAL5, Direction.TRANSMIT, 0);

    @Test
    void theMeterIsSizedAsDefined() {
        assertEquals(10 * MS, meter.intervalNanos());
        assertEquals(100, meter.creditCellsPerInterval());
        assertEquals(20, meter.subIntervals());
        assertEquals(20, meter.peakCreditCells());
    }

    @Test
    void aBurstStopsAtThePeakCreditAndResumesAtTheNextSubInterval() {
        assertEquals(Meter.CONFORMING, meter.conform(0, 10));
        assertEquals(Meter.CONFORMING, meter.conform(0, 10));
        assertEquals(MS / 2, meter.conform(0, 10), "the peak ceiling: wait for the next sub-interval");
        assertEquals(Meter.CONFORMING, meter.conform(MS / 2, 10));
    }

    @Test
    void theSustainedCreditStopsTheIntervalAndNeitherCarriesOver() {
        long now = 0;
        int sent = 0;
        while (true) {
            long verdict = meter.conform(now, 10);
            if (verdict == Meter.CONFORMING) {
                sent++;
            } else if (now + verdict == 10 * MS) {
                break;
            } else {
                now += verdict;
            }
        }
        assertEquals(10, sent, "SCR × interval = 10 PDUs");
        assertEquals(2 * MS, now, "5 bursts of 2 PDUs, one per 0.5 ms sub-interval: the last at 2 ms");
        assertEquals(20, meter.availableCells(10 * MS), "fresh credit of both kinds, nothing carried");
        assertEquals(Meter.NEVER, meter.conform(10 * MS, 21), "a PDU larger than a burst never conforms");
    }

    @Test
    void aPeakCloseToTheSustainedRateStillPassesTheWholeSustainedCredit() {
        // PCR = SCR: the ceiling must not cut the rate: one PDU per sub-interval, 10 sub-intervals
        Meter m = new IntervalCreditPolicy().newMeter(vbr(10_000, 10_000, 30, 472), Aal.AAL5, Direction.TRANSMIT, 0);
        assertEquals(100 * 10, SimulatedWriter.greedy(m, 0, 100 * MS, 10), "10 intervals × 100 cells");
    }

    @Test
    void aBurstAsLongAsTheIntervalNeedsNoCeiling() {
        // MBS of the whole interval's credit at a PCR below twice SCR: one sub-interval, a plain interval meter
        Meter m = new IntervalCreditPolicy().newMeter(vbr(15_000, 10_000, 1000, 472), Aal.AAL5, Direction.TRANSMIT, 0);
        assertInstanceOf(IntervalCreditMeter.class, m);
        assertEquals(100, m.creditCellsPerInterval());
    }

    @Test
    void subIntervalsMustBeAtLeastANanosecond() {
        IntervalSchedule tiny = new IntervalSchedule(0, 10, 1_000_000_000);
        assertThrows(IllegalArgumentException.class, () -> new VbrIntervalCreditMeter(tiny, 10, 1));
        assertTrue(new VbrIntervalCreditMeter(tiny, 9, 1).subIntervals() == 9);
    }
}
