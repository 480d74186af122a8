package org.drops.atm.driver.pca200e.aal5;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import org.drops.atm.driver.pca200e.cell.CellHeader;
import org.drops.atm.driver.pca200e.cell.CellLayout;
import org.drops.atm.driver.pca200e.cell.Hec;

/**
 * AAL5 segmentation (ITU-T I.363.5 SAR and CPCS; ATM-FACTS §3.3) as a cursor that emits one complete
 * 53-byte cell per call, so the caller can write the cells into ring slots that wrap.
 * <p>
 * The payload goes straight from the SDU buffer into the cell; there is no intermediate PDU copy. The CRC runs over
 * the whole SDU at {@link #begin}, in one long run ({@link Aal5Crc#over}, several times faster than 48-byte steps),
 * then over the padding and the first four trailer bytes as the last cells are written. The trailer is
 * written with CPCS-UU = 0, CPI = 0, the SDU length and the CRC. The AUU bit of the PTI is 0 on every cell
 * but the last, which has it set (end of PDU).
 * <pre>
 *  Segmenter s = new Segmenter();            // one per sending thread or VC, reused
 *  s.begin(sdu, CellHeader.uni(0, vpi, vci, 0, 0));
 *  while (s.hasNext()) {
 *      s.next(ring, slotOffset);              // 53 bytes at slotOffset
 *  }
 * </pre>
 * Single-threaded and allocation-free. The SDU's bytes must not change between {@link #begin} and the last
 * {@link #next}; its position and limit are never changed. The segmenter drops its reference to the SDU
 * after the last cell.
 */
public final class Segmenter {

    private static final int PAYLOAD_BYTES = CellLayout.PAYLOAD_BYTES;
    /** Offset of the trailer within the last cell's payload. */
    private static final int TRAILER_IN_LAST_PAYLOAD = PAYLOAD_BYTES - Aal5Trailer.BYTES;

    private ByteBuffer sdu;
    private int sduStart;
    private int sduBytes;
    private int headerWord;
    private byte headerHec; // the HEC of headerWord (cells before the last): computed once per PDU
    private int cellsTotal;
    private int nextCell;
    private int crc;

    /**
     * Starts segmenting the bytes {@code sdu[position, limit)} with the given header word (whose AUU bit is
     * ignored: the segmenter manages it). Any segmentation in progress is forgotten.
     *
     * @throws IllegalArgumentException if the SDU is longer than {@value Aal5Trailer#MAX_SDU_BYTES} bytes, or
     *                                  the header word's PTI is not user data (AAL5 rides on PTI 0–3 only)
     */
    public void begin(ByteBuffer sdu, int headerWord) {
        int bytes = sdu.remaining();
        if (bytes > Aal5Trailer.MAX_SDU_BYTES) {
            throw new IllegalArgumentException("SDU of " + bytes + " bytes exceeds " + Aal5Trailer.MAX_SDU_BYTES);
        }
        if (!CellHeader.isUserData(headerWord)) {
            throw new IllegalArgumentException("PTI " + CellHeader.pti(headerWord) + " is not user data");
        }
        this.sdu = sdu;
        this.sduStart = sdu.position();
        this.sduBytes = bytes;
        this.headerWord = CellHeader.withoutEndOfPdu(headerWord);
        this.headerHec = (byte) Hec.compute(this.headerWord);
        this.cellsTotal = Aal5Trailer.cells(bytes);
        this.nextCell = 0;
        this.crc = Aal5Crc.over(sdu, sduStart, bytes);
    }

    /**
     * Abandons the segmentation in progress, if any, and forgets its SDU. A sender whose segmentation was cut
     * short (its VC closed, it was interrupted while the FIFO was full) must not leave its SDU behind: it is a
     * slice of the connection's transmit ring, and the segmenter pinned that ring's direct memory after the
     * connection was gone (found by the reliability suite's ChaosIT).
     */
    public void abandon() {
        sdu = null;
        nextCell = cellsTotal;
    }

    /** Cells of the PDU begun last: ⌈(sdu + 8) / 48⌉; 0 before the first {@link #begin}. */
    public int cellsTotal() {
        return cellsTotal;
    }

    /** Cells {@link #next} still has to write. */
    public int cellsRemaining() {
        return cellsTotal - nextCell;
    }

    public boolean hasNext() {
        return nextCell < cellsTotal;
    }

