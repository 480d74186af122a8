package org.drops.atm.driver.pca200e.aal5;

import java.nio.ByteBuffer;

import org.drops.atm.driver.pca200e.cell.CellLayout;

/**
 * AAL5 reassembly for one VC (ITU-T I.363.5 SAR and CPCS receive side; ATM-FACTS §3.3): collects the cell
 * payloads of one CPCS-PDU into a caller-supplied buffer and, on the end-of-PDU cell, checks the CRC and the
 * trailer's length.
 * <pre>
 *  for each user data cell of the VC, with eop = CellHeader.isEndOfPdu(word):
 *    if (!r.inProgress()) {
 *        if (r.discarding() || no buffer free) { r.skip(eop); continue; }   // drop until end of PDU
 *        r.start(buffer, nowNanos);
 *    }
 *    switch (r.append(cells, payloadOffset, eop)) {
 *        case IN_PROGRESS: break;
 *        case COMPLETE:    deliver(buffer, r.sduBytes()); break;         // SDU is buffer[0, sduBytes)
 *        default:          count the error; give the buffer back;        // OVERSIZE also starts discarding
 *    }
 * </pre>
 * After every terminal outcome ({@link #COMPLETE}, {@link #CRC_ERROR}, {@link #LENGTH_ERROR},
 * {@link #OVERSIZE}) the reassembler is idle and no longer refers to the buffer: it is the caller's again.
 * The CRC is checked before the length, since a length field that fails the CRC means nothing; a
 * {@link #LENGTH_ERROR} is thus a PDU that arrived intact but was framed inconsistently or is longer than
 * this VC accepts.
 * <p>
 * A length of 0 is taken as a valid empty SDU (one cell). I.363.5 gives length 0 the meaning "abort"; that
 * reading is UNCONFIRMED in ATM-FACTS §3.3, so it is not applied here (change it in {@link #append} if it
 * is confirmed).
 * <p>
 * Single-threaded (the receive thread that owns the VC) and allocation-free.
 */
public final class Reassembler {

    /** The cell was stored; more cells are expected. */
    public static final int IN_PROGRESS = 0;
    /** The PDU is complete and intact: the SDU is {@code buffer[0, sduBytes())}. */
    public static final int COMPLETE = 1;
    /** The CRC over the PDU does not check out. */
    public static final int CRC_ERROR = 2;
    /** The CRC checks out but the length field does not fit the PDU received, or exceeds the maximum SDU. */
    public static final int LENGTH_ERROR = 3;
    /** The PDU grew beyond the largest one an SDU of the maximum size needs; the cell was not stored. */
    public static final int OVERSIZE = 4;

    private static final int PAYLOAD_BYTES = CellLayout.PAYLOAD_BYTES;

    private final int maxSduBytes;
    private final int maxPduBytes;

    private ByteBuffer buffer;
    private int receivedBytes;
    private long startedAtNanos;
    private boolean discarding;

    private int sduBytes;
    private int cells;
    private int uu;
    private int cpi;

    private long completedPdus;
    private long crcErrors;
    private long lengthErrors;
    private long oversizePdus;
    private long abortedPdus;
    private long discardedCells;

    /**
     * @param maxSduBytes the largest SDU this VC accepts, 0..{@value Aal5Trailer#MAX_SDU_BYTES} (the
     *                    connection's rx max_sdu)
     * @throws IllegalArgumentException if maxSduBytes is out of range
     */
    public Reassembler(int maxSduBytes) {
        if (maxSduBytes < 0 || maxSduBytes > Aal5Trailer.MAX_SDU_BYTES) {
            throw new IllegalArgumentException("maxSduBytes must be 0.." + Aal5Trailer.MAX_SDU_BYTES
                    + ", not " + maxSduBytes);
        }
        this.maxPduBytes = Aal5Trailer.pduBytes(maxSduBytes);
        this.maxSduBytes = maxSduBytes;
    }

    public int maxSduBytes() {
        return maxSduBytes;
    }

    /** {@code Aal5Trailer.pduBytes(maxSduBytes())}: the capacity a buffer given to {@link #start} needs. */
    public int maxPduBytes() {
        return maxPduBytes;
    }

    /** Whether a PDU has been started and has not reached a terminal outcome. */
    public boolean inProgress() {
        return buffer != null;
    }

    /**
     * Begins a PDU into {@code buffer}, written with absolute puts from index 0. The buffer is cleared
     * (position 0, limit = capacity) and belongs to the reassembler until a terminal outcome or
     * {@link #abort}.
     *
     * @throws IllegalArgumentException if the buffer is read-only or its capacity is below
     *                                  {@link #maxPduBytes()}
     * @throws IllegalStateException    if a PDU is in progress or cells are being discarded
     */
    public void start(ByteBuffer buffer, long nowNanos) {
        if (buffer.capacity() < maxPduBytes || buffer.isReadOnly()) {
            throw new IllegalArgumentException("need a writable buffer of at least " + maxPduBytes
                    + " bytes, not " + buffer);
        }
        if (this.buffer != null || discarding) {
            throw new IllegalStateException(discarding ? "discarding until end of PDU" : "PDU in progress");
        }
        buffer.clear();
        this.buffer = buffer;
        this.receivedBytes = 0;
        this.startedAtNanos = nowNanos;
    }

