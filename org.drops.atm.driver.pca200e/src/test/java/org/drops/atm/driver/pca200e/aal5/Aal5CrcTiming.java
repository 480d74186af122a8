package org.drops.atm.driver.pca200e.aal5;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * The quick timing behind the choice of {@link Aal5Crc}'s implementation; not a test (surefire runs only
 * {@code *Test}) and not a benchmark to quote beyond "which is faster here". Run it with
 * <pre>
 *  java -cp target/classes:target/test-classes org.drops.atm.driver.pca200e.aal5.Aal5CrcTiming
 * </pre>
 * It times CRC-32/BZIP2 over 48-byte steps (one cell payload per call, as {@link Segmenter} and
 * {@link Reassembler} run it) and over a whole 64 KiB buffer, for:
 * {@link Aal5Crc} (slicing-by-16), a slicing-by-8 and a byte-wise table, and the
 * {@code java.util.zip.CRC32} intrinsic fed bit-reversed bytes through a 4 KiB scratch array
 * (CRC-32/BZIP2(d) = reverse32(CRC-32(bitReverseEachByte(d)))) with a scalar reversal; and, over one 8 KiB PDU
 * in direct memory, the tables against {@link Aal5Crc#over} (the same intrinsic with the reversal vectorised,
 * {@link ReflectedCrcRoute}), which the segmenter and the reassembler use.
 */
public final class Aal5CrcTiming {

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_NATIVE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int[][] T = new int[8][256];
    // Static final fields, so the JIT knows each table's length and drops the bounds checks, as in Aal5Crc.
    private static final int[] T0 = T[0], T1 = T[1], T2 = T[2], T3 = T[3], T4 = T[4], T5 = T[5], T6 = T[6], T7 = T[7];

    static {
        for (int n = 0; n < 256; n++) {
            int r = n << 24;
            for (int i = 0; i < 8; i++) {
                r = r < 0 ? r << 1 ^ Aal5Crc.POLYNOMIAL : r << 1;
            }
            T[0][n] = r;
        }
        for (int k = 1; k < 8; k++) {
            for (int n = 0; n < 256; n++) {
                T[k][n] = T[k - 1][n] << 8 ^ T[0][T[k - 1][n] >>> 24];
            }
        }
    }

    private Aal5CrcTiming() {
    }

