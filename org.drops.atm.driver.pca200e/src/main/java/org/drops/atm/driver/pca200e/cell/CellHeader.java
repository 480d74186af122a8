package org.drops.atm.driver.pca200e.cell;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Static helpers on the 32-bit cell header word, i.e. the first four header bytes read big-endian, without
 * the HEC (ITU-T I.361; ATM-FACTS §3.1; the masks of Linux {@code atm.h} for AAL0):
 *
 * <pre>
 *  UNI  31      28 27            20 19                             4 3     1  0
 *      +----------+----------------+--------------------------------+-------+---+
 *      |  GFC (4) |    VPI (8)     |            VCI (16)            |PTI (3)|CLP|
 *      +----------+----------------+--------------------------------+-------+---+
 *  NNI  31                       20 19                             4 3     1  0
 *      +---------------------------+--------------------------------+-------+---+
 *      |          VPI (12)         |            VCI (16)            |PTI (3)|CLP|
 *      +---------------------------+--------------------------------+-------+---+
 * </pre>
 *
 * PTI (I.361 table 3; Linux {@code atm.h}): {@code 0xx} user data, where bit 1 is "congestion experienced"
 * (EFCI) and bit 0 is the ATM-user-to-ATM-user indication (AUU), which AAL5 uses to mark the last cell of a
 * CPCS-PDU; {@code 100}/{@code 101} segment/end-to-end OAM F5; {@code 110} resource management;
 * {@code 111} reserved.
 * <p>
 * The accessors do no range checks and never allocate; only the constructors {@link #uni} and {@link #nni}
 * check their arguments, since an out-of-range field there is a programming error.
 */
public final class CellHeader {

    public static final int GFC_SHIFT = 28;
    public static final int VPI_SHIFT = 20;
    public static final int VCI_SHIFT = 4;
    public static final int PTI_SHIFT = 1;

    public static final int GFC_MASK = 0xF000_0000;
    /** VPI at the UNI (8 bits). */
    public static final int VPI_MASK = 0x0FF0_0000;
    /** VPI at the NNI (12 bits, where the UNI has GFC and VPI). */
    public static final int VPI_NNI_MASK = 0xFFF0_0000;
    public static final int VCI_MASK = 0x000F_FFF0;
    public static final int PTI_MASK = 0x0000_000E;
    public static final int CLP_MASK = 0x0000_0001;

    /** PTI bit 2 in place: set for OAM, RM and reserved cells, clear for user data. */
    public static final int PTI_NOT_USER_DATA = 0x8;
    /** PTI bit 1 in place: explicit forward congestion indication on a user data cell. */
    public static final int PTI_EFCI = 0x4;
    /** PTI bit 0 in place: ATM-user-to-ATM-user indication; on AAL5 "last cell of the CPCS-PDU" (I.363.5). */
    public static final int PTI_AUU = 0x2;

    public static final int MAX_GFC = 0xF;
    public static final int MAX_VPI = 0xFF;
    public static final int MAX_VPI_NNI = 0xFFF;
    public static final int MAX_VCI = 0xFFFF;
    public static final int MAX_PTI = 0x7;
    public static final int MAX_CLP = 0x1;

    private CellHeader() {
    }

    /**
     * A UNI header word.
     *
     * @throws IllegalArgumentException naming the first field that is out of range
     */
    public static int uni(int gfc, int vpi, int vci, int pti, int clp) {
        checkField("gfc", gfc, MAX_GFC);
        checkField("vpi", vpi, MAX_VPI);
        checkField("vci", vci, MAX_VCI);
        checkField("pti", pti, MAX_PTI);
        checkField("clp", clp, MAX_CLP);
        return gfc << GFC_SHIFT | vpi << VPI_SHIFT | vci << VCI_SHIFT | pti << PTI_SHIFT | clp;
    }

    /**
     * An NNI header word (12-bit VPI, no GFC).
     *
     * @throws IllegalArgumentException naming the first field that is out of range
     */
    public static int nni(int vpi, int vci, int pti, int clp) {
        checkField("vpi", vpi, MAX_VPI_NNI);
        checkField("vci", vci, MAX_VCI);
        checkField("pti", pti, MAX_PTI);
        checkField("clp", clp, MAX_CLP);
        return vpi << VPI_SHIFT | vci << VCI_SHIFT | pti << PTI_SHIFT | clp;
    }

    public static int gfc(int word) {
        return word >>> GFC_SHIFT;
    }

    /** The 8-bit VPI of a UNI header. */
    public static int vpi(int word) {
        return (word & VPI_MASK) >>> VPI_SHIFT;
    }

    /** The 12-bit VPI of an NNI header. */
    public static int vpiNni(int word) {
        return word >>> VPI_SHIFT;
    }

    public static int vci(int word) {
        return (word & VCI_MASK) >>> VCI_SHIFT;
    }

    public static int pti(int word) {
        return (word & PTI_MASK) >>> PTI_SHIFT;
    }

    public static int clp(int word) {
        return word & CLP_MASK;
    }

    /** PTI 0–3: a user data cell (with or without congestion experienced, AUU 0 or 1). */
    public static boolean isUserData(int word) {
        return (word & PTI_NOT_USER_DATA) == 0;
    }

    /** A user data cell with AUU set: the last cell of an AAL5 CPCS-PDU (PTI 1 or 3; I.363.5, usbatm.c). */
    public static boolean isEndOfPdu(int word) {
        return (word & (PTI_NOT_USER_DATA | PTI_AUU)) == PTI_AUU;
    }

    /** The word with AUU set (meaningful on user data cells only). */
    public static int withEndOfPdu(int word) {
        return word | PTI_AUU;
    }

    /** The word with AUU clear. */
    public static int withoutEndOfPdu(int word) {
        return word & ~PTI_AUU;
    }

    /**
     * The idle cell {@code 00 00 00 01} (I.432.1) or the unassigned cell {@code 00 00 00 00} (I.361): GFC,
     * VPI, VCI and PTI all zero, CLP either. Neither carries user data; a receiver drops both.
     */
    public static boolean isIdleOrUnassigned(int word) {
        return (word & ~CLP_MASK) == 0;
    }

    /**
     * Writes the word big-endian and its {@link Hec} at absolute {@code offset} (5 bytes), whatever the
     * buffer's byte order; the position and limit are left alone.
     */
    public static void put(ByteBuffer dst, int offset, int word) {
        dst.putInt(offset, dst.order() == ByteOrder.BIG_ENDIAN ? word : Integer.reverseBytes(word));
        dst.put(offset + CellLayout.HEC_OFFSET, (byte) Hec.compute(word));
    }

    /** Reads the big-endian header word at absolute {@code offset}, whatever the buffer's byte order. */
    public static int get(ByteBuffer src, int offset) {
        int word = src.getInt(offset);
        return src.order() == ByteOrder.BIG_ENDIAN ? word : Integer.reverseBytes(word);
    }

    /** The HEC byte of the cell at absolute {@code offset}, 0..255. */
    public static int hec(ByteBuffer src, int offset) {
        return src.get(offset + CellLayout.HEC_OFFSET) & 0xFF;
    }

    private static void checkField(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be 0.." + max + ", not " + value);
        }
    }
}
