package org.drops.atm.driver.pca200e.cell;

import java.util.Arrays;

/**
 * The header error control of ITU-T I.432.1 (ATM-FACTS §3.2): CRC-8 with generator x⁸+x²+x+1 (0x07) over
 * the four header bytes, initial value 0, not reflected, the remainder XORed with the coset 0x55. This is
 * CRC-8/I-432-1 of the CRC catalogue (check("123456789") = 0xA1).
 * <p>
 * <b>Bit numbering</b> for error positions: the 40 bits of the five header bytes (four header bytes, then
 * the HEC) are numbered from the end, as the powers of x in the code word. Bit 39 is the most significant
 * bit of byte 0, bit 8 the least significant bit of byte 3, bit 7 the most significant bit of the HEC
 * (byte 4) and bit 0 its least significant bit:
 * <pre>
 *  byte      0           1           2           3           4 (HEC)
 *  bit   39 ..... 32 31 ..... 24 23 ..... 16 15 ...... 8 7 ....... 0
 * </pre>
 * Position {@code p} is in byte {@code 4 - p / 8}, mask {@code 1 << (p % 8)}.
 * <p>
 * Why single-bit correction is safe: x⁸+x²+x+1 = (x+1)(x⁷+x⁶+x⁵+x⁴+x³+x²+1) and the second factor is
 * primitive, so x^p mod g differs for every p below 127: the 40 single-bit syndromes are distinct and
 * non-zero. The factor (x+1) gives every even-weight error an even-weight syndrome and every single-bit
 * error an odd-weight one, so a double-bit error is always detected and never mistaken for a single-bit
 * error (minimum distance 4 over the 40-bit code word). Triple-bit errors can be miscorrected; that is the
 * code's limit, not this implementation's. {@code HecTest} checks these claims exhaustively.
 */
public final class Hec {

    /** The generator x⁸+x²+x+1 without its x⁸ term. */
    public static final int POLYNOMIAL = 0x07;
    /** The coset added to the remainder (I.432.1): improves cell delineation on all-zero headers. */
    public static final int COSET = 0x55;
    /** Bits in the five header bytes: the error positions {@link #singleBitErrorPosition} can report. */
    public static final int HEADER_BITS = CellLayout.HEADER_BYTES * 8;

    /** CRC-8 of each byte value, remainder only (no coset). */
    private static final byte[] TABLE = new byte[256];
    /** Syndrome → bit position 0..39 of the single-bit error that causes it, or -1. */
    private static final byte[] POSITION_BY_SYNDROME = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            int r = b;
            for (int i = 0; i < 8; i++) {
                r = (r & 0x80) != 0 ? (r << 1 ^ POLYNOMIAL) & 0xFF : r << 1 & 0xFF;
            }
            TABLE[b] = (byte) r;
        }
        Arrays.fill(POSITION_BY_SYNDROME, (byte) -1);
        // The syndrome of an error in bit p is x^p mod g: the CRC is linear and the coset cancels out.
        int xPowerModG = 1;
        for (int p = 0; p < HEADER_BITS; p++) {
            POSITION_BY_SYNDROME[xPowerModG] = (byte) p;
            xPowerModG = (xPowerModG & 0x80) != 0 ? (xPowerModG << 1 ^ POLYNOMIAL) & 0xFF : xPowerModG << 1 & 0xFF;
        }
    }

    private Hec() {
    }

    /** The HEC (0..255) of a header word (its four bytes big-endian, as on the wire). */
    public static int compute(int headerWord) {
        int r = TABLE[headerWord >>> 24] & 0xFF;
        r = TABLE[r ^ (headerWord >>> 16 & 0xFF)] & 0xFF;
        r = TABLE[r ^ (headerWord >>> 8 & 0xFF)] & 0xFF;
        r = TABLE[r ^ (headerWord & 0xFF)] & 0xFF;
        return r ^ COSET;
    }

    /**
     * The bit position 0..39 (numbered as in the class comment) whose flip explains
     * {@code syndrome = compute(receivedWord) ^ receivedHec}, or -1 when the syndrome is 0 (no error) or no
     * single-bit error explains it (a multi-bit error).
     */
    public static int singleBitErrorPosition(int syndrome) {
        return POSITION_BY_SYNDROME[syndrome & 0xFF];
    }

    /**
     * CRC-8/I-432-1 of arbitrary bytes (coset included), the catalogue form of the HEC: over the four header
     * bytes it equals {@link #compute}. For tests and diagnostics.
     */
    public static int crc8(byte[] data) {
        int r = 0;
        for (byte b : data) {
            r = TABLE[r ^ (b & 0xFF)] & 0xFF;
        }
        return r ^ COSET;
    }
}
