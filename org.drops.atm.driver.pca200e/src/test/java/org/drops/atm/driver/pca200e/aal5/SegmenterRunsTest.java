package org.drops.atm.driver.pca200e.aal5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.drops.atm.driver.pca200e.cell.CellHeader;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** {@link Segmenter#next(ByteBuffer, int, int)}, the run of cells the transmit FIFO writes per call. */
class SegmenterRunsTest {

    private static final int VC_0_32 = CellHeader.uni(0, 0, 32, 0, 0);

    @Property(tries = 300)
    void runsOfCellsAreTheCellsOneAtATimeWouldBe(
            @ForAll @IntRange(min = 0, max = 9000) int sduBytes,
            @ForAll @IntRange(min = 1, max = 200) int maxRun,
            @ForAll long seed, @ForAll boolean direct,
            @ForAll boolean littleEndian) {
        ByteBuffer sdu = Sar.randomSdu(sduBytes, seed, direct, 3);
        ByteBuffer oneByOne = Sar.segment(new Segmenter(), sdu.duplicate(), VC_0_32, 0, false);
        Segmenter s = new Segmenter();
        s.begin(sdu.duplicate(), VC_0_32);
        int cellCount = s.cellsTotal();
        ByteBuffer runs = (direct ? ByteBuffer.allocateDirect(cellCount * 53 + 7) : ByteBuffer.allocate(cellCount * 53 + 7))
                .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int at = 7;
        java.util.Random random = new java.util.Random(seed);
        while (s.hasNext()) {
            int written = s.next(runs, at, 1 + random.nextInt(maxRun));
            at += written * 53;
        }
        assertEquals(7 + cellCount * 53, at);
        for (int i = 0; i < cellCount * 53; i++) {
            assertEquals(oneByOne.get(i), runs.get(7 + i), "byte " + i + " of " + cellCount + " cells");
        }
    }
}
