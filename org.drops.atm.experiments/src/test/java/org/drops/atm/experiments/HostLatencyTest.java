package org.drops.atm.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostLatencyTest {

    private static final long MS = 1_000_000L;

    /**
     * cyclictest -v output of one thread on an absolute 1-ms schedule from time 0 (µs) until {@code stopMicros},
     * on a machine that stops during {@code stalls} ({from, to} µs): a cycle due in a stall wakes when it ends, and
     * the next due time is the first after the wake-up (cyclictest does not replay the cycles it missed).
     */
    private static void simulate(HostLatency.Samples s, int thread, long[][] stalls, long stopMicros) {
        long due = 0;
        for (long cycle = 0; due < stopMicros; cycle++) {
            long wake = due + 20 + thread;
            for (long[] stall : stalls) {
                if (wake >= stall[0] && due < stall[1]) {
                    wake = stall[1] + 5;
                }
            }
            s.accept(String.format("%8d:%8d:%8d", thread, cycle, wake - due));
            long next = due + 1_000;
            while (wake > next) {
                next += 1_000;
            }
            due = next;
        }
    }

    private static final long[][] TWO_STALLS = {{300_400, 317_400}, {700_000, 725_500}};

    private static HostLatency.Report twoThreadsThroughTwoStalls(long stopNanos) {
        HostLatency.Samples s = new HostLatency.Samples();
        s.accept("Max CPUs = 2");
        s.accept("Thread 0 Interval: 1000");
        simulate(s, 0, TWO_STALLS, 1_000_250);
        simulate(s, 1, TWO_STALLS, 1_000_250);
        return s.report(stopNanos, 0);
    }

    @Test
    void stallsSeenByEveryThreadAreOneWindowEachAtTheirTime() {
        long origin = 5_000 * MS; // the meter's time 0 in System.nanoTime
        HostLatency.Report r = twoThreadsThroughTwoStalls(origin + 1_000_250_000L);
        assertTrue(r.measured());
        assertEquals(2, r.stalls().size(), "the late wake-ups of both threads merge: " + r.stalls());
        for (int i = 0; i < 2; i++) {
            HostLatency.Window w = r.stalls().get(i);
            long from = origin + TWO_STALLS[i][0] * 1_000;
            long to = origin + TWO_STALLS[i][1] * 1_000;
            // the first cycle due in a stall is up to an interval after its start; the base is known to half an interval
            assertTrue(Math.abs(w.startNanos() - from) <= 3 * MS / 2, w + " starts near " + from);
            assertTrue(Math.abs(w.endNanos() - to) <= MS, w + " ends near " + to);
        }
        assertEquals(25_505, r.stalls().get(1).worstMicros(), "the longest wake-up: due at the stall's start");
    }

    @Test
    void anIntervalTouchesAStallOnlyWithinItOrItsCatchUp() {
        HostLatency.Report r = twoThreadsThroughTwoStalls(1_000_250_000L);
        HostLatency.Window w = r.stalls().get(0);
        assertTrue(r.stalledDuring(w.startNanos() - 5 * MS, w.startNanos() + MS, 0, 0));
        assertFalse(r.stalledDuring(w.startNanos() - 5 * MS, w.startNanos() - 2 * MS, MS, 0), "before, beyond the slack");
        assertTrue(r.stalledDuring(w.startNanos() - 5 * MS, w.startNanos() - 2 * MS, 3 * MS, 0), "within the slack");
        long afterEnd = w.endNanos() + 10 * MS;
        assertFalse(r.stalledDuring(afterEnd, afterEnd + MS, 0, 0), "after the stall, no catch-up allowed");
        assertTrue(r.stalledDuring(afterEnd, afterEnd + MS, 0, 1.0), "within one stall length after it: catching up");
        assertFalse(r.stalledDuring(afterEnd + 10 * MS, afterEnd + 11 * MS, 0, 1.0));
    }

    @Test
    void theClosingSummaryCountsCyclesWhoseSamplesWentUnprinted() {
        HostLatency.Samples s = new HostLatency.Samples();
        for (int cycle = 0; cycle <= 900; cycle++) {
            s.accept(String.format("%8d:%8d:%8d", 0, cycle, cycle == 100 ? 5_000 : 20));
        }
        s.accept("T: 0 ( 7941) P:80 I:1000 C:   1000 Min:     14 Act:   27 Avg:   17 Max:    5000");
        HostLatency.Report r = s.report(1_000_000 * MS, 0);
        long base = 1_000_000 * MS - (999 + 4) * MS - MS / 2; // cycle 999 was the last; the late one skipped 4
        assertEquals(List.of(new HostLatency.Window(base + 100 * MS, base + 105 * MS, 5_000)), r.stalls());
        assertEquals(901, r.wakeUps(), "wake-ups counted are the samples seen");
    }

    @Test
    void aLateWakeUpSkipsTheDueTimesItPassed() {
        assertEquals(0, HostLatency.skipped(20));
        assertEquals(0, HostLatency.skipped(1_000), "woken exactly at the next due time: it is not yet past");
        assertEquals(1, HostLatency.skipped(1_001));
        assertEquals(31, HostLatency.skipped(31_281));
    }

    @Test
    void ordinaryWakeUpLatencyIsNoStall() {
        HostLatency.Samples s = new HostLatency.Samples();
        for (int cycle = 0; cycle < 100; cycle++) {
            s.accept(String.format("%8d:%8d:%8d", 0, cycle, cycle == 50 ? HostLatency.STALL_MICROS - 1 : 30));
        }
        HostLatency.Report r = s.report(1_000 * MS, 0);
        assertEquals(List.of(), r.stalls());
        assertEquals(HostLatency.STALL_MICROS - 1, r.worstMicros());
        assertTrue(r.summary(0).contains("stalls of the machine (a wake-up 2 ms late or more): 0"), r.summary(0));
    }

    @Test
    void aMeterThatCouldNotRunSaysWhy() {
        HostLatency.Samples s = new HostLatency.Samples();
        s.accept("Unable to change scheduling policy!");
        s.accept("either run as root or join realtime group");
        HostLatency.Report r = s.report(1_000 * MS, 255);
        assertFalse(r.measured());
        assertTrue(r.unavailable().contains("exited with 255"), r.unavailable());
        assertTrue(r.unavailable().contains("run as root"), r.unavailable());
        assertFalse(r.stalledDuring(0, Long.MAX_VALUE / 2, 0, 0));
        assertTrue(r.summary(0).startsWith("host wake-up latency: not measured ("), r.summary(0));
    }
}