    static int byteWise(int c, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            c = c << 8 ^ T0[(c >>> 24 ^ b[i]) & 0xFF];
        }
        return c;
    }

    static int slicingBy8(int c, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        for (; end - i >= 8; i += 8) {
            long v = (long) LONG_BE.get(b, i);
            int hi = c ^ (int) (v >>> 32);
            int lo = (int) v;
            c = T7[hi >>> 24] ^ T6[hi >>> 16 & 0xFF] ^ T5[hi >>> 8 & 0xFF] ^ T4[hi & 0xFF]
                    ^ T3[lo >>> 24] ^ T2[lo >>> 16 & 0xFF] ^ T1[lo >>> 8 & 0xFF] ^ T0[lo & 0xFF];
        }
        return byteWise(c, b, i, end - i);
    }

    /** The intrinsic route: needs this state per caller, and always starts from the initial register. */
    static final class ViaCrc32 {
        final CRC32 crc32 = new CRC32();
        final byte[] scratch = new byte[4096];

        void reset() {
            crc32.reset();
        }

        void update(byte[] b, int off, int len) {
            while (len > 0) {
                int n = Math.min(len, scratch.length);
                int i = 0;
                for (; i + 8 <= n; i += 8) {
                    LONG_NATIVE.set(scratch, i, reverseBitsInEachByte((long) LONG_NATIVE.get(b, off + i)));
                }
                for (; i < n; i++) {
                    scratch[i] = (byte) (Integer.reverse(b[off + i]) >>> 24);
                }
                crc32.update(scratch, 0, n);
                off += n;
                len -= n;
            }
        }

        int register() {
            return ~Integer.reverse((int) crc32.getValue());
        }

        static long reverseBitsInEachByte(long x) {
            x = (x & 0x5555_5555_5555_5555L) << 1 | x >>> 1 & 0x5555_5555_5555_5555L;
            x = (x & 0x3333_3333_3333_3333L) << 2 | x >>> 2 & 0x3333_3333_3333_3333L;
            return (x & 0x0F0F_0F0F_0F0F_0F0FL) << 4 | x >>> 4 & 0x0F0F_0F0F_0F0F_0F0FL;
        }
    }

    public static void main(String[] args) {
        int size = 65_520; // 1365 cell payloads
        byte[] data = new byte[size];
        new Random(1).nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(size);
        direct.put(data).clear();
        ViaCrc32 via = new ViaCrc32();
        int expected = Aal5Crc.update(Aal5Crc.INITIAL, data, 0, size);
        via.update(data, 0, size);
        check(via.register() == expected && Aal5Crc.over(direct, 0, size) == expected && slicingBy8(-1, data, 0, size) == expected
                && byteWise(-1, data, 0, size) == expected && Aal5Crc.update(-1, direct, 0, size) == expected);
        int reps = 3000;
        for (int round = 0; round < 5; round++) {
            long sink = 0;
            long t = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                int c = Aal5Crc.INITIAL;
                for (int o = 0; o < size; o += 48) {
                    c = Aal5Crc.update(c, data, o, 48);
                }
                sink += c;
            }
            t = report("Aal5Crc (slicing-by-16), 48 B steps, byte[]", t, reps, size);
            for (int r = 0; r < reps; r++) {
                int c = Aal5Crc.INITIAL;
                for (int o = 0; o < size; o += 48) {
                    c = Aal5Crc.update(c, direct, o, 48);
                }
                sink += c;
            }
            t = report("Aal5Crc (slicing-by-16), 48 B steps, direct", t, reps, size);
            for (int r = 0; r < reps; r++) {
                int c = Aal5Crc.INITIAL;
                for (int o = 0; o < size; o += 48) {
                    c = slicingBy8(c, data, o, 48);
                }
                sink += c;
            }
            t = report("slicing-by-8, 48 B steps", t, reps, size);
            for (int r = 0; r < reps; r++) {
                via.reset();
                for (int o = 0; o < size; o += 48) {
                    via.update(data, o, 48);
                }
                sink += via.register();
            }
            t = report("CRC32 intrinsic + bit reversal, 48 B steps", t, reps, size);
            for (int r = 0; r < reps; r++) {
                sink += Aal5Crc.update(Aal5Crc.INITIAL, data, 0, size);
            }
            t = report("Aal5Crc (slicing-by-16), 64 KiB", t, reps, size);
            for (int r = 0; r < reps; r++) {
                sink += slicingBy8(-1, data, 0, size);
            }
            t = report("slicing-by-8, 64 KiB", t, reps, size);
            for (int r = 0; r < reps / 4; r++) {
                sink += byteWise(-1, data, 0, size);
            }
            t = report("byte-wise, 64 KiB", t, reps / 4, size);
            for (int r = 0; r < reps; r++) {
                via.reset();
                via.update(data, 0, size);
                sink += via.register();
            }
            t = report("CRC32 intrinsic + scalar bit reversal, 64 KiB", t, reps, size);
            // What the segmenter and the reassembler run now: one call over a whole 8 KiB PDU in direct memory.
            int pdu = 8208;
            int pdus = reps * (size / pdu);
            for (int r = 0; r < pdus; r++) {
                sink += Aal5Crc.update(Aal5Crc.INITIAL, direct, 0, pdu);
            }
            t = report("Aal5Crc.update (slicing-by-16), 8 KiB, direct", t, pdus, pdu);
            for (int r = 0; r < pdus; r++) {
                sink += Aal5Crc.over(direct, 0, pdu);
            }
            report("Aal5Crc.over (vectorised reversal), 8 KiB", t, pdus, pdu);
            System.out.println(sink == 42 ? "!" : "");
        }
    }

    private static long report(String what, long startNanos, int reps, int size) {
        long now = System.nanoTime();
        System.out.printf("%-46s %5.2f GB/s%n", what, (double) reps * size / (now - startNanos));
        return System.nanoTime();
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new AssertionError("implementations disagree");
        }
    }
}
