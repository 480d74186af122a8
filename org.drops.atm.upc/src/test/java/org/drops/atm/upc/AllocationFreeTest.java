package org.drops.atm.upc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.upc.clock.CachedNanoClock;
import org.drops.atm.upc.clock.ClockedMeter;
import org.junit.jupiter.api.Test;

/**
 * Meters allocate nothing per decision, on every path (conforming, waiting, entering the next interval,
 * jumping over idle intervals, NEVER), measured with the JVM's per-thread allocation counter.
 */
class AllocationFreeTest {

    private static final int DECISIONS = 200_000;

    private final IntervalCreditPolicy policy = new IntervalCreditPolicy();
    private final long[] simulatedNanos = {0};

    private Meter[] meters() {
        return new Meter[] {
            policy.newMeter(TrafficParameters.cbr(166_993, 8192), Aal.AAL5, Direction.TRANSMIT, 0),
            policy.newMeter(TrafficParameters.builder(TrafficClass.RT_VBR).pcrCps(100_000).scrCps(20_000).mbsCells(400)
                    .maxSduBytes(1500).build(), Aal.AAL5, Direction.TRANSMIT, 0),
            policy.newMeter(TrafficParameters.ubr(), Aal.AAL5, Direction.RECEIVE, 0)};
    }

    /** Decisions of mixed sizes at times that advance by up to 2 ms, with now and then an idle second. */
    private long decide(Meter[] meters, ClockedMeter[] clocked, int decisions) {
        long conforming = 0;
        for (int i = 0; i < decisions; i++) {
            simulatedNanos[0] += (i * 7919L) % 2_000_000 + (i % 5000 == 0 ? 1_000_000_000L : 0);
            int cells = 1 + (i * 31) % 200;
            Meter meter = meters[i % meters.length];
            if (meter.conform(simulatedNanos[0], cells) == Meter.CONFORMING) {
                conforming++;
            }
            meter.availableCells(simulatedNanos[0]);
            if (clocked[i % clocked.length].conform(cells) == Meter.CONFORMING) {
                conforming++;
            }
            if (i % 10 == 0) {
                clocked[0].clock().update();
            }
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
        Meter[] meters = meters();
        CachedNanoClock clock = new CachedNanoClock(() -> simulatedNanos[0]);
        Meter[] others = meters();
        ClockedMeter[] clocked = {new ClockedMeter(others[0], clock), new ClockedMeter(others[1], clock),
            new ClockedMeter(others[2], clock)};
        long warm = decide(meters, clocked, DECISIONS);

        // The counter itself: two reads in a row, so that what the probe costs is not blamed on the meters. The
        // smallest of three runs counts: a one-off allocation by the JIT's own transitions (seen once, 136 bytes)
        // is not per decision, while a per-decision allocation would show in every run.
        long probe0 = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        long probe1 = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        long least = Long.MAX_VALUE;
        long conforming = 0;
        for (int run = 0; run < 3; run++) {
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            conforming = decide(meters, clocked, DECISIONS);
            long after = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            least = Math.min(least, after - before - (probe1 - probe0));
        }
        assertEquals(0, least, "bytes allocated by " + 2 * DECISIONS + " decisions");
        // the run exercised both outcomes
        assertEquals(true, warm > 0 && conforming > 0 && conforming < 2L * DECISIONS, "conforming: " + conforming);
    }
}
