package org.drops.atm.api.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CellRatesTest {

    @Test
    void aal5SduTakesCeilingOfPayloadPlusTrailerOverFortyEightCells() {
        assertEquals(1, CellRates.aal5CellsPerSdu(0));
        assertEquals(1, CellRates.aal5CellsPerSdu(40));
        assertEquals(2, CellRates.aal5CellsPerSdu(41));
        assertEquals(32, CellRates.aal5CellsPerSdu(1500));
        assertEquals(171, CellRates.aal5CellsPerSdu(8192));
        assertEquals(192, CellRates.aal5CellsPerSdu(9180));
        assertEquals(1366, CellRates.aal5CellsPerSdu(65535));
        assertThrows(IllegalArgumentException.class, () -> CellRates.aal5CellsPerSdu(65536));
    }

    @Test
    void oc3RatesMatchAtmdevH() {
        assertEquals(353207.547, CellRates.OC3_CELLS_PER_SECOND, 0.001);
        assertEquals(CellRates.OC3_PCR, (int) CellRates.OC3_CELLS_PER_SECOND);
        assertEquals(149.76e6, CellRates.lineBitsPerSecond(CellRates.OC3_CELLS_PER_SECOND) * 1, 1.0);
        // ATM-FACTS §3.6: 8192-byte SDUs at the OC-3 cell rate carry 135.37 Mbit/s of payload.
        assertEquals(135.37e6, CellRates.aal5SduBitsPerSecond(CellRates.OC3_CELLS_PER_SECOND, 8192), 0.01e6);
    }

    @Test
    void sduRatesConvertToCoveringCellRates() {
        // Paper Table 2: 8·10⁶ B/s of 8192-byte SDUs and 3·10⁶ B/s of 4096-byte SDUs.
        assertEquals(166993, CellRates.aal5CellsPerSecond(8_000_000, 8192)); // 976.5625 SDU/s × 171 cells
        assertEquals(62989, CellRates.aal5CellsPerSecond(3_000_000, 4096)); // 732.42 SDU/s × 86 cells = 62988.3
        assertThrows(IllegalArgumentException.class, () -> CellRates.aal5CellsPerSecond(-1, 8192));
        assertThrows(IllegalArgumentException.class, () -> CellRates.aal5CellsPerSecond(1, 0));
    }

    @Test
    void bitRatesOverflowingAnIntOfCellsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CellRates.fromPayloadBitsPerSecond(384L * Integer.MAX_VALUE + 384, false));
        assertEquals(Integer.MAX_VALUE, CellRates.fromPayloadBitsPerSecond(384L * Integer.MAX_VALUE, false));
    }
}
