package org.drops.atm.shell.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Layout of the SDUs {@code atm:awrite} sends and {@code atm:aread} checks. Offsets and helpers only.
 *
 * <pre>
 *  0                   8                  16                  24
 *  +-------------------+------------------+-------------------+--------------------------------+
 *  | LLC/SNAP header   | magic "#ATMTEST" | sequence number   | filler: byte i = i mod 256     |
 *  | (only with --llc) |                  | (8 bytes, big end)|                                |
 *  +-------------------+------------------+-------------------+--------------------------------+
 * </pre>
 *
 * The magic starts with {@code #} so that Wireshark, guessing the payload of a VC of unknown traffic type, does
 * not take it for an IP header (it does for a first byte of 0x4? or 0x6?). The LLC/SNAP header is RFC 2684's routed/bridged encapsulation prefix {@code AA AA 03}, OUI {@code 00 00 00},
 * EtherType {@code 88 B5} (IEEE 802 local experimental), so that Wireshark, told by the capture's pseudo-header
 * that the VC carries LLC-multiplexed traffic, decodes LLC and SNAP and shows the rest as data.
 */
public final class TestSdu {

    public static final byte[] LLC_SNAP = {(byte) 0xAA, (byte) 0xAA, 0x03, 0x00, 0x00, 0x00, (byte) 0x88, (byte) 0xB5};
    public static final byte[] MAGIC = "#ATMTEST".getBytes(StandardCharsets.US_ASCII);
    public static final int MAGIC_BYTES = 8;
    public static final int SEQUENCE_BYTES = 8;
    /** The smallest test SDU without LLC/SNAP: magic and sequence number. */
    public static final int MIN_BYTES = MAGIC_BYTES + SEQUENCE_BYTES;
    /** The smallest test SDU with LLC/SNAP. */
    public static final int MIN_BYTES_LLC = LLC_SNAP.length + MIN_BYTES;

    private TestSdu() {
    }

    /** The smallest SDU for the encapsulation. */
    public static int minBytes(boolean llc) {
        return llc ? MIN_BYTES_LLC : MIN_BYTES;
    }

    /**
     * A template SDU of {@code bytes} (at least {@link #minBytes}) with sequence number 0; {@link #setSequence}
     * fills in each SDU's.
     */
    public static byte[] template(int bytes, boolean llc) {
        byte[] sdu = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            sdu[i] = (byte) i;
        }
        int at = 0;
        if (llc) {
            System.arraycopy(LLC_SNAP, 0, sdu, 0, LLC_SNAP.length);
            at = LLC_SNAP.length;
        }
        System.arraycopy(MAGIC, 0, sdu, at, MAGIC_BYTES);
        java.util.Arrays.fill(sdu, at + MAGIC_BYTES, at + MAGIC_BYTES + SEQUENCE_BYTES, (byte) 0);
        return sdu;
    }

    /** Offset of the sequence number in an SDU of the encapsulation. */
    public static int sequenceOffset(boolean llc) {
        return (llc ? LLC_SNAP.length : 0) + MAGIC_BYTES;
    }

    /** Writes the sequence number into an SDU filled from the template (absolute put). */
    public static void setSequence(ByteBuffer sdu, boolean llc, long sequence) {
        sdu.putLong(sequenceOffset(llc), sequence);
    }

    /**
     * The sequence number of a received SDU (position 0, limit its length), or -1 if it is not a test SDU of
     * either encapsulation.
     */
    public static long sequence(ByteBuffer sdu) {
        for (boolean llc : new boolean[] {false, true}) {
            int at = llc ? LLC_SNAP.length : 0;
            if (sdu.limit() >= at + MIN_BYTES && (!llc || startsWith(sdu, 0, LLC_SNAP)) && startsWith(sdu, at, MAGIC)) {
                return sdu.getLong(at + MAGIC_BYTES);
            }
        }
        return -1;
    }

    /**
     * Whether the filler of a received test SDU (position 0, limit its length; {@link #sequence} found it one) is
     * what {@link #template} wrote: byte i = i mod 256 after the sequence number. False means the SDU was damaged
     * on the way and still delivered.
     */
    public static boolean fillerIntact(ByteBuffer sdu) {
        int from = (sdu.limit() >= MIN_BYTES_LLC && startsWith(sdu, 0, LLC_SNAP) && startsWith(sdu, LLC_SNAP.length, MAGIC)
                ? sequenceOffset(true) : sequenceOffset(false)) + SEQUENCE_BYTES;
        for (int i = from, n = sdu.limit(); i < n; i++) {
            if (sdu.get(i) != (byte) i) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(ByteBuffer b, int at, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b.get(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
