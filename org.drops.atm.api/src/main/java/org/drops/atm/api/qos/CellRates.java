package org.drops.atm.api.qos;

/**
 * Conversions between bit rates, SDU rates and cell rates, and the line rates of the physical layers.
 * A cell is 53 bytes on the wire and carries 48 bytes of payload; an AAL5 SDU of {@code n} bytes takes
 * {@code ceil((n + 8) / 48)} cells (8-byte CPCS trailer, zero padding to a whole cell).
 */
public final class CellRates {

    /** Bytes of one cell on the wire: 5 header and 48 payload. */
    public static final int CELL_BYTES = 53;
    /** Payload bytes of one cell. */
    public static final int CELL_PAYLOAD_BYTES = 48;
    /** Bits of cell payload: the unit {@code text2qos} converts {@code bps} with. */
    public static final int PAYLOAD_BITS_PER_CELL = CELL_PAYLOAD_BYTES * 8;
    /** The AAL5 CPCS-PDU trailer: CPCS-UU, CPI, length, CRC-32. */
    public static final int AAL5_TRAILER_BYTES = 8;

    /** OC-3/STM-1 cell rate, exactly: 155.52 Mbit/s × 260/270 (SONET overhead) / 424 bit per cell. */
    public static final double OC3_CELLS_PER_SECOND = 155_520_000.0 * 260 / 270 / (CELL_BYTES * 8);
    /** {@code ATM_OC3_PCR} as Linux rounds it: 353207 cells/s. */
    public static final int OC3_PCR = 353_207;
    /** OC-12/STM-4 cell rate, exactly. */
    public static final double OC12_CELLS_PER_SECOND = 4 * OC3_CELLS_PER_SECOND;
    /** {@code ATM_OC12_PCR}: 1412830 cells/s. */
    public static final int OC12_PCR = 1_412_830;

    private CellRates() {
    }

    /**
     * A bit rate of payload as cells per second, the way {@code text2qos} converts a {@code bps} value:
     * 384 bit per cell, rounded down (for peak rates) or up (for minimum and sustainable rates).
     *
     * @throws IllegalArgumentException if the rate is negative or the cell rate exceeds {@link Integer#MAX_VALUE}
     */
    public static int fromPayloadBitsPerSecond(long bitsPerSecond, boolean roundUp) {
        if (bitsPerSecond < 0) {
            throw new IllegalArgumentException("bitsPerSecond must not be negative: " + bitsPerSecond);
        }
        long cells = roundUp ? ceilDiv(bitsPerSecond, PAYLOAD_BITS_PER_CELL) : bitsPerSecond / PAYLOAD_BITS_PER_CELL;
        return toInt(cells, "bitsPerSecond");
    }

    /** Cells one AAL5 SDU of the given size occupies, trailer and padding included. */
    public static int aal5CellsPerSdu(int sduBytes) {
        if (sduBytes < 0 || sduBytes > Aal.AAL5.maxSduBytes()) {
            throw new IllegalArgumentException("sduBytes must be 0.." + Aal.AAL5.maxSduBytes() + ", not " + sduBytes);
        }
        return (sduBytes + AAL5_TRAILER_BYTES + CELL_PAYLOAD_BYTES - 1) / CELL_PAYLOAD_BYTES;
    }

    /**
     * The cell rate that carries {@code sduBytesPerSecond} of AAL5 SDUs of {@code sduBytes} each, rounded up
     * so a contract at this rate covers the SDU rate: 8·10⁶ B/s of 8192-byte SDUs → 166993 cells/s.
     */
    public static int aal5CellsPerSecond(long sduBytesPerSecond, int sduBytes) {
        if (sduBytesPerSecond < 0) {
            throw new IllegalArgumentException("sduBytesPerSecond must not be negative: " + sduBytesPerSecond);
        }
        if (sduBytes <= 0) {
            throw new IllegalArgumentException("sduBytes must be positive: " + sduBytes);
        }
        long cells = ceilDiv(Math.multiplyExact(sduBytesPerSecond, (long) aal5CellsPerSdu(sduBytes)), sduBytes);
        return toInt(cells, "sduBytesPerSecond");
    }

    /** The SDU payload bit rate that a cell rate carries with AAL5 SDUs of {@code sduBytes}. */
    public static double aal5SduBitsPerSecond(double cellsPerSecond, int sduBytes) {
        if (sduBytes <= 0) {
            throw new IllegalArgumentException("sduBytes must be positive: " + sduBytes);
        }
        return cellsPerSecond / aal5CellsPerSdu(sduBytes) * sduBytes * 8;
    }

    /** The line bit rate of a cell rate: 424 bit per cell. */
    public static double lineBitsPerSecond(double cellsPerSecond) {
        return cellsPerSecond * CELL_BYTES * 8;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static int toInt(long cells, String field) {
        if (cells > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " gives " + cells + " cells/s, more than " + Integer.MAX_VALUE);
        }
        return (int) cells;
    }
}
