package org.drops.atm.driver.pca200e.aal5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import org.drops.atm.driver.pca200e.cell.CellHeader;
import org.drops.atm.driver.pca200e.cell.CellLayout;
import org.drops.atm.driver.pca200e.cell.HecReceiver;
import org.junit.jupiter.api.Test;

/**
 * The hot paths allocate nothing: segmentation into a wrapping ring, the HEC check, and reassembly with
 * its CRC, measured with the JVM's per-thread allocation counter.
 */
class AllocationFreeTest {

    private static final int RING_CELLS = 64;
    private static final int[] SIZES = {0, 9, 40, 41, 100, 1500, 9180, 65_535};

    private final Segmenter segmenter = new Segmenter();
    private final HecReceiver hec = new HecReceiver();
    private final Reassembler reassembler = new Reassembler(Aal5Trailer.MAX_SDU_BYTES);
    private final ByteBuffer[] sdus = new ByteBuffer[SIZES.length];
    private ByteBuffer ring;
    private ByteBuffer into;

    @Test
    void segmentHecCheckAndReassembleAllocateNothingOnHeapBuffers() {
        assertAllocationFree(false);
    }

    @Test
    void segmentHecCheckAndReassembleAllocateNothingOnDirectBuffers() {
        assertAllocationFree(true);
    }

    private void assertAllocationFree(boolean direct) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // HotSpot, which this project builds and runs on, always has the counter; on a VM without it allocation
        // cannot be measured at all, which is not a failure of the code under test.
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counter not available");
        threads.setThreadAllocatedMemoryEnabled(true);
        for (int i = 0; i < SIZES.length; i++) {
            sdus[i] = Sar.randomSdu(SIZES[i], i, direct, 3);
        }
        ring = direct ? ByteBuffer.allocateDirect(RING_CELLS * CellLayout.CELL_BYTES)
                : ByteBuffer.allocate(RING_CELLS * CellLayout.CELL_BYTES);
        into = direct ? ByteBuffer.allocateDirect(reassembler.maxPduBytes()) : ByteBuffer.allocate(reassembler.maxPduBytes());

        int warmUp = roundTrips(20_000);
        assertEquals(20_000, warmUp);

        // The counter itself: two reads in a row, so that what the probe costs (0 on HotSpot 17) is not
        // blamed on the code under test.
        long probe0 = threads.getCurrentThreadAllocatedBytes();
        long probe1 = threads.getCurrentThreadAllocatedBytes();
        long before = threads.getCurrentThreadAllocatedBytes();
        int completed = roundTrips(10_000);
        long after = threads.getCurrentThreadAllocatedBytes();

        assertEquals(10_000, completed);
        assertEquals(0, after - before - (probe1 - probe0), "bytes allocated by 10^4 round trips");
    }

    /** Segments, checks and reassembles {@code count} SDUs through the ring; returns how many completed. */
    private int roundTrips(int count) {
        int completed = 0;
        int slot = 0;
        int header = CellHeader.uni(0, 0, 100, 0, 0);
        for (int n = 0; n < count; n++) {
            ByteBuffer sdu = sdus[n % SIZES.length];
            segmenter.begin(sdu, header);
            reassembler.start(into, n);
            int outcome = Reassembler.IN_PROGRESS;
            while (segmenter.hasNext()) {
                int offset = slot * CellLayout.CELL_BYTES;
                segmenter.next(ring, offset);
                if (hec.check(ring, offset) != HecReceiver.VALID) {
                    return -1;
                }
                boolean endOfPdu = CellHeader.isEndOfPdu(CellHeader.get(ring, offset));
                outcome = reassembler.append(ring, offset + CellLayout.PAYLOAD_OFFSET, endOfPdu);
                slot = slot + 1 == RING_CELLS ? 0 : slot + 1;
            }
            if (outcome == Reassembler.COMPLETE && reassembler.sduBytes() == sdu.remaining()) {
                completed++;
            }
        }
        return completed;
    }
}
