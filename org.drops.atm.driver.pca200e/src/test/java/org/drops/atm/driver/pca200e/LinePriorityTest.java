package org.drops.atm.driver.pca200e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.drops.atm.api.scheduling.GrantedPriority;
import org.drops.atm.api.scheduling.RealTimeScheduler;
import org.drops.atm.api.scheduling.SchedulingPolicy;
import org.drops.atm.api.scheduling.SchedulingRequest;
import org.junit.jupiter.api.Test;

/**
 * The line thread asks for SCHED_FIFO only when its line is paced. An unpaced line's thread runs as fast as its FIFO
 * fills (and on the memory link does the peer's reassembly too): at real-time priority it took a whole processor,
 * and guaranteed connections of other platforms on the machine stalled 20-190 ms in send.
 */
class LinePriorityTest {

    /** Records what was asked for and by which thread; grants it. */
    static final class RecordingScheduler implements RealTimeScheduler {
        final List<String> requests = new CopyOnWriteArrayList<>();

        @Override
        public GrantedPriority applyToCurrentThread(SchedulingRequest request) {
            requests.add(Thread.currentThread().getName() + " " + request.policy() + " " + request.priority());
            return new GrantedPriority(request.policy(), request.priority(), 0, 1, true, "test");
        }

        @Override
        public GrantedPriority currentThreadPriority() {
            return GrantedPriority.unchanged("test");
        }
    }

    @Test
    void aPacedLineAsksForRealTimePriorityOnItsOwnThread() throws Exception {
        Pca200eInterface itf = new Pca200eInterface();
        RecordingScheduler scheduler = new RecordingScheduler();
        itf.activate(DeactivatedInterfaceReleasesDeviceTest.config(Map.of("atm_itf", 8, "memory_loopback", true)));
        try {
            itf.setScheduler(scheduler);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (scheduler.requests.isEmpty() && System.nanoTime() - deadline < 0) {
                Thread.sleep(1); // waiting for the line thread to run the request, not a mechanism
            }
            assertEquals(List.of("atm-pca200e8-line " + SchedulingPolicy.FIFO + " " + Pca200eInterface.LINE_PRIORITY),
                    scheduler.requests);
            assertTrue(itf.linePriority.policy().isRealTime(), String.valueOf(itf.linePriority));
        } finally {
            itf.deactivate();
        }
    }

    @Test
    void anUnpacedLineStaysAtTimeSharingPriorityAndSaysWhy() throws Exception {
        Pca200eInterface itf = new Pca200eInterface();
        RecordingScheduler scheduler = new RecordingScheduler();
        itf.activate(DeactivatedInterfaceReleasesDeviceTest.config(Map.of("atm_itf", 9, "memory_loopback", true,
                "line_rate", "unlimited")));
        try {
            itf.setScheduler(scheduler);
            assertTrue(itf.linePriority.detail().contains("unpaced"), String.valueOf(itf.linePriority));
            // a wrongly queued request runs at the line thread's next loop (an idle line parks 10 ms at most)
            Thread.sleep(200);
            assertEquals(List.of(), scheduler.requests);
        } finally {
            itf.deactivate();
        }
    }
}
