package org.drops.atm.cac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.device.PduCostProbe;
import org.drops.atm.api.qos.Direction;
import org.junit.jupiter.api.Test;

/** The calibration's fit, with probes whose answers are known. */
class CpuCalibrationTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    /** Answers exactly a + b·s per direction and counts its calls. */
    static class LinearProbe implements PduCostProbe {
        final double txPerPdu, txPerByte, rxPerPdu, rxPerByte;
        final AtomicInteger calls = new AtomicInteger();

        LinearProbe(double txPerPdu, double txPerByte, double rxPerPdu, double rxPerByte) {
            this.txPerPdu = txPerPdu;
            this.txPerByte = txPerByte;
            this.rxPerPdu = rxPerPdu;
            this.rxPerByte = rxPerByte;
        }

        @Override
        public double transmitNanosPerPdu(int sduBytes, int repetitions) {
            calls.incrementAndGet();
            return txPerPdu + txPerByte * sduBytes;
        }

        @Override
        public double receiveNanosPerPdu(int sduBytes, int repetitions) {
            calls.incrementAndGet();
            return rxPerPdu + rxPerByte * sduBytes;
        }
    }

    /** The work of {@link LinearProbe}, and a whole data path answering {@code pathFactor} times a + b·s plus a fixed part. */
    static class PathProbe extends LinearProbe {
        final double pathTxPerPdu, pathTxPerByte, pathRxPerPdu, pathRxPerByte;
        final java.util.List<Integer> pathCalls = new java.util.concurrent.CopyOnWriteArrayList<>();

        PathProbe(double pathTxPerPdu, double pathTxPerByte, double pathRxPerPdu, double pathRxPerByte) {
            super(80, 1.1, 60, 1.3);
            this.pathTxPerPdu = pathTxPerPdu;
            this.pathTxPerByte = pathTxPerByte;
            this.pathRxPerPdu = pathRxPerPdu;
            this.pathRxPerByte = pathRxPerByte;
        }

        /** The multiplier of the n-th whole-path call (0 is the warm-up): 1 unless a test makes noise. */
        double noise(int call) {
            return 1;
        }

        @Override
        public DataPathCost dataPathNanosPerPdu(int sduBytes, int pdus) {
            pathCalls.add(sduBytes);
            double k = noise(pathCalls.size() - 1);
            return new DataPathCost(k * (pathTxPerPdu + pathTxPerByte * sduBytes),
                    k * (pathRxPerPdu + pathRxPerByte * sduBytes));
        }
    }

    @Test
    void withAWholePathTheModelIsThePathsLineAndSaysSo() {
        PathProbe probe = new PathProbe(40_000, 3.0, 30_000, 2.0);
        CpuModel model = CpuCalibration.measure(probe, 0.8, CLOCK);
        assertEquals(40_000, model.transmitNanosPerPdu(), 1e-3);
        assertEquals(3.0, model.transmitNanosPerByte(), 1e-9);
        assertEquals(30_000, model.receiveNanosPerPdu(), 1e-3);
        assertEquals(2.0, model.receiveNanosPerByte(), 1e-9);
        assertTrue(model.description().startsWith("measured with the driver's PduCostProbe on the whole data path"),
                model.description());
        assertTrue(model.description().contains("mean of " + CpuCalibration.PATH_ROUNDS + " rounds"), model.description());
        // one warm-up call of the largest size, then every size in every round
        int sizes = CpuCalibration.PATH_SDU_SIZES_BYTES.length;
        assertEquals(1 + CpuCalibration.PATH_ROUNDS * sizes, probe.pathCalls.size());
        assertEquals(CpuCalibration.PATH_SDU_SIZES_BYTES[sizes - 1], probe.pathCalls.get(0));
        // the work still runs first, as before
        assertEquals(CpuCalibration.MIN_ROUNDS * 2 * CpuCalibration.SDU_SIZES_BYTES.length, probe.calls.get());
    }

    @Test
    void theMeanOfTheRoundsCountsAndTheWarmUpCallDoesNot() {
        int sizes = CpuCalibration.PATH_SDU_SIZES_BYTES.length;
        PathProbe probe = new PathProbe(40_000, 3.0, 30_000, 2.0) {
            @Override
            double noise(int call) {
                if (call == 0) {
                    return 10; // the warm-up, not counted
                }
                int round = (call - 1) / sizes;
                return round == 0 ? 1.5 : round == 1 ? 0.75 : 0.75; // a slow round and two fast ones: 1 on average
            }
        };
        CpuModel model = CpuCalibration.measure(probe, 0.8, CLOCK);
        assertEquals(40_000 + 3.0 * 8192, model.nanosPerPdu(Direction.TRANSMIT, 8192), 1e-6 * 64_576);
        assertEquals(30_000 + 2.0 * 8192, model.nanosPerPdu(Direction.RECEIVE, 8192), 1e-6 * 46_384);
    }

    @Test
    void aWholePathNeverCostsLessThanTheWorkAloneAndItsSlopeNeverFallsBelowTheWorks() {
        // a path that (by noise) looks flat and, for large SDUs, cheaper than the work: 20 µs whatever the size
        PathProbe flat = new PathProbe(20_000, 0, 20_000, 0);
        CpuModel model = CpuCalibration.measure(flat, 0.8, CLOCK);
        assertEquals(1.1, model.transmitNanosPerByte(), 1e-9, model.description());
        assertEquals(1.3, model.receiveNanosPerByte(), 1e-9, model.description());
        for (int size : CpuCalibration.PATH_SDU_SIZES_BYTES) {
            assertTrue(model.nanosPerPdu(Direction.TRANSMIT, size) >= 80 + 1.1 * size, "transmit at " + size);
            assertTrue(model.nanosPerPdu(Direction.RECEIVE, size) >= 60 + 1.3 * size, "receive at " + size);
        }
        // the fixed part still carries the path's wake-ups for small SDUs
        assertTrue(model.nanosPerPdu(Direction.TRANSMIT, 40) > 10_000, model.description());
    }

    @Test
    void aSlopeFloorKeepsTheWeightedMeanIntercept() {
        double[] xs = {100, 200};
        LeastSquaresLine line = LeastSquaresLine.fitRelativeWithSlope(xs, new double[] {1100, 1200}, 1.0);
        assertEquals(1000, line.intercept(), 1e-9);
        assertEquals(1.0, line.slope());
        assertEquals(0, line.worstRelativeError(), 1e-12);
        LeastSquaresLine negative = LeastSquaresLine.fitRelativeWithSlope(xs, new double[] {50, 100}, 1.0);
        assertTrue(negative.throughOrigin());
        assertEquals(0, negative.intercept());
        assertThrows(IllegalArgumentException.class, () -> LeastSquaresLine.fitRelativeWithSlope(xs, new double[] {1, 2},
                Double.NaN));
    }

    @Test
    void theMeanOfTheFirstValuesOnly() {
        assertEquals(2, CpuCalibration.mean(new double[] {3, 1, 2}, 3));
        assertEquals(1.5, CpuCalibration.mean(new double[] {2, 1, 99}, 2));
        assertEquals(7, CpuCalibration.mean(new double[] {7, 0, 0}, 1));
    }

    @Test
    void onceARoundIsCompleteTheTimeBudgetEndsTheWholePathMeasurement() {
        // each counted call takes 400 ms (a loaded machine stretching the probe's gaps): the first round, which always
        // completes, ends past the budget, so no second round starts; a slower machine only makes that surer
        long perCallMillis = CpuCalibration.PATH_BUDGET_NANOS / 1_000_000 / CpuCalibration.PATH_SDU_SIZES_BYTES.length + 50;
        PathProbe slow = new PathProbe(40_000, 3.0, 30_000, 2.0) {
            @Override
            public DataPathCost dataPathNanosPerPdu(int sduBytes, int pdus) {
                if (!pathCalls.isEmpty()) {
                    try {
                        Thread.sleep(perCallMillis);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
                return super.dataPathNanosPerPdu(sduBytes, pdus);
            }
        };
        CpuModel model = CpuCalibration.measure(slow, 0.8, CLOCK);
        assertEquals(1 + CpuCalibration.PATH_SDU_SIZES_BYTES.length, slow.pathCalls.size(), slow.pathCalls.toString());
        assertTrue(model.description().contains("mean of 1 rounds"), model.description());
        assertEquals(40_000, model.transmitNanosPerPdu(), 1e-3);
    }

    @Test
    void aBrokenWholePathFailsTheCalibrationNamingIt() {
        PathProbe broken = new PathProbe(40_000, 3.0, 30_000, 2.0) {
            @Override
            public DataPathCost dataPathNanosPerPdu(int sduBytes, int pdus) {
                if (!pathCalls.isEmpty()) {
                    throw new IllegalStateException("cost probe: 9180-byte PDUs did not pass in time");
                }
                return super.dataPathNanosPerPdu(sduBytes, pdus);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CpuCalibration.measure(broken, 0.8,
                CLOCK));
        assertTrue(e.getMessage().contains("did not pass in time"), e.getMessage());
    }

    @Test
    void aLinearProbeIsFittedExactlyWithTheDateAndADescription() {
        LinearProbe probe = new LinearProbe(80, 1.1, 60, 1.3);
        CpuModel model = CpuCalibration.measure(probe, 0.8, CLOCK);
        assertEquals(80, model.transmitNanosPerPdu(), 1e-6);
        assertEquals(1.1, model.transmitNanosPerByte(), 1e-9);
        assertEquals(60, model.receiveNanosPerPdu(), 1e-6);
        assertEquals(1.3, model.receiveNanosPerByte(), 1e-9);
        assertEquals(0.8, model.utilisationLimit());
        assertEquals(CLOCK.instant(), model.calibratedAt());
        assertTrue(model.description().startsWith("measured with the driver's PduCostProbe: SDUs of 40..16384 bytes"),
                model.description());
        assertTrue(model.description().contains("transmit 80.0 ns + 1.1000 ns/byte (R² 1.0000"), model.description());
        assertFalse(CpuCalibration.isFallback(model));
        // answers that never get faster: the minimum number of rounds, both directions, every size
        assertEquals(CpuCalibration.MIN_ROUNDS * 2 * CpuCalibration.SDU_SIZES_BYTES.length, probe.calls.get());
        assertTrue(model.description().contains("fastest of " + CpuCalibration.MIN_ROUNDS + " rounds"), model.description());
        assertTrue(model.description().contains("the probe does not measure the whole data path"), model.description());
    }

    @Test
    void roundsGoOnWhileTheyGetFasterAndTheFastestCounts() {
        // as while the JIT compiles: each round twice as fast as the one before, until the fifth
        int calls = 2 * CpuCalibration.SDU_SIZES_BYTES.length;
        AtomicInteger n = new AtomicInteger();
        PduCostProbe warming = new PduCostProbe() {
            double slowdown() {
                int round = n.getAndIncrement() / calls;
                return 1 << Math.max(0, 4 - round);
            }

            @Override
            public double transmitNanosPerPdu(int sduBytes, int repetitions) {
                return (100 + sduBytes) * slowdown();
            }

            @Override
            public double receiveNanosPerPdu(int sduBytes, int repetitions) {
                return (50 + sduBytes) * slowdown();
            }
        };
        CpuModel model = CpuCalibration.measure(warming, 0.8, CLOCK);
        assertEquals(100, model.transmitNanosPerPdu(), 1e-6);
        assertEquals(1, model.transmitNanosPerByte(), 1e-9);
        assertEquals(50, model.receiveNanosPerPdu(), 1e-6);
        // five rounds getting faster, then two that do not
        assertEquals(7 * calls, n.get());
    }

    @Test
    void theFastestRoundCountsSoASlowOutlierIsIgnored() {
        // every seventh answer is ten times too slow (preempted, say); 7 is prime to the calls per round, so no
        // size and direction is slow in more than one of any seven rounds
        AtomicInteger n = new AtomicInteger();
        PduCostProbe noisy = new PduCostProbe() {
            @Override
            public double transmitNanosPerPdu(int sduBytes, int repetitions) {
                return (100 + sduBytes) * (n.incrementAndGet() % 7 == 0 ? 10 : 1);
            }

            @Override
            public double receiveNanosPerPdu(int sduBytes, int repetitions) {
                return (100 + sduBytes) * (n.incrementAndGet() % 7 == 0 ? 10 : 1);
            }
        };
        CpuModel model = CpuCalibration.measure(noisy, 0.8, CLOCK);
        assertEquals(100 + 9180, model.nanosPerPdu(Direction.TRANSMIT, 9180), 1e-6 * 9280);
        assertEquals(100 + 9180, model.nanosPerPdu(Direction.RECEIVE, 9180), 1e-6 * 9280);
    }

    @Test
    void theFitWeighsRelativeErrorSoTheSmallSdusPerPduCostSurvivesNoiseOnLargeOnes() {
        // ±3 % noise on every point: unweighted, the 65535-byte point's ±2 µs would swamp the 100 ns constant
        double[] sizes = {40, 576, 1500, 4096, 9180, 16384, 32768, 65535};
        double[] nanos = new double[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            nanos[i] = (100 + 1.0 * sizes[i]) * (i % 2 == 0 ? 1.03 : 0.97);
        }
        LeastSquaresLine line = LeastSquaresLine.fitRelative(sizes, nanos);
        assertEquals(140, line.at(40), 0.05 * 140, line.toString());
        assertEquals(1.0, line.slope(), 0.05);
        assertTrue(line.worstRelativeError() < 0.1, line.toString());
        assertTrue(line.rSquared() > 0.99, line.toString());
    }

    @Test
    void aNegativeInterceptIsRefittedThroughTheOrigin() {
        // y = x − 50: a PDU of 40 bytes would "cost" −10 ns
        LeastSquaresLine line = LeastSquaresLine.fitRelative(new double[] {100, 200, 300}, new double[] {50, 150, 250});
        assertTrue(line.throughOrigin());
        assertEquals(0, line.intercept());
        assertTrue(line.slope() > 0.5 && line.slope() < 1, line.toString());
        assertTrue(line.at(40) > 0);
    }

    @Test
    void aCostThatDoesNotGrowWithSizeIsRefused() {
        PduCostProbe flat = new LinearProbe(1000, 0, 1000, -0.001);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CpuCalibration.measure(flat, 0.8, CLOCK));
        assertTrue(e.getMessage().contains("does not grow with the SDU size"), e.getMessage());
    }

    @Test
    void theFallbackSaysItIsNotMeasuredAndWhy() {
        CpuModel model = CpuCalibration.fallback(AdmissionSettings.DEFAULTS, CLOCK.instant(), "no PduCostProbe service");
        assertTrue(CpuCalibration.isFallback(model));
        assertTrue(model.description().contains("not measured: no PduCostProbe service"), model.description());
        assertEquals(AdmissionSettings.DEFAULT_FALLBACK_NANOS_PER_PDU, model.transmitNanosPerPdu());
        assertEquals(AdmissionSettings.DEFAULT_FALLBACK_NANOS_PER_BYTE, model.receiveNanosPerByte());
    }

    /** A whole path whose PDUs cost {@code txExtra}/{@code rxExtra} more when the probe spaces them 8 ms apart. */
    static class GapProbe extends PathProbe {
        final double txExtra, rxExtra;
        final java.util.List<Long> gaps = new java.util.concurrent.CopyOnWriteArrayList<>();

        GapProbe(double txExtra, double rxExtra) {
            super(40_000, 3.0, 30_000, 2.0);
            this.txExtra = txExtra;
            this.rxExtra = rxExtra;
        }

        @Override
        public DataPathCost dataPathNanosPerPdu(int sduBytes, int pdus, long gapNanos) {
            gaps.add(gapNanos);
            DataPathCost c = dataPathNanosPerPdu(sduBytes, pdus);
            boolean isLong = gapNanos >= CpuCalibration.LONG_GAP_NANOS;
            return new DataPathCost(c.transmitNanosPerPdu() + (isLong ? txExtra : 0), c.receiveNanosPerPdu() + (isLong ? rxExtra : 0));
        }
    }

    /**
     * Found by Figure 9: a 10 Mbit/s connection's PDUs, 6.6 ms apart, cost about half again what the line measured
     * at 2 ms gaps gave. The calibration now measures PDUs 8 ms apart too, and the model adds the difference, by the
     * log of the gap, to PDUs further apart than 2 ms.
     */
    @Test
    void pdusFurtherApartCostWhatTheProbeMeasuredAtTheLongGap() {
        GapProbe probe = new GapProbe(20_000, 6_000);
        CpuModel model = CpuCalibration.measure(probe, 0.8, CLOCK);
        assertEquals(CpuCalibration.PATH_GAP_NANOS, model.gapNanos());
        assertEquals(CpuCalibration.LONG_GAP_NANOS, model.longGapNanos());
        assertEquals(20_000, model.transmitLongGapExtraNanos(), 1e-3);
        assertEquals(6_000, model.receiveLongGapExtraNanos(), 1e-3);
        assertTrue(probe.gaps.contains(CpuCalibration.LONG_GAP_NANOS), "the probe was asked for the long gap: " + probe.gaps);
        assertTrue(model.description().contains("gap term: PDUs 8 ms apart"), model.description());
        // 100 Mbit/s of 8192-byte SDUs (0.66 ms apart): the line; 10 Mbit/s (6.6 ms apart): most of the extra
        double at100 = model.nanosPerPdu(Direction.TRANSMIT, 8192, 100e6 / 8 / 8192);
        double at10 = model.nanosPerPdu(Direction.TRANSMIT, 8192, 10e6 / 8 / 8192);
        assertEquals(40_000 + 3.0 * 8192, at100, 1e-3);
        assertEquals(40_000 + 3.0 * 8192 + 20_000 * Math.log(6.5536 / 2) / Math.log(4), at10, 1);
    }

    @Test
    void theLongGapExtraIsCappedSoTheShareStillGrowsWithTheRateAndAProbeWithoutItLeavesNoGapTerm() {
        CpuModel capped = CpuCalibration.measure(new GapProbe(1e9, -5_000), 0.8, CLOCK);
        assertEquals(40_000 * Math.log(4), capped.transmitLongGapExtraNanos(), 1e-3, "at most a·ln(8/2)");
        assertEquals(0, capped.receiveLongGapExtraNanos(), "never below the line");
        CpuModel none = CpuCalibration.measure(new PathProbe(40_000, 3.0, 30_000, 2.0), 0.8, CLOCK);
        assertEquals(0, none.transmitLongGapExtraNanos());
        assertEquals(0, none.longGapShare(1));
        assertTrue(none.description().contains("no gap term"), none.description());
    }
}
