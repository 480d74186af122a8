package org.drops.atm.driver.pca200e.cell;

/**
 * Descriptor of the 53-byte ATM cell: offsets and sizes only (ITU-T I.361; ATM-FACTS §3.1).
 * <p>
 * A cell is a 5-byte header followed by 48 bytes of payload. The first four header bytes form the header
 * word that {@link CellHeader} packs and unpacks (big-endian, as on the wire); the fifth byte is the
 * {@link Hec header error control} over those four.
 *
 * <pre>
 *  UNI header (user-network interface)
 *    bit  7   6   5   4   3   2   1   0
 *       +---------------+---------------+
 *  0    |      GFC      |   VPI[7:4]    |
 *       +---------------+---------------+
 *  1    |   VPI[3:0]    |  VCI[15:12]   |
 *       +---------------+---------------+
 *  2    |            VCI[11:4]          |
 *       +---------------+-----------+---+
 *  3    |   VCI[3:0]    |  PTI[2:0] |CLP|
 *       +---------------+-----------+---+
 *  4    |              HEC              |
 *       +-------------------------------+
 *  5    |                               |
 *  ..   |     payload (48 bytes)        |
 *  52   |                               |
 *       +-------------------------------+
 *
 *  NNI header (network-node interface): the GFC bits become the high bits of a 12-bit VPI
 *    bit  7   6   5   4   3   2   1   0
 *       +-------------------------------+
 *  0    |           VPI[11:4]           |
 *       +---------------+---------------+
 *  1    |   VPI[3:0]    |  VCI[15:12]   |
 *       +---------------+---------------+
 *  2    |            VCI[11:4]          |
 *       +---------------+-----------+---+
 *  3    |   VCI[3:0]    |  PTI[2:0] |CLP|
 *       +---------------+-----------+---+
 *  4    |              HEC              |
 *       +-------------------------------+
 * </pre>
 */
public final class CellLayout {

    /** Bytes of one cell on the wire. */
    public static final int CELL_BYTES = 53;
    /** Bytes of the header, HEC included. */
    public static final int HEADER_BYTES = 5;
    /** Bytes of the header word without the HEC (the Linux AAL0 "header" and the PCA-200E TPD/RPD header). */
    public static final int HEADER_WORD_BYTES = 4;
    /** Offset of the HEC byte within the cell. */
    public static final int HEC_OFFSET = 4;
    /** Offset of the first payload byte within the cell. */
    public static final int PAYLOAD_OFFSET = 5;
    /** Bytes of payload in one cell. */
    public static final int PAYLOAD_BYTES = 48;

    private CellLayout() {
    }
}
