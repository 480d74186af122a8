package org.drops.atm.reliability;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generator of hostile datagrams for the UDP link, and an independent model of what the receiving interface must
 * count for each (its own HEC, HEC receiver state machine and AAL5 CRC-32, written from I.432.1 and I.363.5, not
 * the driver's classes). Every datagram is of one {@link Kind}; the expected counter increments are summed in
 * {@link Expected}.
 * <p>
 * The model is exact because each datagram's outcome does not depend on what arrived before it: datagrams whose
 * headers carry errors start with a valid cell (which puts the HEC receiver in correction mode, whatever the
 * previous datagram left), every PDU sent to the victim VC starts and ends within one datagram, and no cell
 * (after a possible single-bit correction) lands on a VC that carries real traffic.
 */
final class HostileDatagrams {

    static final int CELL = 53;
    static final int MAX_UDP = 65507;
    /** The receiving interface's open VCs (VPI 0): the guaranteed connection and the victim best-effort one. */
    static final int CBR_VCI = 100;
    static final int VICTIM_VCI = 101;
    /** The victim's contract sdu: a PDU of more than {@link #VICTIM_MAX_CELLS} cells is oversize. */
    static final int VICTIM_SDU = 1024;
    static final int VICTIM_MAX_CELLS = pduCells(VICTIM_SDU);

    /** What a datagram is, with its share of the mix (per mille) and where it must be counted. */
    enum Kind {
        EMPTY(10, "malformedDatagrams"),
        TRUNCATED(90, "malformedDatagrams (whole cells cut short)"),
        WRONG_MULTIPLE(80, "malformedDatagrams (random length, not n·53)"),
        OVERSIZED_MALFORMED(1, "malformedDatagrams (65507 bytes)"),
        OVERSIZED_CELLS(1, "unknownVcCells (1235 valid cells, the largest whole-cell datagram)"),
        UNKNOWN_VC(150, "unknownVcCells (valid cells for VCs not open)"),
        IDLE(30, "idleCells"),
        HEADER_FLIP(150, "hecCorrected then unknownVcCells / hecDiscarded (1- and 2-bit header errors)"),
        RANDOM_CELLS(100, "hecDiscarded / hecCorrected / unknownVcCells / idleCells (random bytes as cells)"),
        VICTIM_VALID(100, "cellsInDeliveredPdus (valid AAL5 PDUs on the open best-effort VC)"),
        VICTIM_PAYLOAD_FLIP(100, "crcErrors (1-3 payload bits flipped)"),
        VICTIM_LENGTH(40, "lengthErrors (good CRC, inconsistent length)"),
        VICTIM_OVERSIZE(20, "oversizeDrops (more cells than the contract's sdu)"),
        VICTIM_OAM(28, "oamCells (PTI 4-7 on the open VC)"),
        FOREIGN_ADDRESS(50, "foreignDatagrams (valid cells for the guaranteed VC from 127.0.0.2)"),
        FOREIGN_PORT(50, "foreignDatagrams (random bytes from another port of 127.0.0.1)");

        final int perMille;
        final String countedAs;

        Kind(int perMille, String countedAs) {
            this.perMille = perMille;
            this.countedAs = countedAs;
        }

        boolean foreign() {
            return this == FOREIGN_ADDRESS || this == FOREIGN_PORT;
        }
    }

    /** The counter increments the receiving interface owes for what was sent (the model's result). */
    static final class Expected {
        final Map<Kind, Long> datagrams = new EnumMap<>(Kind.class);
        final Map<Kind, Long> cellsByKind = new EnumMap<>(Kind.class);
        long peerDatagrams;
        long foreignDatagrams;
        long malformedDatagrams;
        long cellsIn;
        long hecCorrected;
        long hecDiscarded;
        long idleCells;
        long unknownVcCells;
        long oamCells;
        long crcErrors;
        long lengthErrors;
        long oversizeDrops;
        long victimPdus;
        long victimPduCells;
        /** Cells of victim PDUs that end in an error (CRC, length, oversize): dropped unless the pool was empty. */
        long victimErrorCells;
        /** Cells dropped for a reason that does not depend on the best-effort pool. */
        long droppedCellsOutsidePdus;

        long victimPdusSent() {
            return victimPdus + crcErrors + lengthErrors + oversizeDrops;
        }

        String table() {
            StringBuilder b = new StringBuilder();
            for (Kind k : Kind.values()) {
                b.append(String.format(Locale.ROOT, "  %-20s %10d datagrams %11d cells  -> %s%n", k,
                        datagrams.getOrDefault(k, 0L), cellsByKind.getOrDefault(k, 0L), k.countedAs));
            }
            return b.toString();
        }
    }

    private static final int[] CRC32_TABLE = new int[256];
    private static final int[] HEC_TABLE = new int[256];
    /** Syndrome → 1 + (byte index 0..4) * 8 + bit, for the 40 single-bit header errors; 0 if none. */
    private static final int[] SINGLE_BIT = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int k = 0; k < 8; k++) {
                c = (c & 0x8000_0000) != 0 ? c << 1 ^ 0x04C1_1DB7 : c << 1;
            }
            CRC32_TABLE[i] = c;
            int h = i;
            for (int k = 0; k < 8; k++) {
                h = (h & 0x80) != 0 ? (h << 1 ^ 0x07) & 0xff : h << 1 & 0xff;
            }
            HEC_TABLE[i] = h;
        }
        for (int byteIndex = 0; byteIndex < 5; byteIndex++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] e = new byte[5];
                e[byteIndex] = (byte) (1 << bit);
                int syndrome = crc8(e[0], e[1], e[2], e[3]) ^ e[4] & 0xff;
                if (syndrome == 0 || SINGLE_BIT[syndrome] != 0) {
                    throw new IllegalStateException("HEC single-bit syndromes are not distinct");
                }
                SINGLE_BIT[syndrome] = 1 + byteIndex * 8 + bit;
            }
        }
    }

    private final SplittableRandom random;
    final Expected expected = new Expected();
    private final int[] cumulative = new int[Kind.values().length];
    private final byte[] sdu = new byte[48 * 64];

    HostileDatagrams(long seed) {
        this.random = new SplittableRandom(seed);
        int sum = 0;
        for (Kind k : Kind.values()) {
            sum += k.perMille;
            cumulative[k.ordinal()] = sum;
        }
        if (sum != 1000) {
            throw new IllegalStateException("the mix adds up to " + sum + " per mille");
        }
    }

    static int pduCells(int sduBytes) {
        return (sduBytes + 8 + 47) / 48;
    }

    static int crc8(int b0, int b1, int b2, int b3) {
        int r = HEC_TABLE[b0 & 0xff];
        r = HEC_TABLE[r ^ b1 & 0xff];
        r = HEC_TABLE[r ^ b2 & 0xff];
        return HEC_TABLE[r ^ b3 & 0xff];
    }

    /** The HEC of a header word (I.432.1: CRC-8, x⁸+x²+x+1, plus the coset 0x55). */
    static int hec(int word) {
        return crc8(word >>> 24, word >>> 16, word >>> 8, word) ^ 0x55;
    }

    static int uni(int gfc, int vpi, int vci, int pti, int clp) {
        return gfc << 28 | vpi << 20 | vci << 4 | pti << 1 | clp;
    }

    static void putHeader(ByteBuffer b, int at, int word) {
        b.putInt(at, word);
        b.put(at + 4, (byte) hec(word));
    }

    /** True if the cell at {@code at} has a correct HEC. */
    static boolean hecValid(ByteBuffer b, int at) {
        return hec(b.getInt(at)) == (b.get(at + 4) & 0xff);
    }

    static int crc32(byte[] data, int length) {
        int crc = 0xFFFF_FFFF;
        for (int i = 0; i < length; i++) {
            crc = crc << 8 ^ CRC32_TABLE[(crc >>> 24 ^ data[i]) & 0xff];
        }
        return ~crc;
    }

    /** Picks the next kind from the mix. */
    Kind nextKind() {
        int r = random.nextInt(1000);
        for (Kind k : Kind.values()) {
            if (r < cumulative[k.ordinal()]) {
                return k;
            }
        }
        throw new AssertionError();
    }

    /**
     * Fills {@code out} (from 0, position 0 and limit set) with a datagram of the kind and adds what the
     * interface must count for it to {@link #expected}.
     */
    void fill(Kind kind, ByteBuffer out) {
        out.clear();
        int cells = 0;
        switch (kind) {
            case EMPTY -> out.limit(0);
            case TRUNCATED -> {
                int whole = 1 + random.nextInt(8);
                for (int i = 0; i < whole; i++) {
                    validCell(out, i * CELL, unopenedHeader());
                }
                out.limit(1 + random.nextInt(whole * CELL - 1)); // 1 .. n·53 − 1: never a whole number of cells
                if (out.limit() % CELL == 0) {
                    out.limit(out.limit() - 1);
                }
            }
            case WRONG_MULTIPLE -> {
                int length;
                do {
                    length = 1 + random.nextInt(1600);
                } while (length % CELL == 0);
                randomBytes(out, 0, length);
                out.limit(length);
            }
            case OVERSIZED_MALFORMED -> {
                randomBytes(out, 0, MAX_UDP);
                out.limit(MAX_UDP); // 65507 = 1235·53 + 52
            }
            case OVERSIZED_CELLS -> {
                cells = MAX_UDP / CELL;
                for (int i = 0; i < cells; i++) {
                    validCell(out, i * CELL, unopenedHeader());
                }
                expected.unknownVcCells += cells;
                expected.droppedCellsOutsidePdus += cells;
            }
            case UNKNOWN_VC -> {
                cells = 1 + random.nextInt(8);
                for (int i = 0; i < cells; i++) {
                    validCell(out, i * CELL, unopenedHeader());
                }
                expected.unknownVcCells += cells;
                expected.droppedCellsOutsidePdus += cells;
            }
            case IDLE -> {
                cells = 1 + random.nextInt(4);
                for (int i = 0; i < cells; i++) {
                    validCell(out, i * CELL, uni(0, 0, 0, 0, random.nextInt(2))); // idle (CLP 1) or unassigned
                }
                expected.idleCells += cells;
                expected.droppedCellsOutsidePdus += cells;
            }
            case HEADER_FLIP, RANDOM_CELLS -> cells = erroredCells(kind, out);
            case VICTIM_VALID, VICTIM_PAYLOAD_FLIP, VICTIM_LENGTH -> cells = victimPdu(kind, out);
            case VICTIM_OVERSIZE -> {
                cells = VICTIM_MAX_CELLS + 1 + random.nextInt(16);
                for (int i = 0; i < cells; i++) {
                    validCell(out, i * CELL, uni(0, 0, VICTIM_VCI, i == cells - 1 ? 1 : 0, 0));
                }
                expected.oversizeDrops++;
                expected.victimErrorCells += cells;
            }
            case VICTIM_OAM -> {
                cells = 1 + random.nextInt(4);
                for (int i = 0; i < cells; i++) {
                    validCell(out, i * CELL, uni(0, 0, VICTIM_VCI, 4 + random.nextInt(4), random.nextInt(2)));
                }
                expected.oamCells += cells;
                expected.droppedCellsOutsidePdus += cells;
            }
            case FOREIGN_ADDRESS -> {
                int n = 1 + random.nextInt(8);
                for (int i = 0; i < n; i++) { // valid cells of a well-formed-looking PDU on the guaranteed VC
                    validCell(out, i * CELL, uni(0, 0, CBR_VCI, i == n - 1 ? 1 : 0, 0));
                }
                out.limit(n * CELL);
            }
            case FOREIGN_PORT -> {
                int length = 1 + random.nextInt(1600);
                randomBytes(out, 0, length);
                out.limit(length);
            }
        }
        if (cells > 0) {
            out.limit(cells * CELL);
            expected.cellsIn += cells;
        }
        expected.datagrams.merge(kind, 1L, Long::sum);
        expected.cellsByKind.merge(kind, (long) cells, Long::sum);
        if (kind.foreign()) {
            expected.foreignDatagrams++;
        } else {
            expected.peerDatagrams++;
            if (cells == 0) {
                expected.malformedDatagrams++;
            }
        }
    }

    private void randomBytes(ByteBuffer out, int from, int length) {
        int i = from;
        for (; i + 8 <= from + length; i += 8) {
            out.putLong(i, random.nextLong());
        }
        for (; i < from + length; i++) {
            out.put(i, (byte) random.nextInt());
        }
    }

    private void validCell(ByteBuffer out, int at, int word) {
        putHeader(out, at, word);
        randomBytes(out, at + 5, 48);
    }

    /** A header of a VC not open on the receiving interface (never idle/unassigned), any PTI and CLP. */
    private int unopenedHeader() {
        while (true) {
            int vpi = random.nextInt(256);
            int vci = random.nextInt(65536);
            int word = uni(random.nextInt(16), vpi, vci, random.nextInt(8), random.nextInt(2));
            if (!(vpi == 0 && (vci == CBR_VCI || vci == VICTIM_VCI)) && (word & ~1) != 0) {
                return word;
            }
        }
    }

    private static final int VALID = 0;
    private static final int CORRECTED = 1;
    private static final int DISCARDED = 2;

    /**
     * A valid unknown-VC cell, then up to 12 cells with header errors (1 or 2 flipped bits) or random bytes,
     * mixed with valid ones, so both HEC receiver modes occur. The HEC receiver is modelled cell by cell; a cell
     * whose (corrected) header would land on an open VC is drawn again.
     */
    private int erroredCells(Kind kind, ByteBuffer out) {
        int cells = 2 + random.nextInt(12);
        validCell(out, 0, unopenedHeader());
        boolean correctionMode = true;
        expected.unknownVcCells++;
        expected.droppedCellsOutsidePdus++;
        for (int i = 1; i < cells; i++) {
            int at = i * CELL;
            while (true) {
                if (random.nextInt(4) == 0) {
                    validCell(out, at, unopenedHeader());
                } else if (kind == Kind.HEADER_FLIP) {
                    validCell(out, at, unopenedHeader());
                    int first = random.nextInt(40);
                    flip(out, at, first);
                    if (random.nextBoolean()) {
                        int second;
                        do {
                            second = random.nextInt(40);
                        } while (second == first);
                        flip(out, at, second);
                    }
                } else {
                    randomBytes(out, at, CELL);
                }
                int word = out.getInt(at);
                int syndrome = hec(word) ^ out.get(at + 4) & 0xff;
                int outcome;
                if (syndrome == 0) {
                    outcome = VALID;
                } else if (!correctionMode || SINGLE_BIT[syndrome] == 0) {
                    outcome = DISCARDED;
                } else {
                    outcome = CORRECTED;
                    int position = SINGLE_BIT[syndrome] - 1;
                    if (position < 32) { // an error in the HEC byte itself leaves the word as it is
                        word ^= 1 << (31 - (position >>> 3) * 8 - (7 - (position & 7)));
                    }
                }
                if (outcome != DISCARDED) {
                    int vpi = word >>> 20 & 0xff;
                    int vci = word >>> 4 & 0xffff;
                    if (vpi == 0 && (vci == CBR_VCI || vci == VICTIM_VCI)) {
                        continue; // would be delivered into a live VC: draw this cell again
                    }
                }
                switch (outcome) {
                    case VALID -> correctionMode = true;
                    case CORRECTED -> {
                        correctionMode = false;
                        expected.hecCorrected++;
                    }
                    default -> {
                        correctionMode = false;
                        expected.hecDiscarded++;
                    }
                }
                if (outcome == DISCARDED) {
                    expected.droppedCellsOutsidePdus++;
                } else if ((word & ~1) == 0) {
                    expected.idleCells++;
                    expected.droppedCellsOutsidePdus++;
                } else {
                    expected.unknownVcCells++;
                    expected.droppedCellsOutsidePdus++;
                }
                break;
            }
        }
        return cells;
    }

    /** Flips header bit {@code position} (0..39: byte position / 8, bit 7 − position % 8, as on the wire). */
    private static void flip(ByteBuffer out, int at, int position) {
        int index = at + position / 8;
        out.put(index, (byte) (out.get(index) ^ 0x80 >>> position % 8));
    }

    /** One AAL5 PDU on the victim VC: valid, with 1-3 payload bits flipped, or with a good CRC over a bad length. */
    private int victimPdu(Kind kind, ByteBuffer out) {
        int length = random.nextInt(VICTIM_SDU + 1);
        int cells = pduCells(length);
        int pduBytes = cells * 48;
        for (int i = 0; i < pduBytes; i++) {
            sdu[i] = i < length ? (byte) random.nextInt() : 0;
        }
        int lengthField = length;
        if (kind == Kind.VICTIM_LENGTH) {
            do { // inconsistent with the cells received, or longer than the contract's sdu
                lengthField = random.nextInt(65536);
            } while (lengthField <= VICTIM_SDU && pduCells(lengthField) == cells);
        }
        sdu[pduBytes - 8] = (byte) random.nextInt(); // CPCS-UU
        sdu[pduBytes - 7] = 0; // CPI
        sdu[pduBytes - 6] = (byte) (lengthField >>> 8);
        sdu[pduBytes - 5] = (byte) lengthField;
        int crc = crc32(sdu, pduBytes - 4);
        sdu[pduBytes - 4] = (byte) (crc >>> 24);
        sdu[pduBytes - 3] = (byte) (crc >>> 16);
        sdu[pduBytes - 2] = (byte) (crc >>> 8);
        sdu[pduBytes - 1] = (byte) crc;
        if (kind == Kind.VICTIM_PAYLOAD_FLIP) {
            int flips = 1 + random.nextInt(3);
            int[] done = new int[flips];
            for (int f = 0; f < flips; f++) {
                int bit;
                boolean again;
                do { // distinct bits: two flips of one bit would cancel
                    bit = random.nextInt(pduBytes * 8);
                    again = false;
                    for (int g = 0; g < f; g++) {
                        again |= done[g] == bit;
                    }
                } while (again);
                done[f] = bit;
                sdu[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
            }
        }
        for (int i = 0; i < cells; i++) {
            // PTI 0/1 or, with EFCI, 2/3; AUU on the last cell
            int pti = random.nextInt(2) << 1 | (i == cells - 1 ? 1 : 0);
            putHeader(out, i * CELL, uni(0, 0, VICTIM_VCI, pti, random.nextInt(2)));
            out.put(i * CELL + 5, sdu, i * 48, 48);
        }
        switch (kind) {
            case VICTIM_VALID -> {
                expected.victimPdus++;
                expected.victimPduCells += cells;
            }
            case VICTIM_PAYLOAD_FLIP -> {
                expected.crcErrors++;
                expected.victimErrorCells += cells;
            }
            default -> {
                expected.lengthErrors++;
                expected.victimErrorCells += cells;
            }
        }
        return cells;
    }
}
