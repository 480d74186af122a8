package org.drops.atm.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.drops.atm.experiments.PairedRatios.Verdict;
import org.junit.jupiter.api.Test;

class PairedRatiosTest {

    @Test
    void ratiosArePairwise() {
        assertArrayEquals(new double[] {2, 0.5, 1}, PairedRatios.ratios(new double[] {4, 1, 3}, new double[] {2, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> PairedRatios.ratios(new double[2], new double[3]));
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        double[] v = {4, 1, 3, 2, 5};
        assertEquals(1, PairedRatios.quantile(v, 0));
        assertEquals(2, PairedRatios.quantile(v, 0.25));
        assertEquals(3, PairedRatios.quantile(v, 0.5));
        assertEquals(5, PairedRatios.quantile(v, 1));
        assertEquals(2.5, PairedRatios.quantile(new double[] {1, 2, 3, 4}, 0.5));
        assertEquals(1.75, PairedRatios.quantile(new double[] {1, 2, 3, 4}, 0.25));
        assertTrue(Double.isNaN(PairedRatios.quantile(new double[0], 0.5)));
        assertArrayEquals(new double[] {4, 1, 3, 2, 5}, v, "the input is not sorted in place");
    }

    @Test
    void binomialCdfMatchesHandComputedValues() {
        // n = 20: P(B <= 5) = (1 + 20 + 190 + 1140 + 4845 + 15504) / 2^20
        assertEquals(21700.0 / (1 << 20), PairedRatios.binomialHalfCdf(20, 5), 1e-15);
        assertEquals(0.5, PairedRatios.binomialHalfCdf(1, 0), 1e-15);
        assertEquals(0, PairedRatios.binomialHalfCdf(10, -1));
        assertEquals(1, PairedRatios.binomialHalfCdf(10, 10));
        // beyond 2^-1074 a direct power would underflow
        assertEquals(0.5, PairedRatios.binomialHalfCdf(2001, 1000), 1e-12);
    }

    @Test
    void intervalRanksAreTheTextbookOnes() {
        // sign-test intervals of the median at 95 %: n = 20 -> [x6, x15] (95.9 %), n = 40 -> [x14, x27] (96.2 %)
        assertEquals(6, PairedRatios.intervalRank(20, 0.95));
        assertEquals(0.9586, PairedRatios.coverage(20, 6), 1e-4);
        assertEquals(14, PairedRatios.intervalRank(40, 0.95));
        assertEquals(0.9615, PairedRatios.coverage(40, 14), 1e-4);
        assertEquals(1, PairedRatios.intervalRank(6, 0.95)); // [x1, x6]: 96.9 %
        assertEquals(0, PairedRatios.intervalRank(5, 0.95)); // [x1, x5] covers only 93.75 %
        assertEquals(0, PairedRatios.intervalRank(0, 0.95));
    }

    @Test
    void tooFewPairsGiveNoIntervalAndNoDecision() {
        PairedRatios.Summary s = PairedRatios.summarize(new double[] {1.001, 1.002, 0.999, 1.0, 1.0005}, 0.95);
        assertFalse(s.hasInterval());
        assertEquals(1.0005, s.median(), 1e-12);
        assertEquals(Verdict.NOT_DECIDABLE, s.verdict(0.01));
    }

    @Test
    void summaryOfTwentyRatios() {
        double[] r = new double[20];
        for (int i = 0; i < r.length; i++) {
            r[i] = 1 + (i - 10) * 0.001; // 0.990 .. 1.009
        }
        List<Double> shuffled = new java.util.ArrayList<>(Arrays.stream(r).boxed().toList());
        java.util.Collections.shuffle(shuffled, new Random(9));
        PairedRatios.Summary s = PairedRatios.summarize(shuffled.stream().mapToDouble(Double::doubleValue).toArray(), 0.95);
        assertEquals(20, s.n());
        assertEquals(0.9995, s.median(), 1e-12);
        assertEquals(0.995, s.low(), 1e-12); // x6
        assertEquals(1.004, s.high(), 1e-12); // x15
        assertEquals(Verdict.WITHIN, s.verdict(0.01));
        assertEquals(Verdict.NOT_DECIDABLE, s.verdict(0.005));
    }

    @Test
    void verdicts() {
        assertEquals(Verdict.WITHIN, PairedRatios.decide(0.995, 1.009, 0.01));
        assertEquals(Verdict.NOT_DECIDABLE, PairedRatios.decide(0.995, 1.01, 0.01), "an edge is not inside");
        assertEquals(Verdict.NOT_DECIDABLE, PairedRatios.decide(0.95, 1.05, 0.01));
        assertEquals(Verdict.OUTSIDE, PairedRatios.decide(1.02, 1.05, 0.01));
        assertEquals(Verdict.OUTSIDE, PairedRatios.decide(0.9, 0.98, 0.01));
        assertEquals(Verdict.NOT_DECIDABLE, PairedRatios.decide(Double.NaN, Double.NaN, 0.01));
        assertThrows(IllegalArgumentException.class, () -> PairedRatios.decide(1.1, 1.0, 0.01));
    }

    /** The interval's promise, by simulation: it holds the true median at least as often as its coverage says. */
    @Test
    void intervalCoversTheTrueMedianAsOftenAsItClaims() {
        Random random = new Random(6);
        for (int n : new int[] {10, 20, 40}) {
            int k = PairedRatios.intervalRank(n, 0.95);
            int trials = 4000;
            int covered = 0;
            for (int t = 0; t < trials; t++) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = 1 + 0.05 * Math.exp(random.nextGaussian()) - 0.05; // skewed, true median exactly 1
                }
                PairedRatios.Summary s = PairedRatios.summarize(v, 0.95);
                if (s.low() <= 1 && 1 <= s.high()) {
                    covered++;
                }
            }
            double expected = PairedRatios.coverage(n, k);
            // three standard errors of a proportion of 4000 trials below the exact coverage
            double slack = 3 * Math.sqrt(expected * (1 - expected) / trials);
            assertTrue((double) covered / trials >= expected - slack,
                    "n = " + n + ": covered " + covered + " of " + trials + ", coverage " + expected);
        }
    }

