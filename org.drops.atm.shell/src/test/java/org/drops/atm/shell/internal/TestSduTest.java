package org.drops.atm.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TestSduTest {

    @Test
    void aSequenceNumberWrittenIntoTheTemplateIsReadBackWithAndWithoutLlc() {
        for (boolean llc : new boolean[] {false, true}) {
            ByteBuffer sdu = ByteBuffer.wrap(TestSdu.template(100, llc));
            TestSdu.setSequence(sdu, llc, 123_456_789L);
            assertEquals(123_456_789L, TestSdu.sequence(sdu), "llc " + llc);
            assertEquals(llc ? (byte) 0xAA : (byte) '#', sdu.get(0));
            assertEquals(99, sdu.get(99), "filler byte i = i mod 256");
        }
    }

    @Test
    void otherTrafficAndTooShortSdusHaveNoSequence() {
        assertEquals(-1, TestSdu.sequence(ByteBuffer.wrap(new byte[64])));
        ByteBuffer shortOne = ByteBuffer.wrap(TestSdu.template(TestSdu.MIN_BYTES, false));
        shortOne.limit(TestSdu.MIN_BYTES - 1);
        assertEquals(-1, TestSdu.sequence(shortOne));
        assertEquals(0, TestSdu.sequence(ByteBuffer.wrap(TestSdu.template(TestSdu.MIN_BYTES, false))));
    }
}
