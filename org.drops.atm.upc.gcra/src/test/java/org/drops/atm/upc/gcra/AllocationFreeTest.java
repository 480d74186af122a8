package org.drops.atm.upc.gcra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.junit.jupiter.api.Test;

/** GCRA meters allocate nothing per decision, whatever the PDU sizes (the cached increment is recomputed). */
class AllocationFreeTest {

    private static final int DECISIONS = 200_000;

    private final GcraPolicy policy = new GcraPolicy();
    private long now;

    private long decide(Meter[] meters, int decisions) {
        long conforming = 0;
        for (int i = 0; i < decisions; i++) {
            now += (i * 7919L) % 200_000;
            Meter meter = meters[i % meters.length];
            if (meter.conform(now, 1 + (i * 31) % 200) == Meter.CONFORMING) {
                conforming++;
            }
            meter.availableCells(now);
        }
        return conforming;
    }

    @Test
    void meterDecisionsAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // HotSpot, which this project builds and runs on, always has the counter; on a VM without it allocation
        // cannot be measured at all, which is not a failure of the code under test.
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counter not available");
        threads.setThreadAllocatedMemoryEnabled(true);
        Meter[] meters = {
            policy.newMeter(TrafficParameters.cbr(166_993, 8192), Aal.AAL5, Direction.TRANSMIT, 0),
            policy.newMeter(TrafficParameters.builder(TrafficClass.RT_VBR).pcrCps(100_000).scrCps(20_000).mbsCells(400)
                    .build(), Aal.AAL5, Direction.TRANSMIT, 0),
            policy.newMeter(TrafficParameters.ubr(), Aal.AAL5, Direction.RECEIVE, 0)};
        decide(meters, DECISIONS);
        long probe0 = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        long probe1 = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        long least = Long.MAX_VALUE;
        long conforming = 0;
        // the smallest of three runs: a per-decision allocation shows in each, a one-off JIT transition does not
        for (int run = 0; run < 3; run++) {
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            conforming = decide(meters, DECISIONS);
            long after = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            least = Math.min(least, after - before - (probe1 - probe0));
        }
        assertEquals(0, least, "bytes allocated by " + DECISIONS + " decisions");
        assertTrue(conforming > 0 && conforming < DECISIONS, "both outcomes exercised: " + conforming);
    }
}
