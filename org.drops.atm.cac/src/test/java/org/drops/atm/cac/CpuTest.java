package org.drops.atm.cac;

import static org.drops.atm.cac.Fixtures.cbrRx;
import static org.drops.atm.cac.Fixtures.cbrTx;
import static org.drops.atm.cac.Fixtures.ledger;
import static org.drops.atm.cac.Fixtures.resource;
import static org.drops.atm.cac.Fixtures.ubr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.Resource;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.admission.ResourceState;
import org.drops.atm.api.qos.Direction;
import org.junit.jupiter.api.Test;

/** Paper equations 3 and 4 with a fixed fake calibration: U = Σ pdus/s · cost(direction, size) / 10⁹ ≤ U_limit. */
class CpuTest {

    /** A slow machine: transmit 20 µs + 100 ns/byte, receive 10 µs + 50 ns/byte per PDU. */
    private static final CpuModel SLOW = Fixtures.cpu(20_000, 100, 10_000, 50);

    @Test
    void aConnectionUsesItsPdusPerSecondTimesTheCostOfOnePdu() throws Exception {
        Ledger ledger = ledger(AdmissionSettings.DEFAULTS, SLOW);
        Reservation tx = ledger.admit(cbrTx(0, 100, 50_000, 8192));
        // 50000 cells/s / 171 cells per SDU = 292.4 PDU/s, each 20000 + 100·8192 = 839200 ns
        assertEquals(50_000.0 / 171 * 839_200 / 1e9, tx.cpuUtilisation(), 1e-9);
        assertEquals(SLOW.utilisation(Direction.TRANSMIT, 50_000.0 / 171, 8192), tx.cpuUtilisation(), 1e-9);
        Reservation rx = ledger.admit(cbrRx(1, 100, 50_000, 8192, 1000));
        assertEquals(50_000.0 / 171 * (10_000 + 50 * 8192) / 1e9, rx.cpuUtilisation(), 1e-9);
        // the CPU is the host's: both interfaces' connections add up, and each state repeats it
        ResourceState cpu = resource(ledger, 0, Resource.CPU);
        assertEquals(0.8, cpu.capacity());
        assertEquals("utilisation", cpu.unit());
        assertEquals(tx.cpuUtilisation() + rx.cpuUtilisation(), cpu.reserved(), 1e-9);
        assertEquals(cpu, resource(ledger, 1, Resource.CPU));
    }

    @Test
    void theCpuBindsAtTheUtilisationLimitAndTheRecommendationIsTheLargestRateBelowIt() throws Exception {
        Ledger ledger = ledger(AdmissionSettings.DEFAULTS, SLOW);
        // r/171 · 839200 ns ≤ 0.8·10⁹ ns/s ⟺ r ≤ 163012.39: 163012 fits, 163013 does not
        AdmissionException e = assertThrows(AdmissionException.class, () -> ledger.admit(cbrTx(0, 100, 200_000, 8192)));
        assertEquals(Resource.CPU, e.resource());
        assertEquals(163_012, e.recommended().orElseThrow().tx().topPcrCps());
        e = assertThrows(AdmissionException.class, () -> ledger.admit(cbrTx(0, 100, 163_013, 8192)));
        assertEquals(Resource.CPU, e.resource());
        Reservation r = ledger.admit(cbrTx(0, 100, 163_012, 8192));
        assertEquals(0.799998073, r.cpuUtilisation(), 1e-9);
        assertEquals(2, ledger.counters().refusedCpu());
    }

    @Test
    void smallSdusCostMorePerByteThanLargeOnes() throws Exception {
        // the per-PDU part is the paper's scaling factor for small packets: the same cell rate costs more CPU
        Ledger ledger = ledger(AdmissionSettings.DEFAULTS, SLOW);
        Reservation small = ledger.admit(cbrTx(0, 100, 10_000, 40));
        Reservation large = ledger.admit(cbrTx(0, 101, 10_000, 65535));
        assertTrue(small.cpuUtilisation() > 3 * large.cpuUtilisation(),
                small.cpuUtilisation() + " vs " + large.cpuUtilisation());
    }

    @Test
    void bestEffortTakesNoCpu() throws Exception {
        Ledger ledger = ledger(AdmissionSettings.DEFAULTS, SLOW);
        assertEquals(0, ledger.admit(ubr(0, 100, Direction.RECEIVE, 65535)).cpuUtilisation());
        assertEquals(0, resource(ledger, 0, Resource.CPU).reserved());
    }

    @Test
    void aNewCpuModelAppliesToNewAdmissionsAndReleasesGiveBackWhatWasBooked() throws Exception {
        Ledger ledger = ledger(AdmissionSettings.DEFAULTS, SLOW);
        Reservation before = ledger.admit(cbrTx(0, 100, 100_000, 8192));
        ledger.useCpuModel(Fixtures.cpu(200_000, 1000, 100_000, 500)); // ten times slower
        assertEquals(before.cpuUtilisation(), resource(ledger, 0, Resource.CPU).reserved(), 1e-12);
        AdmissionException e = assertThrows(AdmissionException.class, () -> ledger.admit(cbrTx(0, 101, 100_000, 8192)));
        assertEquals(Resource.CPU, e.resource());
        assertTrue(ledger.release(before));
        assertEquals(0.0, resource(ledger, 0, Resource.CPU).reserved());
        assertEquals(0.8, resource(ledger, 0, Resource.CPU).free());
    }

    @Test
    void theConfiguredLimitReplacesTheModelsLimit() {
        Ledger ledger = ledger(AdmissionSettings.DEFAULTS.withCpuUtilisationLimit(0.5), SLOW);
        assertEquals(0.5, ledger.cpuModel().utilisationLimit());
        assertEquals(0.5, resource(ledger, 0, Resource.CPU).capacity());
        ledger.configure(AdmissionSettings.DEFAULTS);
        assertEquals(0.8, ledger.cpuModel().utilisationLimit());
    }
}
