package org.drops.atm.driver.pca200e.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.drops.atm.driver.pca200e.cell.HecReceiver.Mode;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class HecReceiverTest {

    private static final int OFFSET = 11;

    @Example
    void cleanCellsAreValidAndKeepCorrectionMode() {
        HecReceiver receiver = new HecReceiver();
        ByteBuffer cells = cellWith(CellHeader.uni(0, 1, 42, 0, 0));
        for (int i = 0; i < 3; i++) {
            assertEquals(HecReceiver.VALID, receiver.check(cells, OFFSET));
        }
        assertEquals(Mode.CORRECTION, receiver.mode());
        assertEquals(3, receiver.validCells());
        assertEquals(0, receiver.modeSwitches());
    }

    @Property(tries = 300)
    void aHeaderRepeatingTheLastValidOneIsValidAndAnyOtherIsCheckedInFull(@ForAll int word, @ForAll int otherWord,
            @ForAll @IntRange(min = 0, max = 39) int errorBit) {
        // The receiver skips the CRC-8 for a header equal to the last VALID one; the answer must be what the full
        // check gives for every sequence: the same header again, an errored copy of it, then the intact one again.
        HecReceiver receiver = new HecReceiver();
        ByteBuffer intact = cellWith(word);
        ByteBuffer errored = copy(intact);
        flip(errored, 1L << errorBit);
        assertEquals(HecReceiver.VALID, receiver.check(intact, OFFSET));
        assertEquals(HecReceiver.VALID, receiver.check(copy(intact), OFFSET));
        assertEquals(HecReceiver.CORRECTED, receiver.check(errored, OFFSET));
        assertEquals(Mode.DETECTION, receiver.mode());
        ByteBuffer erroredAgain = copy(intact);
        flip(erroredAgain, 1L << errorBit);
        assertEquals(HecReceiver.DISCARDED, receiver.check(erroredAgain, OFFSET), "detection mode discards");
        assertEquals(HecReceiver.VALID, receiver.check(copy(intact), OFFSET));
        assertEquals(Mode.CORRECTION, receiver.mode());
        assertEquals(HecReceiver.VALID, receiver.check(cellWith(otherWord), OFFSET));
        assertEquals(4, receiver.validCells());
        assertEquals(1, receiver.correctedCells());
        assertEquals(1, receiver.discardedCells());
        assertEquals(2, receiver.modeSwitches());
    }

    @Property(tries = 300)
    void everySingleBitHeaderErrorIsCorrectedInPlaceAndSwitchesToDetection(@ForAll int word,
            @ForAll boolean direct, @ForAll boolean littleEndian) {
        for (int p = 0; p < Hec.HEADER_BITS; p++) {
            HecReceiver receiver = new HecReceiver();
            ByteBuffer cells = cellWith(word, direct, littleEndian);
            ByteBuffer intact = copy(cells);
            flip(cells, 1L << p);

            assertEquals(HecReceiver.CORRECTED, receiver.check(cells, OFFSET), "bit " + p);
            assertEquals(intact, cells, "bit " + p);
            assertEquals(Mode.DETECTION, receiver.mode());
            assertEquals(1, receiver.correctedCells());
            assertEquals(1, receiver.modeSwitches());

            assertEquals(HecReceiver.VALID, receiver.check(cells, OFFSET));
            assertEquals(Mode.CORRECTION, receiver.mode());
            assertEquals(2, receiver.modeSwitches());
        }
    }

    @Property(tries = 100)
    void everyDoubleBitHeaderErrorIsDiscardedUntouchedAndSwitchesToDetection(@ForAll int word) {
        // Distance 4 (see Hec): a double-bit error never looks like a single-bit one, so it is never
        // delivered, neither as VALID nor "CORRECTED" into a wrong header.
        for (int p = 0; p < Hec.HEADER_BITS; p++) {
            for (int q = p + 1; q < Hec.HEADER_BITS; q++) {
                HecReceiver receiver = new HecReceiver();
                ByteBuffer cells = cellWith(word);
                flip(cells, 1L << p | 1L << q);
                ByteBuffer errored = copy(cells);

                assertEquals(HecReceiver.DISCARDED, receiver.check(cells, OFFSET), "bits " + p + ", " + q);
                assertEquals(errored, cells);
                assertEquals(Mode.DETECTION, receiver.mode());
                assertEquals(1, receiver.discardedCells());
                assertEquals(1, receiver.modeSwitches());
            }
        }
    }

    @Property(tries = 300)
    void detectionModeDiscardsEveryErrorOfUpToThreeBitsAndStays(@ForAll int word,
            @ForAll @IntRange(min = 0, max = 39) int p, @ForAll @IntRange(min = 0, max = 39) int q,
            @ForAll @IntRange(min = 0, max = 39) int r) {
        long bits = 1L << p ^ 1L << q ^ 1L << r; // one or three distinct bits flipped
        HecReceiver receiver = inDetectionMode();
        ByteBuffer cells = cellWith(word);
        flip(cells, bits);
        ByteBuffer errored = copy(cells);

        assertEquals(HecReceiver.DISCARDED, receiver.check(cells, OFFSET));
        assertEquals(errored, cells);
        assertEquals(Mode.DETECTION, receiver.mode());
        assertEquals(1, receiver.modeSwitches());
    }

    @Example
    void modeFollowsI432Transitions() {
        HecReceiver receiver = new HecReceiver();
        int word = CellHeader.uni(0, 0, 5, 0, 0);
        // CORRECTION + single-bit error -> CORRECTED, DETECTION
        assertEquals(HecReceiver.CORRECTED, receiver.check(errored(word, 1L << 20), OFFSET));
        assertEquals(Mode.DETECTION, receiver.mode());
        // DETECTION + single-bit error -> DISCARDED, stay
        assertEquals(HecReceiver.DISCARDED, receiver.check(errored(word, 1L << 3), OFFSET));
        assertEquals(Mode.DETECTION, receiver.mode());
        // DETECTION + multi-bit error -> DISCARDED, stay
        assertEquals(HecReceiver.DISCARDED, receiver.check(errored(word, 0b11L << 30), OFFSET));
        assertEquals(Mode.DETECTION, receiver.mode());
        // DETECTION + no error -> VALID, CORRECTION
        assertEquals(HecReceiver.VALID, receiver.check(cellWith(word), OFFSET));
        assertEquals(Mode.CORRECTION, receiver.mode());
        // CORRECTION + multi-bit error -> DISCARDED, DETECTION
        assertEquals(HecReceiver.DISCARDED, receiver.check(errored(word, 0b101L), OFFSET));
        assertEquals(Mode.DETECTION, receiver.mode());
        // DETECTION + no error -> VALID, CORRECTION; CORRECTION + no error -> VALID, stay
        assertEquals(HecReceiver.VALID, receiver.check(cellWith(word), OFFSET));
        assertEquals(HecReceiver.VALID, receiver.check(cellWith(word), OFFSET));
        assertEquals(Mode.CORRECTION, receiver.mode());

        assertEquals(3, receiver.validCells());
        assertEquals(1, receiver.correctedCells());
        assertEquals(3, receiver.discardedCells());
        assertEquals(4, receiver.modeSwitches());
    }

    @Example
    void idleCellFromTheWireIsValid() {
        ByteBuffer cells = ByteBuffer.allocate(CellLayout.CELL_BYTES);
        cells.put(0, new byte[] {0, 0, 0, 1, 0x52});
        assertEquals(HecReceiver.VALID, new HecReceiver().check(cells, 0));
    }

    private static HecReceiver inDetectionMode() {
        HecReceiver receiver = new HecReceiver();
        receiver.check(errored(0, 0b11L), OFFSET);
        assertEquals(Mode.DETECTION, receiver.mode());
        return receiver;
    }

    private static ByteBuffer errored(int word, long bits) {
        ByteBuffer cells = cellWith(word);
        flip(cells, bits);
        return cells;
    }

    private static ByteBuffer cellWith(int word) {
        return cellWith(word, false, false);
    }

    /** A buffer with a cell at {@link #OFFSET} (not at 0, to prove absolute addressing). */
    private static ByteBuffer cellWith(int word, boolean direct, boolean littleEndian) {
        int size = OFFSET + CellLayout.CELL_BYTES + 3;
        ByteBuffer cells = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        cells.order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        CellHeader.put(cells, OFFSET, word);
        return cells;
    }

    /** Flips header bits numbered as in {@link Hec}: bit 39 = MSB of byte 0, bit 0 = LSB of the HEC. */
    private static void flip(ByteBuffer cells, long bits) {
        for (int p = 0; p < Hec.HEADER_BITS; p++) {
            if ((bits >>> p & 1) != 0) {
                int index = OFFSET + CellLayout.HEC_OFFSET - p / 8;
                cells.put(index, (byte) (cells.get(index) ^ 1 << p % 8));
            }
        }
    }

    private static ByteBuffer copy(ByteBuffer cells) {
        ByteBuffer copy = ByteBuffer.allocate(cells.capacity());
        copy.put(0, cells, 0, cells.capacity());
        return copy;
    }
}
