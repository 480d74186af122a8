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
}
