package org.drops.atm.cac;

import static org.drops.atm.cac.Fixtures.cbrTx;
import static org.drops.atm.cac.Fixtures.configuration;
import static org.drops.atm.cac.Fixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.Resource;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.admission.ResourceState;
import org.drops.atm.api.device.PduCostProbe;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.cac.CpuCalibrationTest.LinearProbe;
import org.drops.atm.cac.Fixtures.FakeDevice;
import org.junit.jupiter.api.Test;

/** The component's life cycle as Declarative Services drives it, without a framework. */
class ConnectionAdmissionControlTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    private final FakeDevice itf0 = new FakeDevice(0, CellRates.OC3_CELLS_PER_SECOND);
    private final FakeDevice itf1 = new FakeDevice(1, CellRates.OC3_CELLS_PER_SECOND);

    private ConnectionAdmissionControl activated(Map<String, Object> config) {
        ConnectionAdmissionControl cac = new ConnectionAdmissionControl(CLOCK);
        // dynamic references bind before activate
        cac.bindDevice(itf0);
        cac.bindDevice(itf1);
        cac.activate(configuration(config));
        return cac;
    }

    @Test
    void theBoundInterfacesAreAccountedAtTheirWholeLineRate() {
        ConnectionAdmissionControl cac = activated(Map.of());
        assertEquals(List.of(0, 1), cac.states().stream().map(AdmissionState::itf).toList());
        ResourceState bandwidth = resource(cac.state(0).orElseThrow(), Resource.BANDWIDTH);
        assertEquals(353_207, bandwidth.capacity());
        assertEquals(353_207, cac.bestEffortCellsPerSecond(1));
        ResourceState buffer = resource(cac.state(0).orElseThrow(), Resource.BUFFER);
        assertEquals(AdmissionSettings.DEFAULT_BUFFER_BUDGET_BYTES, buffer.capacity());
        cac.unbindDevice(itf1);
        assertTrue(cac.state(1).isEmpty());
    }

    @Test
    void withoutAProbeTheFallbackConstantsAreUsedAndSaySo() {
        ConnectionAdmissionControl cac = activated(Map.of("fallback_transmit_nanos_per_pdu", 3000.0));
        CpuModel model = cac.cpuModel();
        assertEquals(3000.0, model.transmitNanosPerPdu());
        assertTrue(model.description().contains("not measured: no PduCostProbe service"), model.description());
        CpuModel again = cac.recalibrate();
        assertEquals(3000.0, again.transmitNanosPerPdu());
        assertTrue(again.description().contains("not measured: no PduCostProbe service"), again.description());
        cac.modified(configuration(Map.of("fallback_transmit_nanos_per_pdu", 4000.0)));
        assertEquals(4000.0, cac.cpuModel().transmitNanosPerPdu(), "new constants replace the old while unmeasured");
    }

    @Test
    void aProbeThatAppearsAfterActivationCalibratesAtOnce() {
        ConnectionAdmissionControl cac = activated(Map.of());
        LinearProbe probe = new LinearProbe(80, 1.1, 60, 1.3);
        cac.bindProbe(probe);
        CpuModel model = cac.cpuModel();
        assertEquals(1.1, model.transmitNanosPerByte(), 1e-9);
        assertEquals(CLOCK.instant(), model.calibratedAt());
        assertTrue(model.description().startsWith("measured"), model.description());
        int calls = probe.calls.get();
        cac.bindProbe(new LinearProbe(1, 1, 1, 1)); // a second probe does not recalibrate a measured model
        assertEquals(1.1, cac.cpuModel().transmitNanosPerByte(), 1e-9);
        cac.unbindProbe(probe);
        assertEquals(model, cac.cpuModel(), "a measured model stays when the probe goes");
        assertEquals(calls, probe.calls.get());
    }

    @Test
    void aProbeBoundBeforeActivationIsUsedByActivate() {
        ConnectionAdmissionControl cac = new ConnectionAdmissionControl(CLOCK);
        cac.bindProbe(new LinearProbe(80, 1.1, 60, 1.3));
        cac.bindDevice(itf0);
        cac.activate(configuration(Map.of("cpu_utilisation_limit", 0.5)));
        assertEquals(1.3, cac.cpuModel().receiveNanosPerByte(), 1e-9);
        assertEquals(0.5, cac.cpuModel().utilisationLimit());
    }

    @Test
    void withCalibrationOnStartOffOnlyRecalibrateMeasures() {
        ConnectionAdmissionControl cac = new ConnectionAdmissionControl(CLOCK);
        cac.bindProbe(new LinearProbe(80, 1.1, 60, 1.3));
        cac.activate(configuration(Map.of("calibrate_on_start", false)));
        assertTrue(cac.cpuModel().description().contains("calibrate.on.start is false"), cac.cpuModel().description());
        CpuModel measured = cac.recalibrate();
        assertEquals(80, measured.transmitNanosPerPdu(), 1e-6);
        assertEquals(measured, cac.cpuModel());
    }

    /** Fails on transmit while {@code broken} says so. */
    private static PduCostProbe breakable(boolean[] broken) {
        return new LinearProbe(80, 1.1, 60, 1.3) {
            @Override
            public double transmitNanosPerPdu(int sduBytes, int repetitions) {
                if (broken[0]) {
                    throw new IllegalStateException("probe broken");
                }
                return super.transmitNanosPerPdu(sduBytes, repetitions);
            }
        };
    }

    @Test
    void aFailedCalibrationKeepsTheConstantsAndSaysWhy() {
        ConnectionAdmissionControl cac = activated(Map.of());
        cac.bindProbe(breakable(new boolean[] {true}));
        CpuModel model = cac.cpuModel();
        assertTrue(CpuCalibration.isFallback(model));
        assertTrue(model.description().contains("calibration failed: probe broken"), model.description());
        assertEquals(AdmissionSettings.DEFAULT_FALLBACK_NANOS_PER_PDU, model.transmitNanosPerPdu());
    }

    @Test
    void aFailedRecalibrationKeepsAMeasuredModel() {
        boolean[] broken = {false};
        ConnectionAdmissionControl cac = activated(Map.of());
        cac.bindProbe(breakable(broken));
        CpuModel measured = cac.cpuModel();
        assertFalse(CpuCalibration.isFallback(measured));
        broken[0] = true;
        assertEquals(measured, cac.recalibrate());
        assertEquals(measured, cac.cpuModel());
    }

    @Test
    void reconfigurationNeverRevokesAReservationAndAppliesToNewOnes() throws Exception {
        ConnectionAdmissionControl cac = activated(Map.of());
        List<Reservation> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            held.add(cac.admit(cbrTx(0, 100 + i, 41_748, 8192)));
        }
        cac.modified(configuration(Map.of("best_effort_reserve_cells_per_second", 100_000L)));
        AdmissionState state = cac.state(0).orElseThrow();
        assertEquals(held, state.reservations());
        ResourceState bandwidth = resource(state, Resource.BANDWIDTH);
        assertEquals(253_207, bandwidth.capacity());
        assertEquals(333_984, bandwidth.reserved());
        assertEquals(-80_777, bandwidth.free(), "over-committed, not revoked");
        AdmissionException e = assertThrows(AdmissionException.class, () -> cac.admit(cbrTx(0, 200, 1, 8192)));
        assertEquals(Resource.BANDWIDTH, e.resource());
        assertTrue(e.recommended().isEmpty());
        cac.admit(Fixtures.ubr(0, 201, Direction.RECEIVE, 1500));
        for (int i = 0; i < 3; i++) {
            assertTrue(cac.release(held.get(i)));
        }
        // 5 × 41748 = 208740 reserved of 253207: 44467 free again
        AdmissionException again = assertThrows(AdmissionException.class, () -> cac.admit(cbrTx(0, 200, 50_000, 8192)));
        assertEquals(44_467, again.recommended().orElseThrow().tx().topPcrCps());
    }

    @Test
    void aBadValueIsRefusedByItsKeyAndTheOldLimitsStay() {
        ConnectionAdmissionControl cac = activated(Map.of("buffer_budget_bytes", 1_000_000L));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cac.modified(configuration(Map.of("cpu_utilisation_limit", 1.5))));
        assertTrue(e.getMessage().startsWith("cpu.utilisation.limit:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cac.modified(configuration(Map.of("transmit_slots", 0))));
        assertTrue(e.getMessage().startsWith("transmit.slots:"), e.getMessage());
        assertEquals(1_000_000, resource(cac.state(0).orElseThrow(), Resource.BUFFER).capacity());
    }

    @Test
    void concurrentRecalibrationsShareOneRun() throws Exception {
        ConnectionAdmissionControl cac = activated(Map.of("calibrate_on_start", false));
        CountDownLatch inProbe = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        LinearProbe probe = new LinearProbe(80, 1.1, 60, 1.3) {
            @Override
            public double transmitNanosPerPdu(int sduBytes, int repetitions) {
                inProbe.countDown();
                try {
                    proceed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.transmitNanosPerPdu(sduBytes, repetitions);
            }
        };
        cac.bindProbe(probe);
        CompletableFuture<CpuModel> first = CompletableFuture.supplyAsync(cac::recalibrate);
        assertTrue(inProbe.await(10, TimeUnit.SECONDS));
        Thread second = new Thread(cac::recalibrate, "second-recalibration");
        second.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (second.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.WAITING, second.getState(), "the second caller waits for the first run");
        proceed.countDown();
        second.join(10_000);
        assertFalse(second.isAlive());
        assertEquals(1.1, first.get(10, TimeUnit.SECONDS).transmitNanosPerByte(), 1e-9);
        assertEquals(CpuCalibration.MIN_ROUNDS * 2 * CpuCalibration.SDU_SIZES_BYTES.length, probe.calls.get(),
                "one calibration's worth of probe calls");
    }

    @Test
    void countersSeeEveryOutcome() throws Exception {
        ConnectionAdmissionControl cac = activated(Map.of());
        Reservation r = cac.admit(cbrTx(0, 100, 300_000, 8192));
        assertThrows(AdmissionException.class, () -> cac.admit(cbrTx(0, 101, 60_000, 8192)));
        assertThrows(AdmissionException.class, () -> cac.admit(cbrTx(0, 101, 400_000, 8192)));
        assertThrows(AdmissionException.class, () -> cac.admit(cbrTx(9, 101, 1000, 8192)));
        assertTrue(cac.release(r));
        assertFalse(cac.release(r));
        assertEquals(new AdmissionCounters(1, 1, 0, 0, 1, 1, 1, 1), cac.counters());
    }
}
