package org.drops.atm.driver.pca200e.aal5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.drops.atm.driver.pca200e.cell.CellHeader;
import org.drops.atm.driver.pca200e.cell.CellLayout;
import org.drops.atm.driver.pca200e.cell.HecReceiver;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/** Properties of segmentation and reassembly together: what goes in comes out, and damage is caught. */
class SegmentationReassemblyTest {

    private static final int[] EDGE_SIZES = {0, 1, 39, 40, 41, 47, 48, 88, 65_535};

    @Provide
    Arbitrary<Integer> sduSizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(0, 1, 39, 40, 41, 47, 48, 87, 88, 89, 65_534, 65_535)),
                Tuple.of(3, Arbitraries.integers().between(0, 65_535)),
                Tuple.of(2, Arbitraries.integers().between(0, 2_000)));
    }

    @Provide
    Arbitrary<Integer> headers() {
        return Arbitraries.integers().map(word -> word & ~CellHeader.PTI_NOT_USER_DATA);
    }

    @Property(tries = 400)
    void sduSurvivesSegmentationAndReassemblyByteExactly(@ForAll("sduSizes") int size, @ForAll long seed,
            @ForAll("headers") int header, @ForAll boolean directCells, @ForAll boolean directSdu,
            @ForAll @IntRange(min = 0, max = 60) int base) {
        roundTrip(size, seed, header, directCells, directSdu, base);
    }

    @Example
    void edgeSizesSurviveSegmentationAndReassembly() {
        for (int size : EDGE_SIZES) {
            roundTrip(size, size, CellHeader.uni(0, 1, 100, 0, 0), false, true, 3);
            roundTrip(size, size, CellHeader.uni(0, 1, 100, 0, 0), true, false, 0);
        }
    }

    @Example
    void everySizeUpToTenCellsSurvives() {
        for (int size = 0; size <= 480; size++) {
            roundTrip(size, size, CellHeader.uni(0, 0, 32, 0, 0), size % 2 == 0, size % 3 == 0, size % 5);
        }
    }

    @Property(tries = 1000)
    void anySinglePayloadBitFlipIsCaught(@ForAll @IntRange(min = 0, max = 3_000) int size, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 1_000_000) int cellChoice,
            @ForAll @IntRange(min = 0, max = CellLayout.PAYLOAD_BYTES * 8 - 1) int bit) {
        ByteBuffer cells = Sar.segment(new Segmenter(), Sar.randomSdu(size, seed, false, 0),
                CellHeader.uni(0, 0, 40, 0, 0), 0, false);
        int cellCount = Aal5Trailer.cells(size);
        assertFlipIsCaught(cells, cellCount, cellChoice % cellCount, bit);
    }

    @Example
    void everySinglePayloadBitFlipOfSmallPdusIsCaught() {
        // Exhaustive over data, padding and every trailer field, for PDUs of one, two and three cells.
        for (int size : new int[] {0, 9, 40, 41, 88, 100}) {
            ByteBuffer cells = Sar.segment(new Segmenter(), Sar.randomSdu(size, size, false, 0),
                    CellHeader.uni(0, 0, 40, 0, 0), 0, false);
            int cellCount = Aal5Trailer.cells(size);
            for (int cell = 0; cell < cellCount; cell++) {
                for (int bit = 0; bit < CellLayout.PAYLOAD_BYTES * 8; bit++) {
                    assertFlipIsCaught(cells, cellCount, cell, bit);
                }
            }
        }
    }

    private static void roundTrip(int size, long seed, int header, boolean directCells, boolean directSdu, int base) {
        ByteBuffer sdu = Sar.randomSdu(size, seed, directSdu, (int) (seed & 7));
        ByteBuffer cells = Sar.segment(new Segmenter(), sdu, header, base, directCells);
        int cellCount = Aal5Trailer.cells(size);
        assertEquals(base + cellCount * CellLayout.CELL_BYTES, cells.capacity());

        HecReceiver hec = new HecReceiver();
        for (int i = 0; i < cellCount; i++) {
            int offset = base + i * CellLayout.CELL_BYTES;
            assertEquals(HecReceiver.VALID, hec.check(cells, offset), "HEC of cell " + i);
            int word = CellHeader.get(cells, offset);
            assertEquals(i == cellCount - 1, CellHeader.isEndOfPdu(word), "end of PDU on cell " + i);
            assertEquals(CellHeader.withoutEndOfPdu(header), CellHeader.withoutEndOfPdu(word));
        }

        Reassembler reassembler = new Reassembler(size);
        ByteBuffer into = ByteBuffer.allocate(Aal5Trailer.pduBytes(size));
        assertEquals(Reassembler.COMPLETE, Sar.reassemble(reassembler, cells, base, cellCount, into));
        assertEquals(size, reassembler.sduBytes());
        assertEquals(cellCount, reassembler.cells());
        assertEquals(sdu, into.limit(size));
        assertEquals((int) (seed & 7), sdu.position());
    }

    private static void assertFlipIsCaught(ByteBuffer intact, int cellCount, int cell, int bit) {
        ByteBuffer cells = ByteBuffer.allocate(intact.capacity()).put(intact.duplicate().clear()).clear();
        int index = cell * CellLayout.CELL_BYTES + CellLayout.PAYLOAD_OFFSET + bit / 8;
        cells.put(index, (byte) (cells.get(index) ^ 0x80 >>> bit % 8));

        Reassembler reassembler = new Reassembler(Aal5Trailer.MAX_SDU_BYTES);
        ByteBuffer into = ByteBuffer.allocate(reassembler.maxPduBytes());
        int outcome = Sar.reassemble(reassembler, cells, 0, cellCount, into);
        assertNotEquals(Reassembler.COMPLETE, outcome, "flip of bit " + bit + " in cell " + cell);
        assertTrue(outcome == Reassembler.CRC_ERROR || outcome == Reassembler.LENGTH_ERROR,
                "outcome " + outcome + " for bit " + bit + " in cell " + cell);
    }
}