    @Property
    void intervalIsTheWidestAtTheConfidenceAsked(@ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @DoubleRange(min = 0.5, max = 0.999) @Scale(3) double confidence) {
        int k = PairedRatios.intervalRank(n, confidence);
        assertTrue(k >= 0 && k <= (n + 1) / 2);
        if (k > 0) {
            assertTrue(PairedRatios.coverage(n, k) >= confidence);
        }
        if (k + 1 <= (n + 1) / 2) {
            assertTrue(PairedRatios.coverage(n, k + 1) < confidence, "k + 1 would still cover enough");
        }
    }

    @Property
    void intervalBracketsMedianAndQuartilesAreOrdered(
            @ForAll @Size(min = 1, max = 200) List<@DoubleRange(min = 0.1, max = 10) Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        PairedRatios.Summary s = PairedRatios.summarize(v, 0.95);
        assertEquals(RateBlocks.median(v), s.median(), 1e-12);
        assertTrue(s.q1() <= s.median() && s.median() <= s.q3());
        if (s.hasInterval()) {
            assertTrue(s.low() <= s.median() && s.median() <= s.high());
            assertTrue(Arrays.stream(v).anyMatch(x -> x == s.low()) && Arrays.stream(v).anyMatch(x -> x == s.high()),
                    "the ends are order statistics of the data");
            assertTrue(s.coverage() >= 0.95);
        } else {
            assertTrue(v.length <= 5);
        }
    }

    @Property
    void summaryDoesNotDependOnTheOrderOfThePairs(
            @ForAll @Size(min = 6, max = 60) List<@DoubleRange(min = 0.5, max = 2) Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        double[] reversed = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            reversed[i] = v[v.length - 1 - i];
        }
        assertEquals(PairedRatios.summarize(v, 0.95), PairedRatios.summarize(reversed, 0.95));
    }

    @Property
    void verdictIsWithinExactlyWhenBothEndsAreInsideTheBand(@ForAll @DoubleRange(min = 0.9, max = 1.1) double a,
            @ForAll @DoubleRange(min = 0.9, max = 1.1) double b) {
        double low = Math.min(a, b);
        double high = Math.max(a, b);
        Verdict v = PairedRatios.decide(low, high, 0.01);
        assertEquals(low > 0.99 && high < 1.01, v == Verdict.WITHIN);
        assertEquals(high < 0.99 || low > 1.01, v == Verdict.OUTSIDE);
    }
}
