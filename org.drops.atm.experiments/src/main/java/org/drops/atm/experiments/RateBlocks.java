package org.drops.atm.experiments;

/**
 * The received-rate computations of the Figure 10 experiment, on arrival times of consecutive SDUs of one
 * connection: the paper's spot checks (§4: "spot checks on received throughput on the peer machine, each
 * consisting of 10000 datagrams") and the per-second rate of its Figure 10.
 */
final class RateBlocks {

    private RateBlocks() {
    }

    /**
     * The received rate of each consecutive block of {@code blockPdus} SDUs, as a fraction of the contract:
     * block j spans the arrivals j·N … (j+1)·N (N gaps between N+1 arrivals; neighbouring blocks share their
     * boundary arrival), and its rate is N SDUs over that span.
     *
     * @param arrivalNanos              arrival times, non-decreasing
     * @param count                     how many of them are valid
     * @param contractSdusPerSecond     the contracted SDU rate
     * @return one ratio per complete block (empty if fewer than N+1 arrivals)
     */
    static double[] blockRatios(long[] arrivalNanos, int count, int blockPdus, double contractSdusPerSecond) {
        if (blockPdus < 1 || contractSdusPerSecond <= 0) {
            throw new IllegalArgumentException("blockPdus must be >= 1 and the contract rate positive");
        }
        int blocks = count <= 0 ? 0 : (count - 1) / blockPdus;
        double[] ratios = new double[blocks];
        for (int j = 0; j < blocks; j++) {
            long span = arrivalNanos[(j + 1) * blockPdus] - arrivalNanos[j * blockPdus];
            ratios[j] = span <= 0 ? Double.POSITIVE_INFINITY : blockPdus * 1e9 / span / contractSdusPerSecond;
        }
        return ratios;
    }

    /**
     * How finely a block of N SDUs can resolve the rate when the sender moves k SDUs per control interval in a
     * burst: a block's ends fall anywhere inside bursts, so its span is off by up to one interval, a relative
     * error of up to k/N (issue 9: "with 10-PDU intervals a block of N PDUs cannot resolve better than 10/N").
     */
    static double resolution(double sdusPerInterval, int blockPdus) {
        return sdusPerInterval / blockPdus;
    }

    /**
     * SDU payload bits received in each whole second from {@code startNanos}: second i counts the arrivals in
     * [start + i s, start + (i+1) s). Arrivals before the start are ignored; a last, incomplete second is not
     * reported.
     */
    static double[] bitsPerSecond(long[] arrivalNanos, int count, long startNanos, long endNanos, int sduBytes) {
        int seconds = (int) Math.max(0, (endNanos - startNanos) / 1_000_000_000L);
        long[] sdus = new long[seconds];
        for (int i = 0; i < count; i++) {
            long offset = arrivalNanos[i] - startNanos;
            if (offset >= 0) {
                long s = offset / 1_000_000_000L;
                if (s < seconds) {
                    sdus[(int) s]++;
                }
            }
        }
        double[] bits = new double[seconds];
        for (int s = 0; s < seconds; s++) {
            bits[s] = sdus[s] * sduBytes * 8.0;
        }
        return bits;
    }

    static double min(double[] values) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** The median (mean of the middle two for an even count); NaN for none. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The fraction of blocks whose ratio lies within [low, high]; 1 for no blocks. */
    static double fractionWithin(double[] ratios, double low, double high) {
        if (ratios.length == 0) {
            return 1;
        }
        int in = 0;
        for (double r : ratios) {
            if (r >= low && r <= high) {
                in++;
            }
        }
        return (double) in / ratios.length;
    }
}
