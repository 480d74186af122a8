package org.drops.atm.driver.pca200e.aal5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.drops.atm.driver.pca200e.cell.CellHeader;
import org.drops.atm.driver.pca200e.cell.CellLayout;
import org.junit.jupiter.api.Test;

class ReassemblerTest {

    private static final int VC = CellHeader.uni(0, 0, 100, 0, 0);
    private static final int CELL = CellLayout.CELL_BYTES;
    private static final int PAYLOAD = CellLayout.PAYLOAD_OFFSET;

    @Test
    void aRunOfCellsIsTheSameAsAppendingThemOneAtATimeAndAnOversizeRunAppendsNothing() {
        ByteBuffer cells = cellsOf(1000); // 21 cells
        Reassembler oneByOne = new Reassembler(1000);
        ByteBuffer expected = ByteBuffer.allocate(1008);
        assertEquals(Reassembler.COMPLETE, Sar.reassemble(oneByOne, cells, 0, 21, expected));

        Reassembler runs = new Reassembler(1000);
        ByteBuffer actual = ByteBuffer.allocate(1008);
        runs.start(actual, 0);
        assertEquals(Reassembler.IN_PROGRESS, runs.append(cells, PAYLOAD, false));
        assertTrue(runs.appendRun(cells, CELL + PAYLOAD, 12));
        assertEquals(13, runs.cellsSoFar());
        assertTrue(runs.appendRun(cells, 13 * CELL + PAYLOAD, 7));
        assertEquals(Reassembler.COMPLETE, runs.append(cells, 20 * CELL + PAYLOAD, true));
        assertEquals(1000, runs.sduBytes());
        assertEquals(expected.clear(), actual.clear());

        Reassembler small = new Reassembler(100); // at most 3 cells
        small.start(ByteBuffer.allocate(144), 0);
        assertEquals(Reassembler.IN_PROGRESS, small.append(cells, PAYLOAD, false));
        assertFalse(small.appendRun(cells, CELL + PAYLOAD, 3), "4 cells would exceed 3");
        assertEquals(1, small.cellsSoFar(), "nothing appended");
        assertTrue(small.appendRun(cells, CELL + PAYLOAD, 2));
        assertEquals(3, small.cellsSoFar());
    }

    @Test
    void emptySduIsOneValidCell() {
        // Length 0 as an empty SDU; I.363.5's "abort" reading is UNCONFIRMED (ATM-FACTS §3.3).
        ByteBuffer cells = cellsOf(0);
        Reassembler reassembler = new Reassembler(0);
        reassembler.start(ByteBuffer.allocate(48), 5);
        assertEquals(Reassembler.COMPLETE, reassembler.append(cells, PAYLOAD, true));
        assertEquals(0, reassembler.sduBytes());
        assertEquals(1, reassembler.cells());
        assertFalse(reassembler.inProgress());
    }

    @Test
    void pduOfExactlyTheMaximumSduCompletes() {
        Reassembler reassembler = new Reassembler(100);
        assertEquals(144, reassembler.maxPduBytes());
        assertEquals(Reassembler.COMPLETE, Sar.reassemble(reassembler, cellsOf(100), 0, 3, ByteBuffer.allocate(144)));
        assertEquals(100, reassembler.sduBytes());
        assertEquals(1, reassembler.completedPdus());
    }

    @Test
    void growingBeyondTheMaximumPduIsOversizeThenDiscardsUntilEndOfPdu() {
        Reassembler reassembler = new Reassembler(100); // at most 3 cells
        ByteBuffer cells = cellsOf(200); // 5 cells
        ByteBuffer buffer = ByteBuffer.allocate(144);
        reassembler.start(buffer, 1_000);
        for (int i = 0; i < 3; i++) {
            assertEquals(Reassembler.IN_PROGRESS, reassembler.append(cells, i * CELL + PAYLOAD, false));
            assertEquals(i + 1, reassembler.cellsSoFar());
        }
        assertEquals(1_000, reassembler.startedAtNanos());
        assertEquals(Reassembler.OVERSIZE, reassembler.append(cells, 3 * CELL + PAYLOAD, false));
        assertFalse(reassembler.inProgress());
        assertTrue(reassembler.discarding());
        assertEquals(0, reassembler.cellsSoFar());

        assertTrue(reassembler.skip(true)); // cell 4 ends the PDU
        assertFalse(reassembler.discarding());
        assertEquals(1, reassembler.discardedCells());
        assertEquals(1, reassembler.oversizePdus());

        // the next PDU reassembles normally into the same buffer
        assertEquals(Reassembler.COMPLETE, Sar.reassemble(reassembler, cellsOf(60), 0, 2, buffer));
        assertEquals(60, reassembler.sduBytes());
    }

