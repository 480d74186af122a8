package org.drops.atm.cac;

import java.math.BigInteger;

/**
 * A jitter-constrained periodic stream (Hamann, MASCOTS '97; paper §2.4, equations 1 and 2): events (SDUs)
 * with minimum spacing {@code D = 1/Rmax}, average spacing {@code T = 1/Ravg} and delay-variation tolerance
 * {@code τ}. Event {@code i} arrives between {@code i·T} and {@code i·T + τ}, never closer than {@code D} to
 * the previous one.
 *
 * <ul>
 * <li>maximum burst length {@code L = 1 + ⌊τ / (T − D)⌋} events (equation 1; unbounded when {@code T = D})</li>
 * <li>buffers to receive it {@code P = ⌈τ / T⌉} events (equation 2), not counting the one being consumed</li>
 * </ul>
 * The floors and ceilings follow the derivation of {@code ATM-FACTS.md} §1.2 (UNCONFIRMED against Hamann's
 * typeset formulas, which could not be obtained; they reproduce the paper's example L = 6, P = 5 and ATM's
 * MBS = 1 + ⌊BT/(Ts − T)⌋).
 *
 * <p>Rates are given in any unit per second ({@code unitsPerEvent} bits for the paper's Mbit/s, cells for
 * admission control's cells/s), so {@code D = unitsPerEvent / peak} and {@code T = unitsPerEvent / average}
 * are exact fractions; both results are computed in exact integer arithmetic, so a quotient that is a whole
 * number is never pushed across a floor or ceiling by rounding.
 */
public final class JitterConstrainedStream {

    private static final BigInteger MICROS_PER_SECOND = BigInteger.valueOf(1_000_000L);

    private final long unitsPerEvent;
    private final long peakUnitsPerSecond;
    private final long averageUnitsPerSecond;
    private final long toleranceMicros;

    private JitterConstrainedStream(long unitsPerEvent, long peakUnitsPerSecond, long averageUnitsPerSecond,
            long toleranceMicros) {
        this.unitsPerEvent = unitsPerEvent;
        this.peakUnitsPerSecond = peakUnitsPerSecond;
        this.averageUnitsPerSecond = averageUnitsPerSecond;
        this.toleranceMicros = toleranceMicros;
    }

    /**
     * A stream of events of {@code unitsPerEvent} units each (bits, cells), at most {@code peakUnitsPerSecond}
     * (Rmax) and on average {@code averageUnitsPerSecond} (Ravg), with a delay-variation tolerance of
     * {@code toleranceMicros}.
     *
     * @throws IllegalArgumentException naming the parameter if a size or rate is not positive, the tolerance is
     *                                  negative, or the average rate exceeds the peak rate
     */
    public static JitterConstrainedStream of(long unitsPerEvent, long peakUnitsPerSecond, long averageUnitsPerSecond,
            long toleranceMicros) {
        positive("unitsPerEvent", unitsPerEvent);
        positive("peakUnitsPerSecond", peakUnitsPerSecond);
        positive("averageUnitsPerSecond", averageUnitsPerSecond);
        if (toleranceMicros < 0) {
            throw new IllegalArgumentException("toleranceMicros must not be negative: " + toleranceMicros);
        }
        if (averageUnitsPerSecond > peakUnitsPerSecond) {
            throw new IllegalArgumentException("averageUnitsPerSecond (" + averageUnitsPerSecond
                    + ") must not exceed peakUnitsPerSecond (" + peakUnitsPerSecond + "): then T < D");
        }
        return new JitterConstrainedStream(unitsPerEvent, peakUnitsPerSecond, averageUnitsPerSecond, toleranceMicros);
    }

    /** D, the minimum inter-arrival time, in seconds. */
    public double minimumInterArrivalSeconds() {
        return (double) unitsPerEvent / peakUnitsPerSecond;
    }

    /** T, the average inter-arrival time, in seconds. */
    public double averageInterArrivalSeconds() {
        return (double) unitsPerEvent / averageUnitsPerSecond;
    }

    /** τ, the delay-variation tolerance, in microseconds. */
    public long toleranceMicros() {
        return toleranceMicros;
    }

    /**
     * L = 1 + ⌊τ / (T − D)⌋, the most events that can arrive back to back at spacing D (equation 1); or
     * {@link Long#MAX_VALUE} ("unbounded") when the average rate equals the peak rate, so T − D = 0 and a
     * conforming stream may arrive back to back indefinitely.
     */
    public long maxBurstEvents() {
        if (averageUnitsPerSecond == peakUnitsPerSecond) {
            return Long.MAX_VALUE;
        }
        // τ/(T−D) = τ[µs]·avg·peak / (10⁶·units·(peak − avg))
        BigInteger numerator = BigInteger.valueOf(toleranceMicros).multiply(BigInteger.valueOf(averageUnitsPerSecond))
                .multiply(BigInteger.valueOf(peakUnitsPerSecond));
        BigInteger denominator = MICROS_PER_SECOND.multiply(BigInteger.valueOf(unitsPerEvent))
                .multiply(BigInteger.valueOf(peakUnitsPerSecond - averageUnitsPerSecond));
        return saturated(numerator.divide(denominator).add(BigInteger.ONE));
    }

    /** P = ⌈τ / T⌉, the buffers (in events) that receive the stream without loss (equation 2). */
    public long bufferEvents() {
        // τ/T = τ[µs]·avg / (10⁶·units); ceiling of a quotient of non-negative integers
        BigInteger numerator = BigInteger.valueOf(toleranceMicros).multiply(BigInteger.valueOf(averageUnitsPerSecond));
        BigInteger denominator = MICROS_PER_SECOND.multiply(BigInteger.valueOf(unitsPerEvent));
        BigInteger[] qr = numerator.divideAndRemainder(denominator);
        return saturated(qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE));
    }

    @Override
    public String toString() {
        return "jitter-constrained stream: D = " + minimumInterArrivalSeconds() + " s, T = " + averageInterArrivalSeconds()
                + " s, tau = " + toleranceMicros + " us, L = " + maxBurstEvents() + ", P = " + bufferEvents();
    }

    private static long saturated(BigInteger value) {
        return value.bitLength() < Long.SIZE ? value.longValue() : Long.MAX_VALUE;
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
