package org.drops.atm.driver.pca200e.aal5;

import java.nio.ByteBuffer;

import org.drops.atm.driver.pca200e.cell.CellLayout;

/**
 * Descriptor of the AAL5 CPCS-PDU and its 8-byte trailer (ITU-T I.363.5; ATM-FACTS §3.3). Offsets are from
 * the first trailer byte, which is {@code pduBytes - BYTES} into the PDU.
 *
 * <pre>
 *  CPCS-PDU, a whole number of 48-byte cell payloads:
 *  +----------------------------+--------------+------------------------------+
 *  | CPCS-SDU (0..65535 bytes)  | PAD (0..47,  |          trailer             |
 *  |                            |    zeros)    |          (8 bytes)           |
 *  +----------------------------+--------------+------------------------------+
 *
 *  trailer:
 *   0         1         2                   4                                 8
 *  +---------+---------+-------------------+---------------------------------+
 *  | CPCS-UU |   CPI   | Length (16 bit BE)|        CRC-32 (32 bit BE)       |
 *  +---------+---------+-------------------+---------------------------------+
 * </pre>
 *
 * The trailer always lies whole in the last cell (the PDU is a multiple of 48 and the trailer is its last
 * 8 bytes); the padding may start in the cell before it. The CRC covers the whole PDU up to the CRC field
 * ({@link Aal5Crc}). CPI is 0 (I.363.5 uses it only for alignment); CPCS-UU is passed through.
 */
public final class Aal5Trailer {

    /** Offset of the CPCS user-to-user indication byte. */
    public static final int UU = 0;
    /** Offset of the common part indicator byte. */
    public static final int CPI = 1;
    /** Offset of the 16-bit big-endian SDU length. */
    public static final int LENGTH = 2;
    /** Offset of the 32-bit big-endian CRC. */
    public static final int CRC = 4;
    /** Size of the trailer. */
    public static final int BYTES = 8;
    /** Largest SDU the 16-bit length field can express (Linux {@code ATM_MAX_AAL5_PDU}). */
    public static final int MAX_SDU_BYTES = 0xFFFF;

    private static final int PAYLOAD_BYTES = CellLayout.PAYLOAD_BYTES;

    private Aal5Trailer() {
    }

    /**
     * Bytes of the CPCS-PDU that carries an SDU of {@code sduBytes}: ⌈(sdu + 8) / 48⌉ · 48.
     *
     * @throws IllegalArgumentException if sduBytes is not 0..{@value #MAX_SDU_BYTES}
     */
    public static int pduBytes(int sduBytes) {
        return cells(sduBytes) * PAYLOAD_BYTES;
    }

    /**
     * Cells the CPCS-PDU of an SDU of {@code sduBytes} occupies: ⌈(sdu + 8) / 48⌉, 1..1366.
     *
     * @throws IllegalArgumentException if sduBytes is not 0..{@value #MAX_SDU_BYTES}
     */
    public static int cells(int sduBytes) {
        checkSduBytes(sduBytes);
        return (sduBytes + BYTES + PAYLOAD_BYTES - 1) / PAYLOAD_BYTES;
    }

    /**
     * Zero bytes between the SDU and the trailer, 0..47.
     *
     * @throws IllegalArgumentException if sduBytes is not 0..{@value #MAX_SDU_BYTES}
     */
    public static int padBytes(int sduBytes) {
        return pduBytes(sduBytes) - sduBytes - BYTES;
    }

    /** The 16-bit length field of the trailer at absolute {@code trailerOffset}, 0..65535. */
    public static int length(ByteBuffer buf, int trailerOffset) {
        return (buf.get(trailerOffset + LENGTH) & 0xFF) << 8 | buf.get(trailerOffset + LENGTH + 1) & 0xFF;
    }

    /** The CRC field of the trailer at absolute {@code trailerOffset}. */
    public static int crc(ByteBuffer buf, int trailerOffset) {
        return getIntBigEndian(buf, trailerOffset + CRC);
    }

    /** The CPCS-UU byte of the trailer at absolute {@code trailerOffset}, 0..255. */
    public static int uu(ByteBuffer buf, int trailerOffset) {
        return buf.get(trailerOffset + UU) & 0xFF;
    }

    /** The CPI byte of the trailer at absolute {@code trailerOffset}, 0..255. */
    public static int cpi(ByteBuffer buf, int trailerOffset) {
        return buf.get(trailerOffset + CPI) & 0xFF;
    }

    static int getIntBigEndian(ByteBuffer buf, int offset) {
        return (buf.get(offset) & 0xFF) << 24 | (buf.get(offset + 1) & 0xFF) << 16
                | (buf.get(offset + 2) & 0xFF) << 8 | buf.get(offset + 3) & 0xFF;
    }

    static void putIntBigEndian(ByteBuffer buf, int offset, int value) {
        buf.put(offset, (byte) (value >>> 24));
        buf.put(offset + 1, (byte) (value >>> 16));
        buf.put(offset + 2, (byte) (value >>> 8));
        buf.put(offset + 3, (byte) value);
    }

    private static void checkSduBytes(int sduBytes) {
        if (sduBytes < 0 || sduBytes > MAX_SDU_BYTES) {
            throw new IllegalArgumentException("sduBytes must be 0.." + MAX_SDU_BYTES + ", not " + sduBytes);
        }
    }
}
