package org.drops.atm.cac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitterConstrainedStreamTest {

    private static final long BITS_PER_8192_BYTE_SDU = 8192 * 8;
    private static final long BITS_PER_CELL = 53 * 8;

    @Test
    void thePapersExampleGivesABurstOfSixAndFiveBuffers() {
        // paper §2.4: Rmax 125 Mbit/s, Ravg 13 Mbit/s, max_sdu 8192 bytes, τ 24 ms
        JitterConstrainedStream stream = JitterConstrainedStream.of(BITS_PER_8192_BYTE_SDU, 125_000_000, 13_000_000, 24_000);
        assertEquals(0.000524288, stream.minimumInterArrivalSeconds(), 1e-15); // D
        assertEquals(0.005041230769, stream.averageInterArrivalSeconds(), 1e-12); // T
        assertEquals(6, stream.maxBurstEvents(), "L = 1 + floor(24 / (5.041 - 0.524)) = 1 + floor(5.313)");
        assertEquals(5, stream.bufferEvents(), "P = ceil(24 / 5.041) = ceil(4.761)");
    }

    @Test
    void theOtherRowsOfTheAtmFactsTableAgree() {
        // ATM-FACTS §1.3: 1.3 Mbit/s of SDUs, and both rates counted in cells
        JitterConstrainedStream slow = JitterConstrainedStream.of(BITS_PER_8192_BYTE_SDU, 125_000_000, 1_300_000, 24_000);
        assertEquals(1, slow.maxBurstEvents());
        assertEquals(1, slow.bufferEvents());
        JitterConstrainedStream cells = JitterConstrainedStream.of(BITS_PER_CELL, 125_000_000, 13_000_000, 24_000);
        assertEquals(822, cells.maxBurstEvents());
        assertEquals(736, cells.bufferEvents());
        JitterConstrainedStream slowCells = JitterConstrainedStream.of(BITS_PER_CELL, 125_000_000, 1_300_000, 24_000);
        assertEquals(75, slowCells.maxBurstEvents());
        assertEquals(74, slowCells.bufferEvents());
    }

    @Test
    void wholeQuotientsAreNotRoundedAcrossTheFloorOrCeiling() {
        // τ/T = 5 exactly: five buffers, not six
        assertEquals(5, JitterConstrainedStream.of(1, 2000, 1000, 5000).bufferEvents());
        // τ/(T−D) = 3 exactly (T = 0.5 s, D = 0.25 s, τ = 0.75 s): L = 4
        assertEquals(4, JitterConstrainedStream.of(1, 4, 2, 750_000).maxBurstEvents());
        // one microsecond less: the burst is one shorter, the buffers the same
        assertEquals(3, JitterConstrainedStream.of(1, 4, 2, 749_999).maxBurstEvents());
        assertEquals(2, JitterConstrainedStream.of(1, 4, 2, 749_999).bufferEvents());
    }

    @Test
    void noToleranceMeansNoBurstAndNoBuffer() {
        JitterConstrainedStream strict = JitterConstrainedStream.of(171, 353_207, 41_748, 0);
        assertEquals(1, strict.maxBurstEvents());
        assertEquals(0, strict.bufferEvents());
    }

    @Test
    void aStreamAtThePeakRateHasAnUnboundedBurst() {
        JitterConstrainedStream atLine = JitterConstrainedStream.of(171, 353_207, 353_207, 10_000);
        assertEquals(Long.MAX_VALUE, atLine.maxBurstEvents());
        assertEquals(21, atLine.bufferEvents()); // ceil(0.01 s · 353207 / 171) = ceil(20.66)
    }

    @Test
    void theBurstLengthIsAtsMaximumBurstSizeFormula() {
        // ATM-FACTS §1.2/§4.2: MBS = 1 + floor(BT / (Ts − T)); cells of one unit, PCR 10000, SCR 1000, BT 99 ms
        // Ts − T = 1 ms − 0.1 ms = 0.9 ms, 99/0.9 = 110
        assertEquals(111, JitterConstrainedStream.of(1, 10_000, 1_000, 99_000).maxBurstEvents());
    }

    @Test
    void badParametersAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JitterConstrainedStream.of(1, 1000, 2000, 0));
        assertTrue(e.getMessage().contains("averageUnitsPerSecond"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JitterConstrainedStream.of(0, 1, 1, 0));
        assertTrue(e.getMessage().contains("unitsPerEvent"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JitterConstrainedStream.of(1, 1, 1, -1));
        assertTrue(e.getMessage().contains("toleranceMicros"), e.getMessage());
    }
}
