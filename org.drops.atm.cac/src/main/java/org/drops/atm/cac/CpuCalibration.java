package org.drops.atm.cac;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.device.PduCostProbe;

/**
 * Measures the CPU model on this machine (paper §2.4, §3.1: "machine speed is measured at protocol
 * initialization time"), in two steps.
 *
 * <p>The work: the driver's {@link PduCostProbe} runs the transmit work (copy into a ring slot, AAL5
 * segmentation with CRC-32 and HEC) and receive work (HEC check, reassembly with CRC-32, copy into a ring slot)
 * on scratch memory for SDUs from 40 to 16384 bytes; each call processes about {@value #BYTES_PER_CALL} bytes of
 * one size; rounds over all sizes repeat (at least {@value #MIN_ROUNDS}) until they stop getting faster, because
 * the JIT compiles the paths while they run; the fastest result of each size counts, and a straight line per
 * direction is fitted by least squares.
 *
 * <p>The whole data path ({@link PduCostProbe#dataPathNanosPerPdu}, when the probe measures it): the CPU time of
 * every thread a PDU passes through, wake-ups, hand-offs and line pacing included, for
 * {@link #PATH_SDU_SIZES_BYTES}; the mean of {@value #PATH_ROUNDS} rounds counts. The work alone under-estimated
 * a real connection's CPU 7–11 times (docs/EVALUATION.md, Figure 9): at a guaranteed connection's rates each PDU
 * pays several thread wake-ups of tens of microseconds. The model holds the whole path's line per direction,
 * {@code cost(s) = a + b·s}, never below the work's. That line plays the role of the paper's {@code σ(s)/t_max}
 * and {@code σ(s)/r_max}: the fixed part {@code a} is what makes small packets dear (the paper's scaling factor),
 * {@code 1/b} is the achievable byte rate for large ones.
 *
 * <p>On the development machine the work takes a few hundred milliseconds and the whole path about 0.7 s more,
 * about 1 s in all (docs/ADMISSION.md); no work round starts after {@value #BUDGET_NANOS} ns and no whole-path
 * round after {@value #PATH_BUDGET_NANOS} ns.
 */
final class CpuCalibration {

    /**
     * From a minimal IP packet to 16 KiB (past the first-level cache, with the fifo and buffers), with the usual
     * MTUs (1500, RFC 2225's 9180) between. The work is per cell, so the line carries to 65535 bytes; measuring
     * larger SDUs would lengthen every round several times over, because the probe warms up 200 PDUs of the
     * size before each measurement.
     */
    static final int[] SDU_SIZES_BYTES = {40, 576, 1500, 4096, 9180, 16384};
    /** SDU bytes per probe call: enough to dwarf the timer's resolution, small enough for a quick run. */
    static final long BYTES_PER_CALL = 128 * 1024;
    /** At least this many rounds over the sizes; the fastest result of each size counts. */
    static final int MIN_ROUNDS = 3;
    /** Rounds go on until this many in a row were not faster in total than the best round by more than ... */
    static final int STABLE_ROUNDS = 2;
    /** ... this fraction (the JIT is still compiling while rounds get faster), */
    static final double IMPROVEMENT = 0.05;
    /** ... up to this many rounds ... */
    static final int MAX_ROUNDS = 12;
    /** ... and no new round starts after this much time. */
    static final long BUDGET_NANOS = 300_000_000L;
    /** Per-PDU overhead in byte equivalents, so small SDUs do not get an excessive number of repetitions. */
    private static final int OVERHEAD_BYTES = 512;

    /** SDU sizes of the whole-path measurement: fewer than the work's, since each PDU there takes line time. */
    static final int[] PATH_SDU_SIZES_BYTES = {40, 1500, 4096, 9180};
    /** PDUs timed per whole-path measurement (per size and round; one run gives both directions). */
    static final int PATH_PDUS = 32;
    /** Whole-path rounds over the sizes; the mean of each size counts. */
    static final int PATH_ROUNDS = 3;
    /**
     * No whole-path measurement starts after this much time since the calibration began, once one round is complete
     * (a loaded machine stretches the 2-ms gaps between the probe's PDUs: rounds of over a second were seen).
     */
    static final long PATH_BUDGET_NANOS = 1_500_000_000L;

