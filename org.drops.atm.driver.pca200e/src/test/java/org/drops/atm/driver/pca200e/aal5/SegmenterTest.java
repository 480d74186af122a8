package org.drops.atm.driver.pca200e.aal5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.drops.atm.driver.pca200e.cell.CellHeader;
import org.drops.atm.driver.pca200e.cell.CellLayout;
import org.drops.atm.driver.pca200e.cell.Hec;
import org.junit.jupiter.api.Test;

class SegmenterTest {

    private static final int VC_0_32 = CellHeader.uni(0, 0, 32, 0, 0);

    @Test
    void testPduOfAtmFactsIsOneCellWithPaddingLengthAndCrc() {
        ByteBuffer sdu = ByteBuffer.wrap("123456789".getBytes(StandardCharsets.US_ASCII));
        Segmenter segmenter = new Segmenter();
        segmenter.begin(sdu, VC_0_32);
        assertEquals(1, segmenter.cellsTotal());
        ByteBuffer cell = ByteBuffer.allocate(CellLayout.CELL_BYTES);
        segmenter.next(cell, 0);
        assertFalse(segmenter.hasNext());

        byte[] expected = new byte[53];
        // header 00 00 02 02 (VPI 0, VCI 32, PTI 001 = end of PDU) and its HEC
        expected[2] = 0x02;
        expected[3] = 0x02;
        expected[4] = (byte) Hec.compute(0x0000_0202);
        System.arraycopy("123456789".getBytes(StandardCharsets.US_ASCII), 0, expected, 5, 9);
        // bytes 9..39 of the payload: zero padding; trailer UU 00, CPI 00, length 00 09, CRC FB B9 71 24
        byte[] trailer = {0, 0, 0, 9, (byte) 0xFB, (byte) 0xB9, 0x71, 0x24};
        System.arraycopy(trailer, 0, expected, 5 + 40, 8);
        assertArrayEquals(expected, cell.array());
    }

    @Test
    void fortyOneByteSduPadsAcrossTwoCells() {
        ByteBuffer sdu = Sar.randomSdu(41, 1, false, 0);
        ByteBuffer cells = Sar.segment(new Segmenter(), sdu, VC_0_32, 0, false);
        assertEquals(2 * 53, cells.capacity());
        for (int i = 0; i < 41; i++) {
            assertEquals(sdu.get(i), cells.get(5 + i));
        }
        for (int i = 41; i < 48; i++) {
            assertEquals(0, cells.get(5 + i), "pad in first cell at " + i);
        }
        for (int i = 0; i < 40; i++) {
            assertEquals(0, cells.get(53 + 5 + i), "pad in second cell at " + i);
        }
        assertEquals(41, Aal5Trailer.length(cells, 53 + 5 + 40));
        assertFalse(CellHeader.isEndOfPdu(CellHeader.get(cells, 0)));
        assertTrue(CellHeader.isEndOfPdu(CellHeader.get(cells, 53)));
    }

    @Test
    void segmenterOwnsTheAuuBitAndKeepsTheOtherHeaderFields() {
        int word = CellHeader.uni(3, 7, 1000, 3, 1); // AUU already set, EFCI set, CLP 1
        ByteBuffer cells = Sar.segment(new Segmenter(), Sar.randomSdu(100, 2, false, 0), word, 0, false);
        int[] expectedPti = {2, 2, 3};
        for (int i = 0; i < 3; i++) {
            int header = CellHeader.get(cells, i * 53);
            assertEquals(expectedPti[i], CellHeader.pti(header), "cell " + i);
            assertEquals(3, CellHeader.gfc(header));
            assertEquals(7, CellHeader.vpi(header));
            assertEquals(1000, CellHeader.vci(header));
            assertEquals(1, CellHeader.clp(header));
        }
    }

    @Test
    void cellsGoToAbsoluteOffsetsAndNoBufferStateChanges() {
        ByteBuffer sdu = Sar.randomSdu(100, 3, true, 9);
        ByteBuffer dst = ByteBuffer.allocateDirect(500).order(ByteOrder.LITTLE_ENDIAN);
        dst.position(17).limit(400);
        Segmenter segmenter = new Segmenter();
        segmenter.begin(sdu, VC_0_32);
        assertEquals(3, segmenter.cellsRemaining());
        segmenter.next(dst, 300); // out of order, as a wrapping ring would
        segmenter.next(dst, 20);
        assertEquals(1, segmenter.cellsRemaining());
        segmenter.next(dst, 100);
        assertEquals(0, segmenter.cellsRemaining());
        assertEquals(9, sdu.position());
        assertEquals(109, sdu.limit());
        assertEquals(17, dst.position());
        assertEquals(400, dst.limit());
        assertEquals(sdu.get(9), dst.get(305));
        assertEquals(sdu.get(9 + 48), dst.get(25));
        assertEquals(100, Aal5Trailer.length(dst, 100 + 5 + 40));
    }

    @Test
    void segmenterIsReusable() {
        Segmenter segmenter = new Segmenter();
        ByteBuffer first = Sar.segment(segmenter, Sar.randomSdu(500, 4, false, 0), VC_0_32, 0, false);
        Sar.segment(segmenter, Sar.randomSdu(7, 5, false, 0), VC_0_32, 0, false);
        ByteBuffer again = Sar.segment(segmenter, Sar.randomSdu(500, 4, false, 0), VC_0_32, 0, false);
        assertEquals(first, again);
    }

    @Test
    void misuseIsRejected() {
        Segmenter segmenter = new Segmenter();
        assertThrows(IllegalStateException.class, () -> segmenter.next(ByteBuffer.allocate(53), 0));
        assertThrows(IllegalArgumentException.class, () -> segmenter.begin(ByteBuffer.allocate(65_536), VC_0_32));
        assertThrows(IllegalArgumentException.class,
                () -> segmenter.begin(ByteBuffer.allocate(10), CellHeader.uni(0, 0, 32, 5, 0)));
        segmenter.begin(ByteBuffer.allocate(10), VC_0_32);
        assertThrows(IndexOutOfBoundsException.class, () -> segmenter.next(ByteBuffer.allocate(52), 0));
    }
}