    @Test
    void oversizeOnTheEndOfPduCellDoesNotDiscard() {
        Reassembler reassembler = new Reassembler(40); // one cell
        ByteBuffer cells = cellsOf(41); // two cells
        reassembler.start(ByteBuffer.allocate(48), 0);
        assertEquals(Reassembler.IN_PROGRESS, reassembler.append(cells, PAYLOAD, false));
        assertEquals(Reassembler.OVERSIZE, reassembler.append(cells, CELL + PAYLOAD, true));
        assertFalse(reassembler.discarding());
        assertFalse(reassembler.inProgress());
    }

    @Test
    void lengthFieldThatDoesNotFitTheCellsReceivedIsALengthError() {
        // An intact CRC over a PDU of two cells whose length field says 10 bytes (one cell).
        Reassembler reassembler = new Reassembler(1000);
        ByteBuffer cells = craftedPdu(2, 10);
        assertEquals(Reassembler.LENGTH_ERROR, Sar.reassemble(reassembler, cells, 0, 2, ByteBuffer.allocate(1056)));
        assertEquals(1, reassembler.lengthErrors());
        // and one that says more than two cells can carry
        assertEquals(Reassembler.LENGTH_ERROR,
                Sar.reassemble(reassembler, craftedPdu(2, 89), 0, 2, ByteBuffer.allocate(1056)));
        // while 41..88 fit two cells
        assertEquals(Reassembler.COMPLETE,
                Sar.reassemble(reassembler, craftedPdu(2, 41), 0, 2, ByteBuffer.allocate(1056)));
        assertEquals(Reassembler.COMPLETE,
                Sar.reassemble(reassembler, craftedPdu(2, 88), 0, 2, ByteBuffer.allocate(1056)));
    }

    @Test
    void lengthAboveTheMaximumSduIsALengthErrorEvenIfTheCellsFit() {
        Reassembler reassembler = new Reassembler(100); // 3 cells hold up to 136 bytes
        assertEquals(Reassembler.LENGTH_ERROR, Sar.reassemble(reassembler, cellsOf(120), 0, 3, ByteBuffer.allocate(144)));
    }

    @Test
    void lostCellOrLostEndOfPduIsCaughtByTheCrc() {
        Reassembler reassembler = new Reassembler(1000);
        ByteBuffer buffer = ByteBuffer.allocate(reassembler.maxPduBytes());
        ByteBuffer five = cellsOf(200);
        // the middle cell lost
        reassembler.start(buffer, 0);
        int[] arriving = {0, 1, 3, 4};
        int outcome = Reassembler.IN_PROGRESS;
        for (int i : arriving) {
            outcome = reassembler.append(five, i * CELL + PAYLOAD, i == 4);
        }
        assertEquals(Reassembler.CRC_ERROR, outcome);
        // the end-of-PDU cell lost: two PDUs merge
        ByteBuffer next = cellsOf(30);
        reassembler.start(buffer, 0);
        for (int i = 0; i < 4; i++) {
            assertEquals(Reassembler.IN_PROGRESS, reassembler.append(five, i * CELL + PAYLOAD, false));
        }
        assertEquals(Reassembler.CRC_ERROR, reassembler.append(next, PAYLOAD, true));
        assertEquals(2, reassembler.crcErrors());
    }

    @Test
    void discardUntilEndGivesUpThePduInProgress() {
        Reassembler reassembler = new Reassembler(1000);
        ByteBuffer buffer = ByteBuffer.allocate(reassembler.maxPduBytes());
        ByteBuffer five = cellsOf(200);
        reassembler.start(buffer, 0);
        reassembler.append(five, PAYLOAD, false);
        reassembler.append(five, CELL + PAYLOAD, false);
        reassembler.discardUntilEnd();
        assertFalse(reassembler.inProgress());
        assertTrue(reassembler.discarding());
        assertEquals(1, reassembler.abortedPdus());
        assertThrows(IllegalStateException.class, () -> reassembler.start(buffer, 0));
        assertFalse(reassembler.skip(false));
        assertFalse(reassembler.skip(false));
        assertTrue(reassembler.skip(true));
        assertEquals(3, reassembler.discardedCells());
        assertEquals(Reassembler.COMPLETE, Sar.reassemble(reassembler, five, 0, 5, buffer));
    }

