package org.drops.atm.cac;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.device.PduCostProbe;

/**
 * Measures the CPU model on this machine (paper §2.4, §3.1: "machine speed is measured at protocol
 * initialization time"). The driver's {@link PduCostProbe} runs the real transmit path (copy into a ring slot,
 * AAL5 segmentation with CRC-32 and HEC) and receive path (HEC check, reassembly with CRC-32, copy into a ring
 * slot) for SDUs from 40 to 16384 bytes; a straight line per direction, {@code cost(s) = a + b·s}, is fitted
 * to the results by least squares. That line plays the role of the paper's {@code σ(s)/t_max} and
 * {@code σ(s)/r_max}: the fixed part {@code a} is what makes small packets dear (the paper's scaling factor),
 * {@code 1/b} is the achievable byte rate for large ones.
 *
 * <p>Each call processes about {@value #BYTES_PER_CALL} bytes of one size; rounds over all sizes repeat (at least
 * {@value #MIN_ROUNDS}) until they stop getting faster, because the JIT compiles the paths while they run; the
 * fastest result of each size counts. On the development machine the whole run takes a few hundred milliseconds
 * (docs/ADMISSION.md), and never starts a round after {@value #BUDGET_NANOS} ns.
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

    private CpuCalibration() {
    }

    /**
     * Runs the probe and fits the model.
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
        long millis = (System.nanoTime() - start) / 1_000_000;
        String description = String.format(Locale.ROOT, "measured with the driver's PduCostProbe: SDUs of %d..%d bytes "
                + "(%d sizes), fastest of %d rounds, straight line by least squares weighted by relative error; "
                + "transmit %s; receive %s; calibration took %d ms on %d processors, Java %s",
                SDU_SIZES_BYTES[0], SDU_SIZES_BYTES[n - 1], n, rounds, describe(txLine), describe(rxLine), millis,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        return new CpuModel(clock.instant(), txLine.intercept(), txLine.slope(), rxLine.intercept(), rxLine.slope(),
                utilisationLimit, description);
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

    private static LeastSquaresLine fit(String direction, double[] sizes, double[] nanos) {
        LeastSquaresLine line;
        try {
            line = LeastSquaresLine.fitRelative(sizes, nanos);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(direction + " costs cannot be fitted (" + e.getMessage() + "): "
                    + Arrays.toString(nanos), e);
        }
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