    /**
     * The whole path's gap between PDUs (the driver's probe: 2 ms for these sizes) and the longer gap the model's
     * gap term is measured at: 8 ms, a 8192-byte SDU at 8 Mbit/s. Figure 9 found the cost per PDU growing with the
     * gap (docs/EVALUATION.md: about 140 µs at 100 Mbit/s, 200 µs at 10 for 8192-byte SDUs), which one line
     * measured at 2 ms under-estimated by half at 10 Mbit/s.
     */
    static final long PATH_GAP_NANOS = 2_000_000L;
    static final long LONG_GAP_NANOS = 8_000_000L;
    /** The size and PDUs of a long-gap measurement (the extra is per PDU, whatever the size). */
    static final int LONG_GAP_SDU_BYTES = 4096;
    static final int LONG_GAP_PDUS = 16;
    /** Long-gap measurements (mean counts), the later ones only while within {@link #LONG_GAP_BUDGET_NANOS}. */
    static final int LONG_GAP_ROUNDS = 3;
    static final long LONG_GAP_BUDGET_NANOS = 2_200_000_000L;

    private CpuCalibration() {
    }

    /**
     * Runs the probe and fits the model: the per-PDU work on scratch memory, then, if the probe can measure it, the
     * whole data path, which is what the model then holds.
     *
     * @throws IllegalStateException if the probe fails or the fit is not a cost growing with size
     */
    static CpuModel measure(PduCostProbe probe, double utilisationLimit, Clock clock) {
        long start = System.nanoTime();
        int n = SDU_SIZES_BYTES.length;
        double[] tx = new double[n];
        double[] rx = new double[n];
        Arrays.fill(tx, Double.MAX_VALUE);
        Arrays.fill(rx, Double.MAX_VALUE);
        double bestRound = Double.MAX_VALUE;
        int rounds = 0;
        int stable = 0;
        // The first calls run interpreted and the JIT compiles in the background, so early rounds are slow; the data
        // path runs compiled in service. Rounds continue until they stop getting faster.
        while (rounds < MIN_ROUNDS || (stable < STABLE_ROUNDS && rounds < MAX_ROUNDS
                && System.nanoTime() - start < BUDGET_NANOS)) {
            double round = 0;
            for (int i = 0; i < n; i++) {
                int size = SDU_SIZES_BYTES[i];
                int repetitions = (int) Math.max(20, BYTES_PER_CALL / (size + OVERHEAD_BYTES));
                double t = probe.transmitNanosPerPdu(size, repetitions);
                double r = probe.receiveNanosPerPdu(size, repetitions);
                // timing noise (preemption, interrupts, GC, compilation) only ever adds time: the fastest counts
                tx[i] = Math.min(tx[i], t);
                rx[i] = Math.min(rx[i], r);
                round += (t + r) * repetitions;
            }
            rounds++;
            stable = round < bestRound * (1 - IMPROVEMENT) ? 0 : stable + 1;
            bestRound = Math.min(bestRound, round);
        }
        double[] sizes = new double[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = SDU_SIZES_BYTES[i];
        }
        LeastSquaresLine txLine = fit("transmit", sizes, tx);
        LeastSquaresLine rxLine = fit("receive", sizes, rx);
        String work = String.format(Locale.ROOT, "SDUs of %d..%d bytes (%d sizes), fastest of %d rounds, straight line "
                + "by least squares weighted by relative error; transmit %s; receive %s", SDU_SIZES_BYTES[0],
                SDU_SIZES_BYTES[n - 1], n, rounds, describe(txLine), describe(rxLine));
        PathResult path = measurePath(probe, txLine, rxLine, start);
        LongGap gap = path == null ? null : measureLongGap(probe, path, start);
        long millis = (System.nanoTime() - start) / 1_000_000;
        String machine = String.format(Locale.ROOT, "calibration took %d ms on %d processors, Java %s", millis,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (path == null) {
            return new CpuModel(clock.instant(), txLine.intercept(), txLine.slope(), rxLine.intercept(), rxLine.slope(),
                    utilisationLimit, "measured with the driver's PduCostProbe: " + work
                            + " (the per-PDU work only: the probe does not measure the whole data path); " + machine);
        }
        String gapText = gap == null ? "no gap term (the probe does not measure longer gaps)"
                : String.format(Locale.ROOT, "gap term: PDUs %d ms apart (%d SDUs of %d bytes, mean of %d runs) cost "
                        + "%.0f/%.0f ns (transmit/receive) against the line's %.0f/%.0f at %d ms, so %.0f/%.0f ns more "
                        + "per PDU from %d ms apart (capped at a·ln(%d/%d)), a share by the log of the gap between",
                        LONG_GAP_NANOS / 1_000_000, LONG_GAP_PDUS, LONG_GAP_SDU_BYTES, gap.runs, gap.txNanos, gap.rxNanos,
                        path.tx.at(LONG_GAP_SDU_BYTES), path.rx.at(LONG_GAP_SDU_BYTES), PATH_GAP_NANOS / 1_000_000,
                        gap.txExtra, gap.rxExtra, LONG_GAP_NANOS / 1_000_000, LONG_GAP_NANOS / 1_000_000,
                        PATH_GAP_NANOS / 1_000_000);
        return new CpuModel(clock.instant(), path.tx.intercept(), path.tx.slope(), path.rx.intercept(), path.rx.slope(),
                utilisationLimit, String.format(Locale.ROOT, "measured with the driver's PduCostProbe on the whole "
                        + "data path (thread CPU time of every thread, hand-offs, wake-ups and line pacing included): "
                        + "SDUs of %d..%d bytes (%d sizes), %d PDUs each, mean of %d rounds (a round the time budget cut short "
                        + "counts for the sizes it reached), per point at least the "
                        + "work alone, straight line weighted by relative error, its slope at least the work's; "
                        + "transmit %s; receive %s; points (ns, transmit/receive) %s; %s; the work alone: %s; %s",
                        PATH_SDU_SIZES_BYTES[0], PATH_SDU_SIZES_BYTES[PATH_SDU_SIZES_BYTES.length - 1],
                        PATH_SDU_SIZES_BYTES.length, PATH_PDUS, path.rounds, describe(path.tx), describe(path.rx),
                        path.points, gapText, work, machine),
                gap == null ? 0 : PATH_GAP_NANOS, gap == null ? 0 : LONG_GAP_NANOS, gap == null ? 0 : gap.txExtra,
                gap == null ? 0 : gap.rxExtra);
    }

    /** The long-gap measurement: its mean costs, the extras over the path's line, and how many runs. */
    record LongGap(double txNanos, double rxNanos, double txExtra, double rxExtra, int runs) {
    }

    /**
     * PDUs {@link #LONG_GAP_NANOS} apart: the mean of up to {@link #LONG_GAP_ROUNDS} runs, less the path's line at
     * that size, never below 0 and at most {@code a · ln(longGap/gap)} (CpuModel: the processor share must still grow
     * with the rate). Null if the probe cannot space PDUs.
     */
    static LongGap measureLongGap(PduCostProbe probe, PathResult path, long start) {
        try {
            double tx = 0;
            double rx = 0;
            int runs = 0;
            while (runs < LONG_GAP_ROUNDS && (runs == 0 || System.nanoTime() - start < LONG_GAP_BUDGET_NANOS)) {
                PduCostProbe.DataPathCost cost = probe.dataPathNanosPerPdu(LONG_GAP_SDU_BYTES, LONG_GAP_PDUS, LONG_GAP_NANOS);
                if (cost == null) {
                    return null;
                }
                tx += cost.transmitNanosPerPdu();
                rx += cost.receiveNanosPerPdu();
                runs++;
            }
            tx /= runs;
            rx /= runs;
            double txExtra = Math.min(Math.max(0, tx - path.tx.at(LONG_GAP_SDU_BYTES)),
                    CpuModel.mostLongGapExtraNanos(path.tx.intercept(), PATH_GAP_NANOS, LONG_GAP_NANOS));
            double rxExtra = Math.min(Math.max(0, rx - path.rx.at(LONG_GAP_SDU_BYTES)),
                    CpuModel.mostLongGapExtraNanos(path.rx.intercept(), PATH_GAP_NANOS, LONG_GAP_NANOS));
            return new LongGap(tx, rx, txExtra, rxExtra, runs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the data path at a long gap", e);
        }
    }

    /** The whole-path lines, how many rounds gave them, and the points. */
    record PathResult(LeastSquaresLine tx, LeastSquaresLine rx, int rounds, String points) {
    }

    /**
     * The whole data path: one call of the largest size first, not counted (the path's threads, the card and the JIT
     * warm up), then rounds over {@link #PATH_SDU_SIZES_BYTES}; the mean of each size counts (the thread CPU time of
     * a wake-up varies with what ran on the processor before, both ways, so neither the fastest round nor the
     * slowest is the cost; the mean is the cost over all the PDUs measured, as a connection pays it).
     * Each point is at least the work alone at that size (the path contains it); a line whose slope is below the
     * work's is refitted with the work's slope, since the points' spread can hide the per-byte cost the work
     * measured precisely. Null if the probe does not measure the path.
     */
    static PathResult measurePath(PduCostProbe probe, LeastSquaresLine txWork, LeastSquaresLine rxWork, long start) {
        int n = PATH_SDU_SIZES_BYTES.length;
        try {
            if (probe.dataPathNanosPerPdu(PATH_SDU_SIZES_BYTES[n - 1], PATH_PDUS / 4) == null) {
                return null;
            }
            double[][] tx = new double[n][PATH_ROUNDS];
            double[][] rx = new double[n][PATH_ROUNDS];
            int[] count = new int[n];
            int rounds = 0;
            measuring:
            for (; rounds < PATH_ROUNDS; rounds++) {
                for (int i = 0; i < n; i++) {
                    if (rounds > 0 && System.nanoTime() - start >= PATH_BUDGET_NANOS) {
                        break measuring;
                    }
                    PduCostProbe.DataPathCost cost = probe.dataPathNanosPerPdu(PATH_SDU_SIZES_BYTES[i], PATH_PDUS);
                    if (cost == null) {
                        throw new IllegalStateException("the probe stopped measuring the whole data path");
                    }
                    tx[i][count[i]] = cost.transmitNanosPerPdu();
                    rx[i][count[i]] = cost.receiveNanosPerPdu();
                    count[i]++;
                }
            }
            double[] sizes = new double[n];
            double[] txPoints = new double[n];
            double[] rxPoints = new double[n];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sizes[i] = PATH_SDU_SIZES_BYTES[i];
                txPoints[i] = Math.max(mean(tx[i], count[i]), txWork.at(sizes[i]));
                rxPoints[i] = Math.max(mean(rx[i], count[i]), rxWork.at(sizes[i]));
                points.append(i == 0 ? "" : ", ").append(PATH_SDU_SIZES_BYTES[i]).append(" B ")
                        .append(Math.round(txPoints[i])).append('/').append(Math.round(rxPoints[i]));
            }
            return new PathResult(fitAtLeast("transmit", sizes, txPoints, txWork.slope()),
                    fitAtLeast("receive", sizes, rxPoints, rxWork.slope()), rounds, points.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the whole data path", e);
        }
    }

    /** The mean of the first {@code count} values. */
    static double mean(double[] values, int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += values[i];
        }
        return sum / count;
    }

    /** A line through the points whose slope is at least {@code minSlope}. */
    static LeastSquaresLine fitAtLeast(String direction, double[] sizes, double[] nanos, double minSlope) {
        LeastSquaresLine line = fitRelative(direction + " whole-path", sizes, nanos);
        if (line.slope() >= minSlope) {
            return line;
        }
        return LeastSquaresLine.fitRelativeWithSlope(sizes, nanos, minSlope);
    }

    /** The configured constants, for when no measurement is possible; {@code why} says why. */
    static CpuModel fallback(AdmissionSettings s, Instant at, String why) {
        return new CpuModel(at, s.fallbackTransmitNanosPerPdu(), s.fallbackTransmitNanosPerByte(),
                s.fallbackReceiveNanosPerPdu(), s.fallbackReceiveNanosPerByte(), s.cpuUtilisationLimit(),
                "configured fallback constants (fallback.*), not measured: " + why);
    }

    /** True if {@code model} came from {@link #fallback}. */
    static boolean isFallback(CpuModel model) {
        return model.description().startsWith("configured fallback constants");
    }

    /** The relative-error fit, or an IllegalStateException naming {@code what} and the points. */
    private static LeastSquaresLine fitRelative(String what, double[] sizes, double[] nanos) {
        try {
            return LeastSquaresLine.fitRelative(sizes, nanos);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(what + " costs cannot be fitted (" + e.getMessage() + "): "
                    + Arrays.toString(nanos), e);
        }
    }

    private static LeastSquaresLine fit(String direction, double[] sizes, double[] nanos) {
        LeastSquaresLine line = fitRelative(direction, sizes, nanos);
        if (!(line.slope() > 0) || Double.isInfinite(line.slope())) {
            throw new IllegalStateException(direction + " cost does not grow with the SDU size (slope " + line.slope()
                    + " ns/byte) over " + Arrays.toString(nanos) + " ns");
        }
        return line;
    }

    private static String describe(LeastSquaresLine line) {
        return String.format(Locale.ROOT, "%.1f ns + %.4f ns/byte (R² %.4f, worst point %.1f %% off%s)",
                line.intercept(), line.slope(), line.rSquared(), 100 * line.worstRelativeError(),
                line.throughOrigin() ? ", fitted through 0" : "");
    }
}
