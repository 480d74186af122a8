package org.drops.atm.experiments;

/**
 * One-point delay variation of a periodic stream at one measurement point, after ITU-T I.356 (§6.5.1, "1-point
 * CDV"; the definition was taken from memory of the Recommendation, not checked against its text here), applied
 * to SDUs instead of cells. A reference clock advances by the contract's period T and is reset by a late arrival:
 *
 * <pre>
 *   c0 = a0;   c(k+1) = c(k) + T  if c(k) &gt;= a(k) (on time or early),   a(k) + T  otherwise (late)
 *   y(k) = c(k) - a(k)            positive: early, the stream clumps;  negative: late, a gap beyond T
 * </pre>
 *
 * Lateness against one fixed schedule from the first arrival is not a delay variation: any rate shortfall
 * accumulates into it (22 SDUs short over 60 s, 0.04 %, read as 33.7 ms of "jitter" in the full run of
 * 2026-11-25). The reset makes each late value the excess of one gap, and early values the clumping the
 * contract's tolerance allows (a GCRA(T, tau)-conforming stream is never more than tau early).
 */
final class OnePointCdv {

    private final double periodNanos;
    private double referenceNanos;
    private boolean started;

    OnePointCdv(double periodNanos) {
        if (!(periodNanos > 0)) {
            throw new IllegalArgumentException("periodNanos must be positive, not " + periodNanos);
        }
        this.periodNanos = periodNanos;
    }

    /**
     * Takes the next arrival, in order.
     *
     * @return y(k) in nanoseconds: positive when the SDU came early against the reference clock, negative late
     */
    long arrival(long atNanos) {
        if (!started) {
            started = true;
            referenceNanos = atNanos;
        }
        double y = referenceNanos - atNanos;
        referenceNanos = (y >= 0 ? referenceNanos : atNanos) + periodNanos;
        return Math.round(y);
    }
}