    /**
     * Writes the next complete cell (header, HEC, 48 payload bytes) at absolute {@code offset} of
     * {@code dst}; dst's position and limit are left alone.
     *
     * @throws IllegalStateException     if no cell is left
     * @throws IndexOutOfBoundsException if the 53 bytes do not fit below dst's limit
     */
    public void next(ByteBuffer dst, int offset) {
        if (nextCell >= cellsTotal) {
            throw new IllegalStateException("no cell left to segment");
        }
        boolean last = nextCell == cellsTotal - 1;
        CellHeader.put(dst, offset, last ? CellHeader.withEndOfPdu(headerWord) : headerWord);
        int payload = offset + CellLayout.PAYLOAD_OFFSET;
        int pduOffset = nextCell * PAYLOAD_BYTES;
        int dataBytes = Math.max(0, Math.min(PAYLOAD_BYTES, sduBytes - pduOffset));
        int c = crc;
        if (dataBytes > 0) {
            dst.put(payload, sdu, sduStart + pduOffset, dataBytes);
        }
        // The trailer lies whole in the last cell, so there the SDU ends at or before it and the padding
        // fills the gap; padding may also fill the end of the cell before the last.
        int padBytes = (last ? TRAILER_IN_LAST_PAYLOAD : PAYLOAD_BYTES) - dataBytes;
        if (padBytes > 0) {
            putZeros(dst, payload + dataBytes, padBytes);
            c = Aal5Crc.updateZeros(c, padBytes);
        }
        if (last) {
            int trailer = payload + TRAILER_IN_LAST_PAYLOAD;
            dst.put(trailer + Aal5Trailer.UU, (byte) 0);
            dst.put(trailer + Aal5Trailer.CPI, (byte) 0);
            dst.put(trailer + Aal5Trailer.LENGTH, (byte) (sduBytes >>> 8));
            dst.put(trailer + Aal5Trailer.LENGTH + 1, (byte) sduBytes);
            c = Aal5Crc.update(c, dst, trailer, Aal5Trailer.CRC);
            Aal5Trailer.putIntBigEndian(dst, trailer + Aal5Trailer.CRC, Aal5Crc.finish(c));
            sdu = null;
        }
        crc = c;
        nextCell++;
    }

    /**
     * Writes up to {@code maxCells} of the next cells back to back from absolute {@code offset} of {@code dst}
     * (cell k at {@code offset + 53k}) and returns how many it wrote: the same cells as as many {@link #next(ByteBuffer,
     * int)} calls, but the cells that carry only SDU bytes (all but the last one or two) go through a loop without
     * the per-cell bookkeeping, with the header's HEC computed once per PDU.
     *
     * @throws IllegalArgumentException  if maxCells is not positive
     * @throws IllegalStateException     if no cell is left
     * @throws IndexOutOfBoundsException if the cells do not fit below dst's limit
     */
    public int next(ByteBuffer dst, int offset, int maxCells) {
        if (maxCells < 1) {
            throw new IllegalArgumentException("maxCells must be positive: " + maxCells);
        }
        if (nextCell >= cellsTotal) {
            throw new IllegalStateException("no cell left to segment");
        }
        int want = Math.min(maxCells, cellsTotal - nextCell);
        Objects.checkFromIndexSize(offset, want * CellLayout.CELL_BYTES, dst.limit());
        // Cells whose payload is 48 SDU bytes and that are not the last: the SDU reaches past their end.
        int fullDataCells = Math.min(sduBytes / PAYLOAD_BYTES, cellsTotal - 1);
        int fast = Math.max(0, Math.min(want, fullDataCells - nextCell));
        int word = dst.order() == ByteOrder.BIG_ENDIAN ? headerWord : Integer.reverseBytes(headerWord);
        byte hec = headerHec;
        int at = offset;
        int from = sduStart + nextCell * PAYLOAD_BYTES;
        for (int i = 0; i < fast; i++) {
            dst.putInt(at, word);
            dst.put(at + CellLayout.HEC_OFFSET, hec);
            dst.put(at + CellLayout.PAYLOAD_OFFSET, sdu, from, PAYLOAD_BYTES);
            at += CellLayout.CELL_BYTES;
            from += PAYLOAD_BYTES;
        }
        nextCell += fast;
        for (int i = fast; i < want; i++) {
            next(dst, at);
            at += CellLayout.CELL_BYTES;
        }
        return want;
    }

    private static void putZeros(ByteBuffer dst, int offset, int count) {
        int i = offset;
        int end = offset + count;
        for (; end - i >= Long.BYTES; i += Long.BYTES) {
            dst.putLong(i, 0L);
        }
        for (; i < end; i++) {
            dst.put(i, (byte) 0);
        }
    }
}
