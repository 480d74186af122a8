package org.drops.atm.api.admission;

import java.time.Instant;
import org.drops.atm.api.qos.Direction;

/**
 * The CPU cost model of admission control (paper §2.4, equations 3 and 4): the time one PDU of {@code s}
 * bytes costs the host, linear in the size, per direction, <em>measured on this machine</em> by running
 * the real transmit and receive processing. A connection sending {@code r} PDUs per second of {@code s}
 * bytes uses {@code r · cost(s, r) / 10⁹} of a processor; the sum over all connections must stay below
 * {@link #utilisationLimit()}.
 *
 * <p>Since 1.1 the cost may also grow with the gap between PDUs: a PDU that finds the data path's threads asleep
 * for longer wakes them with colder caches (on the development machine about 140 µs per 8192-byte PDU at
 * 100 Mbit/s, 200 µs at 10 Mbit/s). The line {@code a + b·s} holds for PDUs {@link #gapNanos} apart or closer; PDUs
 * {@link #longGapNanos} apart or further cost the per-direction {@code longGapExtraNanos} more, and gaps between
 * get a share of it by the logarithm of the gap. The extra is at most {@code a · ln(longGap/gap)}, so that a
 * connection's processor share still grows with its rate. A model without the gap term has extras of 0.
 *
 * @param calibratedAt              when the costs were measured
 * @param transmitNanosPerPdu       fixed transmit cost per PDU
 * @param transmitNanosPerByte      transmit cost per SDU byte (segmentation, CRC, HEC, copy)
 * @param receiveNanosPerPdu        fixed receive cost per PDU
 * @param receiveNanosPerByte       receive cost per SDU byte (reassembly, CRC, copies)
 * @param utilisationLimit          the share of a processor guaranteed connections may take, leaving the rest to
 *                                  time-sharing work
 * @param description               how the model was obtained (sizes, repetitions, fit quality)
 * @param gapNanos                  the gap between PDUs the line was measured at (since 1.1; 0 without the gap term)
 * @param longGapNanos              the longer gap the extra was measured at (since 1.1; 0 without the gap term)
 * @param transmitLongGapExtraNanos what a transmit PDU costs more at the long gap (since 1.1)
 * @param receiveLongGapExtraNanos  what a receive PDU costs more at the long gap (since 1.1)
 */
public record CpuModel(Instant calibratedAt, double transmitNanosPerPdu, double transmitNanosPerByte,
        double receiveNanosPerPdu, double receiveNanosPerByte, double utilisationLimit, String description,
        long gapNanos, long longGapNanos, double transmitLongGapExtraNanos, double receiveLongGapExtraNanos) {

    /**
     * @throws IllegalArgumentException if the gap term is inconsistent: gaps not {@code 0 < gap < longGap} while an
     *                                  extra is given, or an extra negative or above {@code a · ln(longGap/gap)}
     */
    public CpuModel {
        if (transmitLongGapExtraNanos != 0 || receiveLongGapExtraNanos != 0) {
            if (!(gapNanos > 0 && longGapNanos > gapNanos)) {
                throw new IllegalArgumentException("gap term: need 0 < gapNanos < longGapNanos, not " + gapNanos + " and " + longGapNanos);
            }
            checkExtra("transmitLongGapExtraNanos", transmitLongGapExtraNanos,
                    mostLongGapExtraNanos(transmitNanosPerPdu, gapNanos, longGapNanos));
            checkExtra("receiveLongGapExtraNanos", receiveLongGapExtraNanos,
                    mostLongGapExtraNanos(receiveNanosPerPdu, gapNanos, longGapNanos));
        }
    }

    /** A model whose cost does not depend on the gap between PDUs (the 1.0 model). */
    public CpuModel(Instant calibratedAt, double transmitNanosPerPdu, double transmitNanosPerByte,
            double receiveNanosPerPdu, double receiveNanosPerByte, double utilisationLimit, String description) {
        this(calibratedAt, transmitNanosPerPdu, transmitNanosPerByte, receiveNanosPerPdu, receiveNanosPerByte,
                utilisationLimit, description, 0, 0, 0, 0);
    }

    /**
     * The largest long-gap extra a model with fixed cost {@code nanosPerPdu} may have, {@code a · ln(longGap/gap)}
     * (0 for a fixed cost of 0 or less): with more, a connection's processor share would fall as its rate grows.
     *
     * @since 1.1
     */
    public static double mostLongGapExtraNanos(double nanosPerPdu, long gapNanos, long longGapNanos) {
        return Math.max(0, nanosPerPdu) * Math.log((double) longGapNanos / gapNanos);
    }

    private static void checkExtra(String name, double extra, double most) {
        if (!(extra >= 0) || extra > most * (1 + 1e-9)) {
            throw new IllegalArgumentException(name + " must be 0.." + most + " ns (a · ln(longGap/gap), so that the "
                    + "processor share grows with the rate), not " + extra);
        }
    }

    /** Nanoseconds one PDU of {@code sduBytes} costs in the given direction, PDUs {@link #gapNanos} apart or closer. */
    public double nanosPerPdu(Direction direction, int sduBytes) {
        return direction == Direction.TRANSMIT
                ? transmitNanosPerPdu + transmitNanosPerByte * sduBytes
                : receiveNanosPerPdu + receiveNanosPerByte * sduBytes;
    }

    /**
     * Nanoseconds one PDU of {@code sduBytes} costs in the given direction when {@code pdusPerSecond} pass: the line,
     * plus the gap term's share for gaps longer than {@link #gapNanos}.
     *
     * @since 1.1
     */
    public double nanosPerPdu(Direction direction, int sduBytes, double pdusPerSecond) {
        double extra = direction == Direction.TRANSMIT ? transmitLongGapExtraNanos : receiveLongGapExtraNanos;
        return nanosPerPdu(direction, sduBytes) + extra * longGapShare(pdusPerSecond);
    }

    /**
     * The share of the long-gap extra PDUs {@code 1/pdusPerSecond} apart pay: 0 up to {@link #gapNanos}, 1 from
     * {@link #longGapNanos}, by the logarithm of the gap between.
     *
     * @since 1.1
     */
    public double longGapShare(double pdusPerSecond) {
        if (gapNanos <= 0 || longGapNanos <= gapNanos) {
            return 0; // no gap term
        }
        if (!(pdusPerSecond > 0)) {
            return 1; // no PDUs: an endless gap
        }
        double gap = 1e9 / pdusPerSecond;
        if (gap <= gapNanos) {
            return 0;
        }
        if (gap >= longGapNanos) {
            return 1;
        }
        return Math.log(gap / gapNanos) / Math.log((double) longGapNanos / gapNanos);
    }

    /** The processor share of {@code pdusPerSecond} PDUs of {@code sduBytes} in the given direction. */
    public double utilisation(Direction direction, double pdusPerSecond, int sduBytes) {
        return pdusPerSecond * nanosPerPdu(direction, sduBytes, pdusPerSecond) / 1e9;
    }
}
