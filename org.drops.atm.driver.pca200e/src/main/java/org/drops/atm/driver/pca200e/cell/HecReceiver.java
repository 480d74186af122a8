package org.drops.atm.driver.pca200e.cell;

import java.nio.ByteBuffer;

/**
 * The HEC receiver of ITU-T I.432.1 for one receiving interface: corrects single-bit header errors while
 * the line looks clean and only detects (and discards) errored cells after an error, so a burst of errors
 * cannot be "corrected" into cells on the wrong connection.
 *
 * <pre>
 *        no error: VALID                                   error: DISCARDED
 *          +--+                                                 +--+
 *          |  v       single-bit error: CORRECTED               |  v
 *     +------------+  multi-bit error:  DISCARDED         +-----------+
 *     | CORRECTION |------------------------------------->| DETECTION |
 *     +------------+&lt;-------------------------------------+-----------+
 *                            no error: VALID
 * </pre>
 *
 * This state machine is the standard I.432 behaviour, which ATM-FACTS §3.2 marks UNCONFIRMED (only secondary
 * sources were checked). Cell delineation (HUNT/PRESYNC/SYNC on the HEC) is not modelled: the links carry
 * whole cells.
 * <p>
 * Single-threaded (the interface's receive thread owns it) and allocation-free. The counters are plain
 * fields; another thread reading them sees stale but sane values.
 */
public final class HecReceiver {

    /** The receiver's mode (I.432.1 figure "HEC: receiver modes of operation"). */
    public enum Mode {
        /** Single-bit errors are corrected; the mode after power-up and after a cell without errors. */
        CORRECTION,
        /** Every errored cell is discarded; entered on any error in correction mode. */
        DETECTION
    }

    /** The header was correct; the cell may be delivered. */
    public static final int VALID = 0;
    /** A single-bit error was corrected in place; the cell may be delivered. */
    public static final int CORRECTED = 1;
    /** The header is in error and was not corrected; the cell must be dropped. */
    public static final int DISCARDED = 2;

    private Mode mode = Mode.CORRECTION;
    private long validCells;
    private long correctedCells;
    private long discardedCells;
    private long modeSwitches;

    /**
     * Checks the 5-byte header at absolute {@code offset} of {@code cells}, corrects a single-bit error in
     * place when in correction mode, updates the mode and counters, and returns {@link #VALID},
     * {@link #CORRECTED} or {@link #DISCARDED}. The buffer's position and limit are left alone.
     */
    public int check(ByteBuffer cells, int offset) {
        int word = CellHeader.get(cells, offset);
        int syndrome = Hec.compute(word) ^ CellHeader.hec(cells, offset);
        if (syndrome == 0) {
            validCells++;
            if (mode == Mode.DETECTION) {
                mode = Mode.CORRECTION;
                modeSwitches++;
            }
            return VALID;
        }
        if (mode == Mode.DETECTION) {
            discardedCells++;
            return DISCARDED;
        }
        mode = Mode.DETECTION;
        modeSwitches++;
        int position = Hec.singleBitErrorPosition(syndrome);
        if (position < 0) {
            discardedCells++;
            return DISCARDED;
        }
        int index = offset + CellLayout.HEC_OFFSET - (position >>> 3);
        cells.put(index, (byte) (cells.get(index) ^ 1 << (position & 7)));
        correctedCells++;
        return CORRECTED;
    }

    /**
     * Counts {@code cells} cells whose five header bytes equal those of the last cell checked, which was
     * {@link #VALID}: the same bytes give the same syndrome, 0, and after a VALID cell the receiver is in correction
     * mode, so {@link #check} of each would give VALID and change nothing else (the receive engine's runs of a PDU's
     * cells).
     */
    public void countValid(int cells) {
        validCells += cells;
    }

    public Mode mode() {
        return mode;
    }

    /** Cells whose header had no error. */
    public long validCells() {
        return validCells;
    }

    /** Cells delivered after a single-bit correction (the FORE statistic {@code corr_hcs_errors}). */
    public long correctedCells() {
        return correctedCells;
    }

    /** Cells dropped for a header error (the FORE statistic {@code ucorr_hcs_errors}). */
    public long discardedCells() {
        return discardedCells;
    }

    /** Transitions between the two modes, either way. */
    public long modeSwitches() {
        return modeSwitches;
    }
}
