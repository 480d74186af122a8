package org.drops.atm.driver.pca200e.aal5;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The AAL5 CPCS-PDU CRC-32 (ITU-T I.363.5; ATM-FACTS §3.4), catalogued as CRC-32/BZIP2 alias "AAL5":
 * polynomial 0x04C11DB7, initial value 0xFFFFFFFF, not reflected (most significant bit first), final XOR
 * 0xFFFFFFFF; check("123456789") = 0xFC891918.
 * <p>
 * The register is an {@code int} threaded through the calls, so one running CRC can cover a PDU that
 * arrives or leaves a cell at a time:
 * <pre>
 *  int crc = Aal5Crc.INITIAL;
 *  crc = Aal5Crc.update(crc, buf, offset, length);   // as often as needed
 *  int fieldValue = Aal5Crc.finish(crc);             // what the sender writes into the trailer
 * </pre>
 * A receiver that runs the register over the whole PDU, CRC field included, finds {@link #RESIDUE} there
 * when the PDU is intact (before any final XOR), exactly like Linux usbatm.c's
 * {@code crc32_be(~0, pdu, pdu_len) == 0xc704dd7b}.
 * <p>
 * Two routes. {@link #update} and {@link #updateZeros} thread a register through short steps with slicing-by-16
 * (sixteen 256-entry tables, 16 KiB; two 8-byte big-endian loads per step), stateless, thread-safe and
 * allocation-free on heap and direct buffers: 1.4 GB/s in 48-byte steps on the project's 2-core VM, JDK 17
 * ({@code Aal5CrcTiming}, test sources). {@link #over} runs a whole SDU or PDU from {@link #INITIAL} in one go and
 * takes {@link ReflectedCrcRoute} for long runs: the {@code java.util.zip.CRC32} intrinsic fed bit-reversed bytes
 * (CRC-32/BZIP2(d) = reverse32(CRC-32(bitReverseEachByte(d)))), about 18 GB/s for 8 KiB here with the reversal
 * vectorised. The segmenter and the reassembler therefore run the CRC once per PDU over the whole SDU or PDU,
 * not per cell (the per-cell route was 70 % of the unpaced link's time in a JFR profile).
 */
public final class Aal5Crc {

    /** The generator polynomial without its x³² term. */
    public static final int POLYNOMIAL = 0x04C1_1DB7;
    /** The register value to start a PDU with. */
    public static final int INITIAL = 0xFFFF_FFFF;
    /**
     * The register value after {@link #update} has run over a whole intact PDU including its CRC field,
     * before the final XOR (the remainder of x³²·(x³¹+…+1) mod the generator): the receiver's check.
     * {@code Aal5CrcTest} verifies it on the check string and on random PDUs.
     */
    public static final int RESIDUE = 0xC704_DD7B;

    private static final VarHandle LONG_BIG_ENDIAN =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** {@code TABLES[k][n]}: the register contribution of byte value n followed by k zero bytes. */
    private static final int[][] TABLES = new int[16][256];
    private static final int[] T0 = TABLES[0];
    private static final int[] T1 = TABLES[1];
    private static final int[] T2 = TABLES[2];
    private static final int[] T3 = TABLES[3];
    private static final int[] T4 = TABLES[4];
    private static final int[] T5 = TABLES[5];
    private static final int[] T6 = TABLES[6];
    private static final int[] T7 = TABLES[7];
    private static final int[] T8 = TABLES[8];
    private static final int[] T9 = TABLES[9];
    private static final int[] T10 = TABLES[10];
    private static final int[] T11 = TABLES[11];
    private static final int[] T12 = TABLES[12];
    private static final int[] T13 = TABLES[13];
    private static final int[] T14 = TABLES[14];
    private static final int[] T15 = TABLES[15];

    static {
        for (int n = 0; n < 256; n++) {
            int r = n << 24;
            for (int i = 0; i < 8; i++) {
                r = r < 0 ? r << 1 ^ POLYNOMIAL : r << 1;
            }
            T0[n] = r;
        }
        for (int k = 1; k < TABLES.length; k++) {
            for (int n = 0; n < 256; n++) {
                int previous = TABLES[k - 1][n];
                TABLES[k][n] = previous << 8 ^ T0[previous >>> 24];
            }
        }
    }

    private Aal5Crc() {
    }

    /**
     * Runs the register over {@code length} bytes of {@code buf} from absolute {@code offset} (heap or
     * direct, any byte order); the buffer's position and limit are left alone.
     *
     * @throws IndexOutOfBoundsException if the range is not within {@code [0, limit)}
     */
    public static int update(int crc, ByteBuffer buf, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.limit());
        if (buf.hasArray()) {
            return update(crc, buf.array(), buf.arrayOffset() + offset, length);
        }
        boolean bigEndian = buf.order() == ByteOrder.BIG_ENDIAN;
        int c = crc;
        int i = offset;
        int end = offset + length;
        for (; end - i >= 16; i += 16) {
            long v = buf.getLong(i);
            long w = buf.getLong(i + 8);
            c = bigEndian ? step16(c, v, w) : step16(c, Long.reverseBytes(v), Long.reverseBytes(w));
        }
        if (end - i >= 8) {
            long v = buf.getLong(i);
            c = step8(c, bigEndian ? v : Long.reverseBytes(v));
            i += 8;
        }
        for (; i < end; i++) {
            c = c << 8 ^ T0[(c >>> 24 ^ buf.get(i)) & 0xFF];
        }
        return c;
    }

    /**
     * Runs the register over {@code b[off, off + len)}.
     *
     * @throws IndexOutOfBoundsException if the range is not within the array
     */
    public static int update(int crc, byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        int c = crc;
        int i = off;
        int end = off + len;
        for (; end - i >= 16; i += 16) {
            c = step16(c, (long) LONG_BIG_ENDIAN.get(b, i), (long) LONG_BIG_ENDIAN.get(b, i + 8));
        }
        if (end - i >= 8) {
            c = step8(c, (long) LONG_BIG_ENDIAN.get(b, i));
            i += 8;
        }
        for (; i < end; i++) {
            c = c << 8 ^ T0[(c >>> 24 ^ b[i]) & 0xFF];
        }
        return c;
    }

    /**
     * The register after {@link #INITIAL} has run over {@code length} bytes of {@code buf} from absolute
     * {@code offset}: {@code update(INITIAL, buf, offset, length)}, by the fastest route for the length. Long runs
     * (a whole SDU before segmentation, a whole PDU after reassembly) take {@link ReflectedCrcRoute}, the JDK's
     * CRC32 intrinsic on bit-reversed bytes, several times faster than the tables; short runs take the tables.
     * Thread-safe; allocation-free after a thread's first long run.
     *
     * @throws IndexOutOfBoundsException if the range is not within {@code [0, limit)}
     */
    public static int over(ByteBuffer buf, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.limit());
        return length < ReflectedCrcRoute.MIN_BYTES ? update(INITIAL, buf, offset, length)
                : ReflectedCrcRoute.register(buf, offset, length);
    }

    /**
     * {@link #over(ByteBuffer, int, int)} over {@code b[off, off + len)}.
     *
     * @throws IndexOutOfBoundsException if the range is not within the array
     */
    public static int over(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        return len < ReflectedCrcRoute.MIN_BYTES ? update(INITIAL, b, off, len) : ReflectedCrcRoute.register(b, off, len);
    }

    /**
     * Runs the register over {@code count} zero bytes (AAL5 padding) without a buffer of zeros.
     *
     * @throws IllegalArgumentException if count is negative
     */
    public static int updateZeros(int crc, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        int c = crc;
        int n = count;
        for (; n >= 16; n -= 16) {
            c = T15[c >>> 24] ^ T14[c >>> 16 & 0xFF] ^ T13[c >>> 8 & 0xFF] ^ T12[c & 0xFF];
        }
        if (n >= 8) {
            c = T7[c >>> 24] ^ T6[c >>> 16 & 0xFF] ^ T5[c >>> 8 & 0xFF] ^ T4[c & 0xFF];
            n -= 8;
        }
        for (; n > 0; n--) {
            c = c << 8 ^ T0[c >>> 24];
        }
        return c;
    }

    /** The value of the CRC field for a register that has run over the PDU up to that field: {@code ~crc}. */
    public static int finish(int crc) {
        return ~crc;
    }

    /** Feeds sixteen bytes, {@code v} and then {@code w} read big-endian, in one step (slicing-by-16). */
    private static int step16(int c, long v, long w) {
        int a = c ^ (int) (v >>> 32);
        int b = (int) v;
        int d = (int) (w >>> 32);
        int e = (int) w;
        return T15[a >>> 24] ^ T14[a >>> 16 & 0xFF] ^ T13[a >>> 8 & 0xFF] ^ T12[a & 0xFF]
                ^ T11[b >>> 24] ^ T10[b >>> 16 & 0xFF] ^ T9[b >>> 8 & 0xFF] ^ T8[b & 0xFF]
                ^ T7[d >>> 24] ^ T6[d >>> 16 & 0xFF] ^ T5[d >>> 8 & 0xFF] ^ T4[d & 0xFF]
                ^ T3[e >>> 24] ^ T2[e >>> 16 & 0xFF] ^ T1[e >>> 8 & 0xFF] ^ T0[e & 0xFF];
    }

    /** Feeds eight bytes, {@code v} read big-endian, in one step (slicing-by-8, for the tail). */
    private static int step8(int c, long v) {
        int hi = c ^ (int) (v >>> 32);
        int lo = (int) v;
        return T7[hi >>> 24] ^ T6[hi >>> 16 & 0xFF] ^ T5[hi >>> 8 & 0xFF] ^ T4[hi & 0xFF]
                ^ T3[lo >>> 24] ^ T2[lo >>> 16 & 0xFF] ^ T1[lo >>> 8 & 0xFF] ^ T0[lo & 0xFF];
    }
}