    @Test
    void cellWithoutABufferCanBeSkippedWhenIdle() {
        Reassembler reassembler = new Reassembler(1000);
        assertFalse(reassembler.skip(false)); // first cell of a PDU, no buffer free
        assertTrue(reassembler.discarding());
        assertTrue(reassembler.skip(true));
        assertTrue(reassembler.skip(true)); // a single-cell PDU dropped whole
        assertFalse(reassembler.discarding());
        assertEquals(3, reassembler.discardedCells());
    }

    @Test
    void abortReturnsToIdleWithoutDiscarding() {
        Reassembler reassembler = new Reassembler(1000);
        ByteBuffer buffer = ByteBuffer.allocate(reassembler.maxPduBytes());
        reassembler.start(buffer, 0);
        reassembler.append(cellsOf(200), PAYLOAD, false);
        reassembler.abort();
        assertFalse(reassembler.inProgress());
        assertFalse(reassembler.discarding());
        assertEquals(1, reassembler.abortedPdus());
        assertEquals(Reassembler.COMPLETE, Sar.reassemble(reassembler, cellsOf(9), 0, 1, buffer));
    }

    @Test
    void misuseIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Reassembler(65_536));
        assertThrows(IllegalArgumentException.class, () -> new Reassembler(-1));
        Reassembler reassembler = new Reassembler(100);
        assertThrows(IllegalArgumentException.class, () -> reassembler.start(ByteBuffer.allocate(143), 0));
        assertThrows(IllegalArgumentException.class,
                () -> reassembler.start(ByteBuffer.allocate(144).asReadOnlyBuffer(), 0));
        assertThrows(IllegalStateException.class, () -> reassembler.append(cellsOf(1), PAYLOAD, true));
        reassembler.start(ByteBuffer.allocate(144), 0);
        assertThrows(IllegalStateException.class, () -> reassembler.start(ByteBuffer.allocate(144), 0));
        assertThrows(IllegalStateException.class, () -> reassembler.skip(true));
    }

    @Test
    void startClearsAReusedBufferSoTheWholeCapacityIsWritable() {
        Reassembler reassembler = new Reassembler(100);
        ByteBuffer buffer = ByteBuffer.allocateDirect(144);
        buffer.position(20).limit(30); // as a previous reader may have left it
        assertEquals(Reassembler.COMPLETE, Sar.reassemble(reassembler, cellsOf(100), 0, 3, buffer));
        assertEquals(0, buffer.position());
        assertEquals(144, buffer.limit());
    }

    private static ByteBuffer cellsOf(int sduBytes) {
        return Sar.segment(new Segmenter(), Sar.randomSdu(sduBytes, sduBytes, false, 0), VC, 0, false);
    }

    /** {@code cells} cells of a PDU whose trailer carries {@code length} and a CRC that checks out. */
    private static ByteBuffer craftedPdu(int cells, int length) {
        ByteBuffer pdu = ByteBuffer.allocate(cells * 48);
        for (int i = 0; i < pdu.capacity() - 8; i++) {
            pdu.put(i, (byte) (i * 31));
        }
        int trailer = pdu.capacity() - 8;
        pdu.putShort(trailer + Aal5Trailer.LENGTH, (short) length);
        pdu.putInt(trailer + Aal5Trailer.CRC, Aal5Crc.finish(Aal5Crc.update(Aal5Crc.INITIAL, pdu, 0, trailer + 4)));
        ByteBuffer out = ByteBuffer.allocate(cells * CELL);
        for (int i = 0; i < cells; i++) {
            CellHeader.put(out, i * CELL, i == cells - 1 ? CellHeader.withEndOfPdu(VC) : VC);
            out.put(i * CELL + PAYLOAD, pdu, i * 48, 48);
        }
        return out;
    }
}
