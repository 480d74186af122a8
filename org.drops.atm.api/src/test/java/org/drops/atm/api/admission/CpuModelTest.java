package org.drops.atm.api.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.drops.atm.api.qos.Direction;
import org.junit.jupiter.api.Test;

/** The CPU model's gap term (issue 9, Figure 9: a PDU after a longer idle gap costs more). */
class CpuModelTest {

    private static final Instant AT = Instant.parse("2026-12-07T18:00:00Z");
    private static final long GAP = 2_000_000L;
    private static final long LONG_GAP = 8_000_000L;

    private static CpuModel model(double txExtra, double rxExtra) {
        return new CpuModel(AT, 100_000, 1.0, 40_000, 0.5, 0.8, "test", GAP, LONG_GAP, txExtra, rxExtra);
    }

    @Test
    void pdusAtMostTheMeasuredGapApartCostTheLineAndFromTheLongGapTheWholeExtra() {
        CpuModel m = model(60_000, 20_000);
        double line = 100_000 + 8192;
        assertEquals(line, m.nanosPerPdu(Direction.TRANSMIT, 8192, 1e9 / GAP), 1e-6, "2 ms apart");
        assertEquals(line, m.nanosPerPdu(Direction.TRANSMIT, 8192, 10_000), 1e-6, "0.1 ms apart");
        assertEquals(line + 60_000, m.nanosPerPdu(Direction.TRANSMIT, 8192, 1e9 / LONG_GAP), 1e-6, "8 ms apart");
        assertEquals(line + 60_000, m.nanosPerPdu(Direction.TRANSMIT, 8192, 10), 1e-6, "100 ms apart");
        // 4 ms apart: halfway between 2 and 8 ms on the log scale
        assertEquals(0.5, m.longGapShare(1e9 / 4_000_000), 1e-12);
        assertEquals(40_000 + 4096 + 10_000, m.nanosPerPdu(Direction.RECEIVE, 8192, 250), 1e-6);
        assertEquals(1, m.longGapShare(0), "no PDUs at all: an endless gap");
    }

    @Test
    void theOldModelHasNoGapTermAndTheSameCostAtEveryRate() {
        CpuModel old = new CpuModel(AT, 100_000, 1.0, 40_000, 0.5, 0.8, "1.0 model");
        assertEquals(0, old.longGapShare(1));
        assertEquals(old.nanosPerPdu(Direction.TRANSMIT, 1500), old.nanosPerPdu(Direction.TRANSMIT, 1500, 1), 0);
        assertEquals(1000 * (100_000 + 1500) / 1e9, old.utilisation(Direction.TRANSMIT, 1000, 1500), 1e-12);
    }

    @Test
    void anExtraAboveTheFixedCostTimesTheLogOfTheGapsIsRefusedNamingTheField() {
        double most = 100_000 * Math.log(4);
        model(most, 0); // the bound itself is fine
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model(most * 1.01, 0));
        assertTrue(e.getMessage().contains("transmitLongGapExtraNanos"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model(0, -1));
        assertTrue(e.getMessage().contains("receiveLongGapExtraNanos"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new CpuModel(AT, 100_000, 1.0, 40_000, 0.5, 0.8, "test", LONG_GAP, GAP, 1, 1));
        assertTrue(e.getMessage().contains("gapNanos"), e.getMessage());
    }

    /**
     * Admission control's recommendation searches for the largest rate that fits, so a connection's processor share
     * must never fall as its rate grows, though each PDU gets cheaper: the cap on the extra sees to it.
     */
    @Property(tries = 2000)
    void theProcessorShareNeverFallsAsTheRateGrows(@ForAll @DoubleRange(min = 0, max = 1) double extraShare,
            @ForAll @DoubleRange(min = 1, max = 1e6) double pdusPerSecond, @ForAll @DoubleRange(min = 1.01, max = 3) double factor,
            @ForAll @IntRange(min = 0, max = 65535) int sduBytes) {
        CpuModel m = model(extraShare * 100_000 * Math.log(4), extraShare * 40_000 * Math.log(4));
        for (Direction d : Direction.values()) {
            double low = m.utilisation(d, pdusPerSecond, sduBytes);
            double high = m.utilisation(d, pdusPerSecond * factor, sduBytes);
            assertTrue(high >= low * (1 - 1e-12), d + ": " + low + " at " + pdusPerSecond + " PDU/s, " + high + " at " + factor + "x");
        }
    }
}
