package org.drops.atm.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateBlocksTest {

    /** Arrivals of a sender that moves k SDUs per interval in a burst at {@code burstGapNanos}, intervals of {@code intervalNanos}. */
    private static long[] bursts(int count, int k, long intervalNanos, long burstGapNanos) {
        long[] t = new long[count];
        for (int i = 0; i < count; i++) {
            t[i] = 1_000_000_000L + (i / k) * intervalNanos + (i % k) * burstGapNanos;
        }
        return t;
    }

    @Test
    void evenlySpacedArrivalsAtTheContractGiveExactlyOne() {
        long[] t = new long[1001];
        for (int i = 0; i < t.length; i++) {
            t[i] = i * 1_000_000L; // 1000 SDU/s
        }
        double[] r = RateBlocks.blockRatios(t, t.length, 100, 1000);
        assertEquals(10, r.length);
        for (double x : r) {
            assertEquals(1.0, x, 1e-12);
        }
    }

    @Test
    void burstsStayWithinTheQuantisationResolution() {
        int k = 10;
        long interval = 16_384_000L; // k SDUs per 16.384 ms = 610.35 SDU/s
        double contract = k * 1e9 / interval;
        long[] t = bursts(20_001, k, interval, 484_000L);
        for (int n : new int[] {100, 500, 1000, 10_000}) {
            double[] r = RateBlocks.blockRatios(t, t.length, n, contract);
            double resolution = RateBlocks.resolution(k, n);
            for (double x : r) {
                assertTrue(Math.abs(x - 1) <= resolution + 1e-9, n + "-SDU block at " + x + ", resolution " + resolution);
            }
        }
        // a block that starts at a burst's first SDU and ends at a burst's first SDU is exact
        assertEquals(1.0, RateBlocks.blockRatios(t, t.length, 10_000, contract)[0], 1e-12);
    }

    @Test
    void aSenderFasterThanTheContractShowsAboveOne() {
        long[] t = new long[2001];
        for (int i = 0; i < t.length; i++) {
            t[i] = i * 990_000L; // 1010.1 SDU/s against 1000
        }
        double[] r = RateBlocks.blockRatios(t, t.length, 1000, 1000);
        assertEquals(2, r.length);
        assertEquals(1000.0 / 990, r[0], 1e-9);
    }

    @Test
    void tooFewArrivalsGiveNoBlocks() {
        assertEquals(0, RateBlocks.blockRatios(new long[5], 5, 10, 1).length);
        assertEquals(0, RateBlocks.blockRatios(new long[0], 0, 10, 1).length);
    }

    @Test
    void perSecondBinsCountWholeSecondsOnly() {
        long s = 1_000_000_000L;
        long[] t = {s / 2, s + 1, s + 2, 2 * s + 5, 3 * s - 1, 3 * s + s / 2};
        double[] bits = RateBlocks.bitsPerSecond(t, t.length, s, 3 * s + s / 2, 100);
        // seconds [1,2) and [2,3): 2 and 2 SDUs; the last half second is not reported, the arrival before start not counted
        assertArrayEquals(new double[] {1600, 1600}, bits, 1e-9);
    }

    @Test
    void medianAndFractionWithin() {
        assertEquals(2.5, RateBlocks.median(new double[] {4, 1, 3, 2}), 1e-12);
        assertEquals(3, RateBlocks.median(new double[] {5, 3, 1}), 1e-12);
        assertTrue(Double.isNaN(RateBlocks.median(new double[0])));
        assertEquals(0.5, RateBlocks.fractionWithin(new double[] {0.9985, 1.0, 1.0005, 1.01}, 0.999, 1.001), 1e-12);
        assertEquals(1, RateBlocks.fractionWithin(new double[0], 0.999, 1.001), 1e-12);
    }

    @Test
    void policyIsField41OfTheStatLine() {
        StringBuilder stat = new StringBuilder("1234 (atm-worker (x)) S");
        for (int field = 4; field <= 52; field++) {
            stat.append(' ').append(field == 41 ? "1" : "0");
        }
        assertEquals("FIFO", Figure10Load.policyFromStat(stat.toString()));
        assertEquals("OTHER", Figure10Load.policyFromStat(stat.toString().replace(" 1 0 0 0 0 0 0 0 0 0 0 0", " 0 0 0 0 0 0 0 0 0 0 0 0")));
    }
}
