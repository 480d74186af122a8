package org.drops.atm.upc.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.upc.IntervalCreditPolicy;
import org.junit.jupiter.api.Test;

/**
 * The time-taking path: decisions on the cached time read no clock; a "wait" is confirmed with one fresh reading,
 * so a stale time neither delays nor drops a PDU. Contract: 10 PDUs of 21 cells per 2.1 ms interval.
 */
class ClockedMeterTest {

    private static final long INTERVAL = 2_100_000;

    private final AtomicLong now = new AtomicLong(0);
    private final AtomicLong reads = new AtomicLong();
    private final CachedNanoClock clock = new CachedNanoClock(() -> {
        reads.incrementAndGet();
        return now.get();
    });
    private final Meter meter = new IntervalCreditPolicy().newMeter(TrafficParameters.builder(TrafficClass.CBR)
            .pcrCps(100_000).maxSduBytes(1000).build(), Aal.AAL5, Direction.TRANSMIT, 0);
    private final ClockedMeter clocked = new ClockedMeter(meter, clock);

    @Test
    void conformingDecisionsReadNoClock() {
        long before = reads.get();
        for (int i = 0; i < 10; i++) {
            now.addAndGet(1000); // real time moves on; the batch decides on its start time
            assertEquals(Meter.CONFORMING, clocked.conform(21));
        }
        assertEquals(before, reads.get());
    }

    @Test
    void aStaleTimeNeverDelaysAPdu() {
        for (int i = 0; i < 10; i++) {
            clocked.conform(21);
        }
        // the credit is spent; the real time has reached the next interval but the cache still says 0
        now.set(INTERVAL + 5);
        long before = reads.get();
        assertEquals(Meter.CONFORMING, clocked.conform(21), "fresh credit, found by one more reading");
        assertEquals(before + 1, reads.get());
        assertEquals(INTERVAL + 5, clock.nanoTime());
    }

    @Test
    void aRealWaitIsMeasuredFromAFreshReading() {
        for (int i = 0; i < 10; i++) {
            clocked.conform(21);
        }
        now.set(1_000_000);
        long before = reads.get();
        assertEquals(INTERVAL - 1_000_000, clocked.conform(21));
        assertEquals(before + 1, reads.get(), "one reading for the refused PDU");
        assertEquals(Meter.NEVER, clocked.conform(211), "NEVER needs no time");
    }
}
