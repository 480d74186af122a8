package org.drops.atm.driver.pca200e.cell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.Test;

class CellHeaderTest {

    @Test
    void uniWordMatchesLinuxAtmMasks() {
        int word = CellHeader.uni(0xA, 0x5C, 0x1234, 5, 1);
        // atm.h: GFC 0xf0000000, VPI 0x0ff00000, VCI 0x000ffff0, PTI 0x0000000e, CLP 0x00000001
        assertEquals(0xA, (word & 0xF000_0000) >>> 28);
        assertEquals(0x5C, (word & 0x0FF0_0000) >>> 20);
        assertEquals(0x1234, (word & 0x000F_FFF0) >>> 4);
        assertEquals(5, (word & 0x0000_000E) >>> 1);
        assertEquals(1, word & 1);
        assertEquals(0xA5C1_234B, word);
    }

    @Test
    void uniFieldsReadBack() {
        int word = CellHeader.uni(15, 255, 65535, 7, 1);
        assertEquals(-1, word);
        word = CellHeader.uni(3, 17, 4242, 2, 0);
        assertEquals(3, CellHeader.gfc(word));
        assertEquals(17, CellHeader.vpi(word));
        assertEquals(4242, CellHeader.vci(word));
        assertEquals(2, CellHeader.pti(word));
        assertEquals(0, CellHeader.clp(word));
    }

    @Test
    void nniUsesTwelveBitVpiInPlaceOfGfc() {
        int word = CellHeader.nni(0xABC, 0x0101, 1, 0);
        assertEquals(0xABC, CellHeader.vpiNni(word));
        assertEquals(0xBC, CellHeader.vpi(word));
        assertEquals(0xA, CellHeader.gfc(word));
        assertEquals(0x0101, CellHeader.vci(word));
        assertEquals(1, CellHeader.pti(word));
        assertEquals(CellHeader.MAX_VPI_NNI, CellHeader.vpiNni(CellHeader.nni(4095, 0, 0, 0)));
    }

    @Test
    void outOfRangeFieldIsRejectedByName() {
        assertMessageNames("gfc", () -> CellHeader.uni(16, 0, 0, 0, 0));
        assertMessageNames("vpi", () -> CellHeader.uni(0, 256, 0, 0, 0));
        assertMessageNames("vpi", () -> CellHeader.uni(0, -1, 0, 0, 0));
        assertMessageNames("vci", () -> CellHeader.uni(0, 0, 65536, 0, 0));
        assertMessageNames("pti", () -> CellHeader.uni(0, 0, 0, 8, 0));
        assertMessageNames("clp", () -> CellHeader.uni(0, 0, 0, 0, 2));
        assertMessageNames("vpi", () -> CellHeader.nni(4096, 0, 0, 0));
        assertMessageNames("vci", () -> CellHeader.nni(0, -1, 0, 0));
    }

    @Test
    void decodingAgreesWithUsbatmByteFormulas() {
        Random random = new Random(7);
        ByteBuffer cell = ByteBuffer.allocate(CellLayout.CELL_BYTES);
        for (int i = 0; i < 1000; i++) {
            int word = random.nextInt();
            CellHeader.put(cell, 0, word);
            int b0 = cell.get(0) & 0xFF, b1 = cell.get(1) & 0xFF, b2 = cell.get(2) & 0xFF, b3 = cell.get(3) & 0xFF;
            assertEquals(((b0 & 0x0f) << 4) | (b1 >> 4), CellHeader.vpi(word));
            assertEquals(((b1 & 0x0f) << 12) | (b2 << 4) | (b3 >> 4), CellHeader.vci(word));
            assertEquals((b3 & 0x0e) >> 1, CellHeader.pti(word));
        }
    }

    @Test
    void ptiOneAndThreeMarkEndOfPduButOamCellsDoNot() {
        for (int pti = 0; pti <= 7; pti++) {
            int word = CellHeader.uni(0, 1, 100, pti, 0);
            assertEquals(pti <= 3, CellHeader.isUserData(word), "user data, PTI " + pti);
            assertEquals(pti == 1 || pti == 3, CellHeader.isEndOfPdu(word), "end of PDU, PTI " + pti);
        }
        int word = CellHeader.uni(0, 1, 100, 2, 1); // congestion experienced, CLP 1
        assertEquals(3, CellHeader.pti(CellHeader.withEndOfPdu(word)));
        assertEquals(1, CellHeader.clp(CellHeader.withEndOfPdu(word)));
        assertEquals(word, CellHeader.withoutEndOfPdu(CellHeader.withEndOfPdu(word)));
    }

    @Test
    void idleAndUnassignedCellsAreRecognisedAndNothingElse() {
        assertTrue(CellHeader.isIdleOrUnassigned(0x0000_0001)); // idle (I.432.1)
        assertTrue(CellHeader.isIdleOrUnassigned(0x0000_0000)); // unassigned (I.361)
        assertFalse(CellHeader.isIdleOrUnassigned(CellHeader.uni(0, 0, 5, 0, 0))); // signalling
        assertFalse(CellHeader.isIdleOrUnassigned(CellHeader.uni(0, 1, 0, 0, 0)));
        assertFalse(CellHeader.isIdleOrUnassigned(CellHeader.uni(0, 0, 0, 1, 0)));
        assertFalse(CellHeader.isIdleOrUnassigned(CellHeader.uni(1, 0, 0, 0, 0)));
    }

    @Test
    void putWritesBigEndianWordAndHecWhateverTheBufferOrder() {
        int word = CellHeader.uni(0, 0, 32, 1, 0); // 00 00 02 02
        byte[] expected = {0, 0, 0x02, 0x02, (byte) Hec.compute(word)};
        for (ByteBuffer buf : new ByteBuffer[] {ByteBuffer.allocate(16), ByteBuffer.allocateDirect(16),
                ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN),
                ByteBuffer.allocateDirect(16).order(ByteOrder.LITTLE_ENDIAN)}) {
            buf.position(3).limit(12);
            CellHeader.put(buf, 7, word);
            byte[] written = new byte[5];
            for (int i = 0; i < 5; i++) {
                written[i] = buf.get(7 + i);
            }
            assertArrayEquals(expected, written, buf.toString());
            assertEquals(word, CellHeader.get(buf, 7));
            assertEquals(Hec.compute(word), CellHeader.hec(buf, 7));
            assertEquals(3, buf.position());
            assertEquals(12, buf.limit());
        }
    }

    private static void assertMessageNames(String field, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(field + " "), e.getMessage());
    }
}
