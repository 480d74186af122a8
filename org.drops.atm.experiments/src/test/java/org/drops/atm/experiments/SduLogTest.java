package org.drops.atm.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SduLogTest {

    /** A greedy interval-credit sender: 10 SDUs of 8192 B back to back at each interval start (paper §2.5). */
    private static SduLog bursts(long intervalNanos, long sduSpacingNanos, int intervals, long jitterNanos) {
        SduLog log = new SduLog();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < intervals; i++) {
            long start = i * intervalNanos + (jitterNanos == 0 ? 0 : (long) (random.nextDouble() * jitterNanos));
            for (int k = 0; k < 10; k++) {
                log.add(start + k * sduSpacingNanos, 8192);
            }
        }
        return log;
    }

    @Test
    void bytesBetweenCountsTheSdusInAHalfOpenWindow() {
        SduLog log = new SduLog();
        log.add(100, 10);
        log.add(200, 20);
        log.add(300, 30);
        assertEquals(60, log.bytesBetween(0, 1000));
        assertEquals(20, log.bytesBetween(200, 300));
        assertEquals(50, log.bytesBetween(150, 301));
        assertEquals(0, log.bytesBetween(301, 1000));
        assertEquals(60, log.bytes());
    }

    @Test
    void wholeIntervalsCutsTheWindowToAMultipleOfTheInterval() {
        assertArrayEquals(new long[] {1000, 1000 + 4 * 230}, SduLog.wholeIntervals(1000, 2000, 230));
        assertArrayEquals(new long[] {1000, 2000}, SduLog.wholeIntervals(1000, 2000, 0)); // GCRA: no intervals
        assertArrayEquals(new long[] {1000, 2000}, SduLog.wholeIntervals(1000, 2000, 5000));
    }

    @Test
    void aWindowOfWholeIntervalsRemovesTheCreditQuantisation() {
        // Table 2, row A: 81920 B per 10.24 ms = 8e6 B/s; SDUs leave at the OC-3 line rate, one per 484 us
        long interval = 10_240_000;
        SduLog log = bursts(interval, 484_000, 700, 0);
        double worstArbitrary = 0;
        double worstWhole = 0;
        for (long offset = 0; offset < interval; offset += 97_000) {
            long from = 500_000_000L + offset;
            long to = from + 5_000_000_000L; // 5 s, not a multiple of 10.24 ms
            worstArbitrary = Math.max(worstArbitrary, Math.abs(SduLog.errorPercent(log.bytesPerSecond(from, to), 8e6)));
            long[] w = SduLog.wholeIntervals(from, to, interval);
            worstWhole = Math.max(worstWhole, Math.abs(SduLog.errorPercent(log.bytesPerSecond(w[0], w[1]), 8e6)));
        }
        // up to one credit in principle (0.2 %); the burst spread over 4.8 ms at the line rate smooths it to 0.065 %,
        // still more than the 0.05 % target
        assertTrue(worstArbitrary > 0.05, "an arbitrary 5-s window is off by a part of one credit: " + worstArbitrary);
        assertTrue(worstWhole < 1e-9, "whole intervals are exact: " + worstWhole);
    }

    @Test
    void withWakeUpJitterTheWholeIntervalWindowIsOffByAtMostTheJitteredPart() {
        long interval = 10_240_000;
        SduLog log = bursts(interval, 484_000, 700, 1_000_000); // the worker wakes up to 1 ms late
        long[] w = SduLog.wholeIntervals(500_123_000L, 5_500_123_000L, interval);
        // at most the SDUs of one burst that 1 ms of shift moves across an edge: 3 of 8192 B over ~5 s
        assertTrue(Math.abs(SduLog.errorPercent(log.bytesPerSecond(w[0], w[1]), 8e6)) <= 3 * 8192 * 100.0 / (8e6 * 4.99));
    }

    @Test
    void errorIsRelativeToTheRequestedRate() {
        assertEquals(-1.0, SduLog.errorPercent(99, 100), 1e-12);
        assertEquals(0.05, SduLog.errorPercent(8_004_000, 8_000_000), 1e-9);
    }

    @Test
    void theShortModeBoundIsAsymmetric() {
        assertTrue(Table2Precision.inBound(-4.9));
        assertTrue(Table2Precision.inBound(0.4));
        assertTrue(!Table2Precision.inBound(0.6), "a meter that grants more than the contract is wrong");
        assertTrue(!Table2Precision.inBound(-5.1));
    }
}
