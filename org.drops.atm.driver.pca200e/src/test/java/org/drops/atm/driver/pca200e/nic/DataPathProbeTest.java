package org.drops.atm.driver.pca200e.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.drops.atm.api.device.PduCostProbe.DataPathCost;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.driver.pca200e.CostProbe;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The whole-path probe: its pacing arithmetic, and that it measures a real path whose cost grows with the PDU. */
class DataPathProbeTest {

    private final DataPathProbe probe = new DataPathProbe(CellRates.OC3_CELLS_PER_SECOND, 64);

    @Test
    void pdusAreSpacedByAtLeastTheMinimumAndTheirLineTimeWithRoom() {
        // one cell: 2.83 µs on the line, so the minimum gap applies
        assertEquals(DataPathProbe.MIN_PDU_INTERVAL_NANOS, probe.pduIntervalNanos(40));
        // 65535 bytes: 1366 cells, 3.87 ms on the line at OC-3; the gap is twice that
        long gap = probe.pduIntervalNanos(65535);
        assertEquals(DataPathProbe.LINE_TIME_FACTOR * 1366 * 1e9 / CellRates.OC3_CELLS_PER_SECOND, gap, 1.0);
        assertTrue(gap > DataPathProbe.MIN_PDU_INTERVAL_NANOS);
        // the CBR rate that gives that gap, never above the line rate
        int pcr = probe.pacingCellsPerSecond(65535);
        assertEquals(1366 * 1e9 / gap, pcr, 1.0);
        assertTrue(pcr < CellRates.OC3_CELLS_PER_SECOND);
        assertEquals(1e9 / DataPathProbe.MIN_PDU_INTERVAL_NANOS, probe.pacingCellsPerSecond(40), 1, "one cell per gap");
    }

    @Test
    void theWholePathCostsMoreForLargerPdusAndMoreThanTheWorkAlone() throws InterruptedException {
        // A JVM without thread CPU time has no whole-path measurement to test: the probe then answers null and admission
        // control keeps the per-PDU work model and says so (CpuCalibrationTest covers that fallback). HotSpot on Linux,
        // which CI runs, supports it, so there the test always runs.
        Assumptions.assumeTrue(DataPathProbe.supported(), "this JVM does not measure thread CPU time: nothing to measure");
        // With no engine share given, transmit + receive is all five threads' CPU per PDU. The smaller of three runs
        // each: other work on the machine only adds (cache misses, interrupts). Thread CPU time, not wall time.
        double small = Double.MAX_VALUE;
        double large = Double.MAX_VALUE;
        double smallTx = Double.MAX_VALUE;
        double smallRx = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            DataPathCost s = probe.measure(40, 24, 0);
            DataPathCost l = probe.measure(65535, 24, 0);
            small = Math.min(small, s.transmitNanosPerPdu() + s.receiveNanosPerPdu());
            large = Math.min(large, l.transmitNanosPerPdu() + l.receiveNanosPerPdu());
            smallTx = Math.min(smallTx, s.transmitNanosPerPdu());
            smallRx = Math.min(smallRx, s.receiveNanosPerPdu());
        }
        System.out.printf("whole path, CPU per PDU: 40 B %.0f ns (tx %.0f, rx %.0f); 65535 B %.0f ns%n", small, smallTx,
                smallRx, large);
        // every PDU wakes the sender and the reader at least: each side costs something even for one cell
        assertTrue(smallTx > 0 && smallRx > 0, smallTx + " " + smallRx);
        // 1366 cells against one: segmentation, 22 line batches, reassembly and two 64-KiB copies
        assertTrue(large > small, "40 B: " + small + " ns, 65535 B: " + large + " ns");
        // and the whole path contains the work alone (scratch probe, caller's thread only), both directions
        CostProbe work = new CostProbe();
        double workLarge = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            workLarge = Math.min(workLarge, work.transmitNanosPerPdu(65535, 20) + work.receiveNanosPerPdu(65535, 20));
        }
        assertTrue(large > workLarge, "whole path " + large + " ns vs the work alone " + workLarge + " ns");
    }

    @Test
    void theLineThreadIsSplitByTheReceiveEnginesShare() {
        // per PDU: writer and sender 3000, line 2500, interrupt thread and reader 500
        DataPathProbe.Run loop = new DataPathProbe.Run(6_000, 5_000, 1_000, 2);
        DataPathCost cost = DataPathProbe.split(loop, 1_000);
        assertEquals(3_000 + 1_500, cost.transmitNanosPerPdu());
        assertEquals(500 + 1_000, cost.receiveNanosPerPdu());
        // the engine's share is never more than the line thread used, nor less than nothing
        DataPathCost all = DataPathProbe.split(loop, 9_999);
        assertEquals(3_000, all.transmitNanosPerPdu());
        assertEquals(500 + 2_500, all.receiveNanosPerPdu());
        assertEquals(500, DataPathProbe.split(loop, -1).receiveNanosPerPdu());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> probe.measure(65536, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> probe.measure(40, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new DataPathProbe(Double.POSITIVE_INFINITY, 64));
        assertThrows(IllegalArgumentException.class, () -> new DataPathProbe(353207, 0));
    }
}
