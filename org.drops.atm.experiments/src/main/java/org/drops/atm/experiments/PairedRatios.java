package org.drops.atm.experiments;

import java.util.Arrays;

/**
 * Statistics of paired measurements (experiment 6: a window with policing on and one with it off, next to each
 * other in time): the ratio within each pair, their median, quartiles, and a distribution-free confidence
 * interval of the median from order statistics (the sign-test interval), and the decision whether the ratios lie
 * within a tolerance of 1. Pairing cancels what changes slowly on a shared machine (other tenants' load); the
 * median and the order-statistic interval assume nothing about the shape of what is left.
 */
final class PairedRatios {

    /** How a ratio's interval relates to the tolerance band [1 − t, 1 + t]. */
    enum Verdict {
        /** The whole interval lies inside the band: decided, within the tolerance. */
        WITHIN,
        /** The whole interval lies outside the band (on one side): decided, not within the tolerance. */
        OUTSIDE,
        /** The interval crosses an edge of the band, or there are too few pairs for an interval. */
        NOT_DECIDABLE
    }

    /**
     * The summary of n ratios: median, quartiles (linear interpolation between order statistics) and the interval
     * [x₍k₎, x₍n+1−k₎] of the median with its exact coverage; {@code low}/{@code high} are NaN and the coverage 0
     * when n is too small for the confidence asked.
     */
    record Summary(int n, double median, double q1, double q3, double low, double high, double coverage) {

        boolean hasInterval() {
            return !Double.isNaN(low);
        }

        /** Where the interval lies against [1 − tolerance, 1 + tolerance]. */
        Verdict verdict(double tolerance) {
            return decide(low, high, tolerance);
        }
    }

    private PairedRatios() {
    }

    /** numerator[i] / denominator[i] for each pair. */
    static double[] ratios(double[] numerator, double[] denominator) {
        if (numerator.length != denominator.length) {
            throw new IllegalArgumentException("unpaired: " + numerator.length + " vs " + denominator.length);
        }
        double[] r = new double[numerator.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = numerator[i] / denominator[i];
        }
        return r;
    }

    /**
     * The p-quantile (0 ≤ p ≤ 1) with linear interpolation between the order statistics at rank p·(n−1)
     * (Hyndman and Fan's type 7, R's default); NaN for no values.
     */
    static double quantile(double[] values, double p) {
        if (p < 0 || p > 1 || Double.isNaN(p)) {
            throw new IllegalArgumentException("p must lie in [0, 1]: " + p);
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double rank = p * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    /**
     * The probability that a Binomial(n, ½) variable is at most {@code k}: the chance that at most k of n
     * independent draws fall below the true median.
     */
    static double binomialHalfCdf(int n, int k) {
        if (k < 0) {
            return 0;
        }
        if (k >= n) {
            return 1;
        }
        // in logarithms: 2^-n underflows a double beyond n = 1074
        double logTerm = -n * Math.log(2); // log P(B = 0)
        double sum = 0;
        for (int j = 0; j <= k; j++) {
            sum += Math.exp(logTerm);
            logTerm += Math.log((double) (n - j) / (j + 1));
        }
        return Math.min(1, sum);
    }

    /**
     * The largest rank k (1-based) such that [x₍k₎, x₍n+1−k₎] covers the median with probability at least
     * {@code confidence} (coverage 1 − 2·P(B ≤ k−1), B ~ Binomial(n, ½), for continuous data); 0 if even the
     * widest interval [x₍1₎, x₍n₎] covers less (n = 5 or fewer at 95 %).
     */
    static int intervalRank(int n, double confidence) {
        if (confidence <= 0 || confidence >= 1) {
            throw new IllegalArgumentException("confidence must lie in (0, 1): " + confidence);
        }
        int k = 0;
        while (k + 1 <= (n + 1) / 2 && coverage(n, k + 1) >= confidence) {
            k++;
        }
        return k;
    }

    /** The coverage of [x₍k₎, x₍n+1−k₎] for the median of n continuous values. */
    static double coverage(int n, int k) {
        return 1 - 2 * binomialHalfCdf(n, k - 1);
    }

    /** Median, quartiles and the order-statistic interval of the median at {@code confidence}. */
    static Summary summarize(double[] values, double confidence) {
        int n = values.length;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int k = intervalRank(n, confidence);
        double low = k == 0 ? Double.NaN : sorted[k - 1];
        double high = k == 0 ? Double.NaN : sorted[n - k];
        return new Summary(n, quantile(sorted, 0.5), quantile(sorted, 0.25), quantile(sorted, 0.75), low, high,
                k == 0 ? 0 : coverage(n, k));
    }

    /**
     * Whether the interval [low, high] of a ratio lies inside [1 − tolerance, 1 + tolerance] (strictly: a ratio
     * of exactly 1 ± tolerance is not "within"), wholly outside it, or neither; NaN bounds are not decidable.
     */
    static Verdict decide(double low, double high, double tolerance) {
        if (Double.isNaN(low) || Double.isNaN(high)) {
            return Verdict.NOT_DECIDABLE;
        }
        if (low > high) {
            throw new IllegalArgumentException("interval reversed: " + low + " > " + high);
        }
        if (low > 1 - tolerance && high < 1 + tolerance) {
            return Verdict.WITHIN;
        }
        if (high < 1 - tolerance || low > 1 + tolerance) {
            return Verdict.OUTSIDE;
        }
        return Verdict.NOT_DECIDABLE;
    }
}