    /**
     * Appends the 48 payload bytes at absolute {@code payloadOffset} of {@code cells} and, if
     * {@code endOfPdu}, checks the PDU. Returns {@link #IN_PROGRESS}, {@link #COMPLETE},
     * {@link #CRC_ERROR}, {@link #LENGTH_ERROR} or {@link #OVERSIZE}; on {@code OVERSIZE} of a cell that is
     * not the end of its PDU the reassembler goes on {@link #discarding()} the PDU's remaining cells.
     *
     * @throws IllegalStateException if no PDU is in progress
     */
    public int append(ByteBuffer cells, int payloadOffset, boolean endOfPdu) {
        ByteBuffer b = buffer;
        if (b == null) {
            throw new IllegalStateException("no PDU in progress");
        }
        int offset = receivedBytes;
        int received = offset + PAYLOAD_BYTES;
        if (received > maxPduBytes) {
            oversizePdus++;
            buffer = null;
            discarding = !endOfPdu;
            return OVERSIZE;
        }
        b.put(offset, cells, payloadOffset, PAYLOAD_BYTES);
        receivedBytes = received;
        if (!endOfPdu) {
            return IN_PROGRESS;
        }
        buffer = null;
        // Over the copy, so the check covers exactly the bytes the caller will read; once per PDU, in one long run
        // (Aal5Crc.over), several times faster than 48-byte steps per cell.
        if (Aal5Crc.over(b, 0, received) != Aal5Crc.RESIDUE) {
            crcErrors++;
            return CRC_ERROR;
        }
        int trailer = received - Aal5Trailer.BYTES;
        int length = Aal5Trailer.length(b, trailer);
        if (length > maxSduBytes || Aal5Trailer.pduBytes(length) != received) {
            lengthErrors++;
            return LENGTH_ERROR;
        }
        sduBytes = length;
        this.cells = received / PAYLOAD_BYTES;
        uu = Aal5Trailer.uu(b, trailer);
        cpi = Aal5Trailer.cpi(b, trailer);
        completedPdus++;
        return COMPLETE;
    }

    /**
     * Appends the payloads of {@code count} cells that are not the end of the PDU, stored back to back in
     * {@code cells} with the first payload at absolute {@code firstPayloadOffset} (cell k's at
     * {@code firstPayloadOffset + 53k}): what as many {@link #append} calls with {@code endOfPdu} false would do,
     * in one loop. Returns false, and appends nothing, if they would make the PDU oversize; the caller then appends
     * them one at a time, so that {@link #OVERSIZE} is reported at the cell it concerns.
     *
     * @throws IllegalStateException if no PDU is in progress
     */
    public boolean appendRun(ByteBuffer cells, int firstPayloadOffset, int count) {
        ByteBuffer b = buffer;
        if (b == null) {
            throw new IllegalStateException("no PDU in progress");
        }
        int offset = receivedBytes;
        int received = offset + count * PAYLOAD_BYTES;
        if (count < 0 || received > maxPduBytes) {
            return false;
        }
        for (int k = 0, from = firstPayloadOffset; k < count; k++, from += CellLayout.CELL_BYTES) {
            b.put(offset + k * PAYLOAD_BYTES, cells, from, PAYLOAD_BYTES);
        }
        receivedBytes = received;
        return true;
    }

    /**
     * Drops the cell of a PDU that is not being reassembled (while {@link #discarding()}, or because the
     * caller has no buffer for it) and counts it; the end-of-PDU cell ends the discarding.
     *
     * @return true if this cell ended the PDU, so the next cell starts a new one
     * @throws IllegalStateException if a PDU is in progress
     */
    public boolean skip(boolean endOfPdu) {
        if (buffer != null) {
            throw new IllegalStateException("PDU in progress: abort or discardUntilEnd first");
        }
        discardedCells++;
        discarding = !endOfPdu;
        return endOfPdu;
    }

    /** Whether the cells up to and including the next end-of-PDU cell are to be {@link #skip skipped}. */
    public boolean discarding() {
        return discarding;
    }

    /**
     * Gives up the PDU in progress, if any (the buffer is the caller's again), and discards cells until the
     * end of the PDU: for when the caller cannot or will not take the rest of this PDU.
     */
    public void discardUntilEnd() {
        if (buffer != null) {
            abortedPdus++;
            buffer = null;
        }
        discarding = true;
    }

    /**
     * Gives up the PDU in progress, if any, and stops discarding: the next cell starts a new PDU (for a VC
     * that is closed, re-opened or timed out; cells of the old PDU that still arrive will fail its CRC).
     */
    public void abort() {
        if (buffer != null) {
            abortedPdus++;
            buffer = null;
        }
        discarding = false;
    }

    /** The time given to {@link #start} for the current (or last) PDU, for reassembly timeouts. */
    public long startedAtNanos() {
        return startedAtNanos;
    }

    /** Cells appended to the PDU in progress, 0 when idle. */
    public int cellsSoFar() {
        return buffer == null ? 0 : receivedBytes / PAYLOAD_BYTES;
    }

    /** The SDU length of the last {@link #COMPLETE} PDU. */
    public int sduBytes() {
        return sduBytes;
    }

    /** The cells of the last {@link #COMPLETE} PDU. */
    public int cells() {
        return cells;
    }

    /** The CPCS-UU byte of the last {@link #COMPLETE} PDU. */
    public int cpcsUu() {
        return uu;
    }

    /** The CPI byte of the last {@link #COMPLETE} PDU (0 from a conforming sender; not checked). */
    public int cpi() {
        return cpi;
    }

    public long completedPdus() {
        return completedPdus;
    }

    public long crcErrors() {
        return crcErrors;
    }

    public long lengthErrors() {
        return lengthErrors;
    }

    public long oversizePdus() {
        return oversizePdus;
    }

    /** PDUs given up by {@link #abort} or {@link #discardUntilEnd} while in progress. */
    public long abortedPdus() {
        return abortedPdus;
    }

    /** Cells dropped through {@link #skip}. */
    public long discardedCells() {
        return discardedCells;
    }
}
