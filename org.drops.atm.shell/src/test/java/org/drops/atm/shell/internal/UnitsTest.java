package org.drops.atm.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void durationsTakeSecondsMillisecondsAndMinutes() {
        assertEquals(10_000_000_000L, Units.nanos("10"));
        assertEquals(10_000_000_000L, Units.nanos("10s"));
        assertEquals(1_500_000_000L, Units.nanos("1.5s"));
        assertEquals(500_000_000L, Units.nanos("500ms"));
        assertEquals(120_000_000_000L, Units.nanos("2m"));
        assertEquals("must be at least 1 ms", assertThrows(IllegalArgumentException.class, () -> Units.nanos("0")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Units.nanos("10q"));
        assertThrows(IllegalArgumentException.class, () -> Units.nanos("2d"));
    }

    @Test
    void ratesNeedAUnitAndConvertToSdusPerSecond() {
        assertEquals(500, Units.sdusPerSecond("500pps", 8192), 1e-9);
        assertEquals(10e6 / (8192 * 8), Units.sdusPerSecond("10Mbps", 8192), 1e-9);
        assertEquals(800e3 / (1000 * 8), Units.sdusPerSecond("800kbps", 1000), 1e-9);
        assertEquals(1e6 / 1000, Units.sdusPerSecond("1MB/s", 1000), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Units.sdusPerSecond("10", 1000));
        assertThrows(IllegalArgumentException.class, () -> Units.sdusPerSecond("0pps", 1000));
        assertThrows(IllegalArgumentException.class, () -> Units.sdusPerSecond("1Mbps", 0));
    }

    @Test
    void countsAndSduSizesHaveTheirLimits() {
        assertEquals(1, Units.count("1"));
        assertThrows(IllegalArgumentException.class, () -> Units.count("0"));
        assertThrows(IllegalArgumentException.class, () -> Units.count("many"));
        assertEquals(65535, Units.sduBytes("65535"));
        assertEquals("an AAL5 SDU has 0..65535 bytes",
                assertThrows(IllegalArgumentException.class, () -> Units.sduBytes("65536")).getMessage());
    }

    @Test
    void formatsRatesForPeople() {
        assertEquals("40.00", Units.mbps(40e6));
        assertEquals("149.76", Units.lineMbps(org.drops.atm.api.qos.CellRates.OC3_CELLS_PER_SECOND));
        assertEquals("unpaced", Units.cps(Double.POSITIVE_INFINITY));
    }
}
