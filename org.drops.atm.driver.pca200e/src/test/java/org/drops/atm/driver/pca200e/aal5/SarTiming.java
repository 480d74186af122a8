package org.drops.atm.driver.pca200e.aal5;

import java.nio.ByteBuffer;

import org.drops.atm.driver.pca200e.cell.CellHeader;
import org.drops.atm.driver.pca200e.cell.CellLayout;
import org.drops.atm.driver.pca200e.cell.HecReceiver;

/**
 * The quick timing behind the stack capacity analysis in docs/EVALUATION.md: what segmenting and reassembling one
 * 8 KiB PDU (171 cells, direct buffers) costs one thread, cell by cell ({@link Segmenter#next(ByteBuffer, int)},
 * {@link HecReceiver#check} and {@link Reassembler#append} per cell) against the runs the transmit FIFO and the
 * receive engine use ({@link Segmenter#next(ByteBuffer, int, int)}, {@link Reassembler#appendRun}). Not a test
 * (surefire runs only {@code *Test}); run it with
 * <pre>
 *  java -cp target/classes:target/test-classes:$(ls ~/.m2/repository/org/drops/atm/org.drops.atm.api/*&#47;*.jar | tail -1) \
 *      org.drops.atm.driver.pca200e.aal5.SarTiming
 * </pre>
 */
public final class SarTiming {

    private static final int SDU = 8192;
    private static final int WORD = CellHeader.uni(0, 0, 100, 0, 0);

    private SarTiming() {
    }

    public static void main(String[] args) {
        ByteBuffer sdu = ByteBuffer.allocateDirect(SDU);
        for (int i = 0; i < SDU; i++) {
            sdu.put(i, (byte) (i * 7));
        }
        ByteBuffer cells = ByteBuffer.allocateDirect(256 * CellLayout.CELL_BYTES);
        ByteBuffer pdu = ByteBuffer.allocateDirect(SDU + 100);
        Segmenter segmenter = new Segmenter();
        Reassembler reassembler = new Reassembler(SDU);
        HecReceiver hec = new HecReceiver();
        int reps = 100_000;
        for (int round = 0; round < 6; round++) {
            long segmentOne = 0;
            long reassembleOne = 0;
            long segmentRuns = 0;
            long reassembleRuns = 0;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                segmenter.begin(sdu.duplicate(), WORD);
                int n = 0;
                while (segmenter.hasNext()) {
                    segmenter.next(cells, n++ * CellLayout.CELL_BYTES);
                }
                long t1 = System.nanoTime();
                reassembler.start(pdu, t1);
                int outcome = 0;
                for (int i = 0; i < n; i++) {
                    int at = i * CellLayout.CELL_BYTES;
                    hec.check(cells, at);
                    outcome = reassembler.append(cells, at + CellLayout.PAYLOAD_OFFSET,
                            CellHeader.isEndOfPdu(CellHeader.get(cells, at)));
                }
                long t2 = System.nanoTime();
                segmenter.begin(sdu.duplicate(), WORD);
                n = segmenter.next(cells, 0, 256);
                long t3 = System.nanoTime();
                reassembler.start(pdu, t3);
                hec.check(cells, 0);
                reassembler.append(cells, CellLayout.PAYLOAD_OFFSET, false);
                hec.countValid(n - 2);
                reassembler.appendRun(cells, CellLayout.CELL_BYTES + CellLayout.PAYLOAD_OFFSET, n - 2);
                int last = (n - 1) * CellLayout.CELL_BYTES;
                hec.check(cells, last);
                outcome += reassembler.append(cells, last + CellLayout.PAYLOAD_OFFSET, true);
                long t4 = System.nanoTime();
                segmentOne += t1 - t0;
                reassembleOne += t2 - t1;
                segmentRuns += t3 - t2;
                reassembleRuns += t4 - t3;
                if (outcome != 2 * Reassembler.COMPLETE) {
                    throw new AssertionError("a PDU did not complete");
                }
            }
            System.out.printf("8 KiB PDU: segment %.2f us, reassemble %.2f us cell by cell; %.2f us, %.2f us in runs%n",
                    segmentOne / 1e3 / reps, reassembleOne / 1e3 / reps, segmentRuns / 1e3 / reps, reassembleRuns / 1e3 / reps);
        }
    }
}
