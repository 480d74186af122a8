package org.drops.atm.driver.pca200e.aal5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Aal5TrailerTest {

    @ParameterizedTest(name = "{0}-byte SDU: {1} cells, {2} pad bytes")
    @CsvSource({
        "0, 1, 40",
        "1, 1, 39",
        "9, 1, 31",
        "39, 1, 1",
        "40, 1, 0",
        "41, 2, 47",
        "47, 2, 41",
        "48, 2, 40",
        "88, 2, 0",
        "89, 3, 47",
        "1500, 32, 28",
        "8192, 171, 8",
        "9180, 192, 28",
        "65535, 1366, 25",
    })
    void pduIsSduPlusTrailerRoundedUpToWholeCells(int sduBytes, int cells, int padBytes) {
        assertEquals(cells, Aal5Trailer.cells(sduBytes));
        assertEquals(cells * 48, Aal5Trailer.pduBytes(sduBytes));
        assertEquals(padBytes, Aal5Trailer.padBytes(sduBytes));
        assertEquals(Aal5Trailer.pduBytes(sduBytes), sduBytes + padBytes + Aal5Trailer.BYTES);
    }

    @Test
    void sizesOutsideTheLengthFieldAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Aal5Trailer.pduBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> Aal5Trailer.cells(65_536));
        assertThrows(IllegalArgumentException.class, () -> Aal5Trailer.padBytes(Integer.MAX_VALUE));
    }

    @Test
    void layoutMatchesI3635() {
        assertEquals(0, Aal5Trailer.UU);
        assertEquals(1, Aal5Trailer.CPI);
        assertEquals(2, Aal5Trailer.LENGTH);
        assertEquals(4, Aal5Trailer.CRC);
        assertEquals(8, Aal5Trailer.BYTES);
        assertEquals(65_535, Aal5Trailer.MAX_SDU_BYTES);
    }
}
