package org.drops.atm.upc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.drops.atm.api.policing.Meter;
import org.junit.jupiter.api.Test;

/** Receive meters tolerate the path shifting a conforming sender's intervals, and still bound the rate. */
class ReceiveMeterTest {

    // 10 PDUs of 171 cells per interval at 171000 cells/s: intervals of 10 ms
    private static IntervalCreditMeter receive() {
        return new IntervalCreditMeter(new IntervalSchedule(0, 10 * 171, 171_000), true);
    }

    @Test
    void aConformingSendersShiftedBurstsAreNotDropped() {
        IntervalCreditMeter m = receive();
        // the end of the sender's interval and the start of its next land in one receive interval: 12 PDUs
        for (int i = 0; i < 12; i++) {
            assertEquals(Meter.CONFORMING, m.conform(5_000_000L + i * 1000, 171), "PDU " + i);
        }
        // the next receive interval has what was not borrowed: 8 PDUs
        int next = 0;
        while (m.conform(12_000_000L + next * 1000, 171) == Meter.CONFORMING) {
            next++;
        }
        assertEquals(8, next);
    }

    @Test
    void aSenderAboveItsContractIsStillCaught() {
        IntervalCreditMeter m = receive();
        long conforming = 0;
        // twice the contract (1000 PDUs/s) for a second: 2000 PDUs offered evenly
        for (int i = 0; i < 2000; i++) {
            if (m.conform(i * 500_000L, 171) == Meter.CONFORMING) {
                conforming++;
            }
        }
        // the contract's 1000 PDUs in 100 intervals, plus at most one interval borrowed
        assertTrue(conforming <= 1010, "conforming " + conforming);
        assertTrue(conforming >= 1000, "conforming " + conforming);
    }

    @Test
    void transmitMetersDoNotBorrow() {
        IntervalCreditMeter m = new IntervalCreditMeter(new IntervalSchedule(0, 10 * 171, 171_000));
        for (int i = 0; i < 10; i++) {
            assertEquals(Meter.CONFORMING, m.conform(1000 + i, 171));
        }
        assertTrue(m.conform(2000, 171) > 0, "the 11th waits for the next interval");
    }
}
