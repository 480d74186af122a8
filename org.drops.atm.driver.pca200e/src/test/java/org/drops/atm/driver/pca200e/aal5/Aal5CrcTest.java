package org.drops.atm.driver.pca200e.aal5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class Aal5CrcTest {

    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Example
    void checkValueIsThatOfCrc32Bzip2() {
        assertEquals(0xFC89_1918, Aal5Crc.finish(Aal5Crc.update(Aal5Crc.INITIAL, CHECK, 0, CHECK.length)));
    }

    @Example
    void registerOverMessageAndItsCrcIsTheResidue() {
        int crc = Aal5Crc.finish(Aal5Crc.update(Aal5Crc.INITIAL, CHECK, 0, CHECK.length));
        byte[] withCrc = ByteBuffer.allocate(CHECK.length + 4).put(CHECK).putInt(crc).array();
        assertEquals(Aal5Crc.RESIDUE, Aal5Crc.update(Aal5Crc.INITIAL, withCrc, 0, withCrc.length));
        assertEquals(0xC704_DD7B, Aal5Crc.RESIDUE);
        // The residue is x^32 * (x^31 + ... + 1) mod G: four 0xFF bytes run through a zero register.
        byte[] ones = {-1, -1, -1, -1};
        assertEquals(Aal5Crc.RESIDUE, Aal5Crc.update(0, ones, 0, 4));
    }

    @Example
    void testPduOfAtmFactsHasCrcFbb97124() {
        // ATM-FACTS §3.4: "123456789", 31 zero bytes of padding, trailer 00 00 00 09, CRC 0xFBB97124
        ByteBuffer pdu = ByteBuffer.allocate(48).put(CHECK).position(40).putInt(9).flip();
        pdu.limit(44);
        assertEquals(0xFBB9_7124, Aal5Crc.finish(Aal5Crc.update(Aal5Crc.INITIAL, pdu, 0, 44)));
    }

    @Property(tries = 500)
    void agreesWithBitwiseDefinitionOnEveryKindOfBuffer(@ForAll @IntRange(min = 0, max = 300) int length,
            @ForAll @IntRange(min = 0, max = 17) int offset, @ForAll long seed, @ForAll int register) {
        byte[] data = new byte[offset + length + 5];
        new Random(seed).nextBytes(data);
        int expected = bitwise(register, data, offset, length);

        assertEquals(expected, Aal5Crc.update(register, data, offset, length));
        for (ByteBuffer buf : buffersHolding(data)) {
            buf.position(2).limit(data.length - 1);
            assertEquals(expected, Aal5Crc.update(register, buf, offset, length), buf.toString());
            assertEquals(2, buf.position());
            assertEquals(data.length - 1, buf.limit());
        }
        // A sliced heap buffer: absolute offsets are relative to the slice, arrayOffset is honoured.
        ByteBuffer slice = ByteBuffer.wrap(data, 3, data.length - 3).slice();
        if (offset >= 3) {
            assertEquals(expected, Aal5Crc.update(register, slice, offset - 3, length));
        }
    }

    @Property(tries = 300)
    void runningRegisterMaySplitTheDataAnywhere(@ForAll @IntRange(min = 0, max = 200) int length,
            @ForAll @IntRange(min = 0, max = 200) int split, @ForAll long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        int at = Math.min(split, length);
        int whole = Aal5Crc.update(Aal5Crc.INITIAL, data, 0, length);
        int parts = Aal5Crc.update(Aal5Crc.update(Aal5Crc.INITIAL, data, 0, at), data, at, length - at);
        assertEquals(whole, parts);
    }

    @Property(tries = 200)
    void updateZerosEqualsUpdateOverZeroBytes(@ForAll @IntRange(min = 0, max = 100) int count, @ForAll int register) {
        assertEquals(Aal5Crc.update(register, new byte[count], 0, count), Aal5Crc.updateZeros(register, count));
    }

    @Property(tries = 300)
    void overAWholeRunEqualsTheBitwiseDefinitionOnEveryKindOfBuffer(
            @ForAll @IntRange(min = 0, max = 9000) int length, @ForAll @IntRange(min = 0, max = 17) int offset,
            @ForAll long seed) {
        // Lengths cross the tables/intrinsic threshold (256) and the intrinsic route's 4 KiB scratch chunks.
        byte[] data = new byte[offset + length + 3];
        new Random(seed).nextBytes(data);
        int expected = bitwise(Aal5Crc.INITIAL, data, offset, length);

        assertEquals(expected, Aal5Crc.over(data, offset, length));
        for (ByteBuffer buf : buffersHolding(data)) {
            buf.position(1).limit(data.length - 1);
            assertEquals(expected, Aal5Crc.over(buf, offset, length), buf.toString());
            assertEquals(1, buf.position());
        }
        ByteBuffer slice = ByteBuffer.wrap(data, 2, data.length - 2).slice();
        if (offset >= 2) {
            assertEquals(expected, Aal5Crc.over(slice, offset - 2, length));
        }
    }

    @Example
    void overAWholePduWithItsCrcIsTheResidue() {
        byte[] pdu = new byte[8208];
        new Random(7).nextBytes(pdu);
        int field = Aal5Crc.finish(Aal5Crc.over(pdu, 0, pdu.length - 4));
        ByteBuffer.wrap(pdu).putInt(pdu.length - 4, field);
        assertEquals(Aal5Crc.RESIDUE, Aal5Crc.over(pdu, 0, pdu.length));
        assertEquals(Aal5Crc.RESIDUE, Aal5Crc.over(ByteBuffer.allocateDirect(pdu.length).put(pdu), 0, pdu.length));
    }

    @Example
    void rangesOutsideTheBufferAreRejected() {
        assertThrows(IndexOutOfBoundsException.class, () -> Aal5Crc.over(new byte[300], 5, 296));
        assertThrows(IndexOutOfBoundsException.class, () -> Aal5Crc.over(ByteBuffer.allocateDirect(400).limit(300), 0, 301));
        assertThrows(IndexOutOfBoundsException.class, () -> Aal5Crc.update(0, new byte[10], 5, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> Aal5Crc.update(0, new byte[10], -1, 2));
        ByteBuffer buf = ByteBuffer.allocateDirect(16).limit(10);
        assertThrows(IndexOutOfBoundsException.class, () -> Aal5Crc.update(0, buf, 8, 3));
        assertThrows(IllegalArgumentException.class, () -> Aal5Crc.updateZeros(0, -1));
    }

    /** The definition: MSB first, one bit at a time, no tables. */
    static int bitwise(int register, byte[] data, int offset, int length) {
        int c = register;
        for (int i = offset; i < offset + length; i++) {
            c ^= (data[i] & 0xFF) << 24;
            for (int bit = 0; bit < 8; bit++) {
                c = c < 0 ? c << 1 ^ Aal5Crc.POLYNOMIAL : c << 1;
            }
        }
        return c;
    }

    private static ByteBuffer[] buffersHolding(byte[] data) {
        ByteBuffer heap = ByteBuffer.wrap(data.clone());
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).clear();
        ByteBuffer directLittle = ByteBuffer.allocateDirect(data.length).put(data).clear().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer heapLittle = ByteBuffer.wrap(data.clone()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer readOnly = ByteBuffer.wrap(data.clone()).asReadOnlyBuffer();
        ByteBuffer readOnlyLittle = ByteBuffer.wrap(data.clone()).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return new ByteBuffer[] {heap, direct, directLittle, heapLittle, readOnly, readOnlyLittle};
    }
}
