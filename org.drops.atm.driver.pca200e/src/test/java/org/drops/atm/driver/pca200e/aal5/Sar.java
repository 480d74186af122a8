package org.drops.atm.driver.pca200e.aal5;

import java.nio.ByteBuffer;
import java.util.Random;

import org.drops.atm.driver.pca200e.cell.CellHeader;
import org.drops.atm.driver.pca200e.cell.CellLayout;

/** Test helpers: SDUs, whole cell streams, and reassembly of a stream. */
final class Sar {

    private Sar() {
    }

    static ByteBuffer randomSdu(int bytes, long seed, boolean direct, int position) {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        ByteBuffer sdu = direct ? ByteBuffer.allocateDirect(position + bytes + 7) : ByteBuffer.allocate(position + bytes + 7);
        sdu.position(position);
        sdu.put(data);
        sdu.position(position).limit(position + bytes);
        return sdu;
    }

    /** Segments the SDU into consecutive cells starting at {@code base} of a new buffer. */
    static ByteBuffer segment(Segmenter segmenter, ByteBuffer sdu, int headerWord, int base, boolean direct) {
        segmenter.begin(sdu, headerWord);
        int size = base + segmenter.cellsTotal() * CellLayout.CELL_BYTES;
        ByteBuffer cells = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        for (int offset = base; segmenter.hasNext(); offset += CellLayout.CELL_BYTES) {
            segmenter.next(cells, offset);
        }
        return cells;
    }

    /** Feeds {@code cellCount} cells from {@code base} and returns the last outcome (or the first terminal one). */
    static int reassemble(Reassembler reassembler, ByteBuffer cells, int base, int cellCount, ByteBuffer into) {
        reassembler.start(into, 0);
        int outcome = Reassembler.IN_PROGRESS;
        for (int i = 0; i < cellCount; i++) {
            int offset = base + i * CellLayout.CELL_BYTES;
            boolean endOfPdu = CellHeader.isEndOfPdu(CellHeader.get(cells, offset));
            outcome = reassembler.append(cells, offset + CellLayout.PAYLOAD_OFFSET, endOfPdu);
            if (outcome != Reassembler.IN_PROGRESS) {
                return outcome;
            }
        }
        return outcome;
    }
}
