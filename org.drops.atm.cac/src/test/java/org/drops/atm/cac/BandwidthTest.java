package org.drops.atm.cac;

import static org.drops.atm.cac.Fixtures.OC3;
import static org.drops.atm.cac.Fixtures.cbrTx;
import static org.drops.atm.cac.Fixtures.ledger;
import static org.drops.atm.cac.Fixtures.resource;
import static org.drops.atm.cac.Fixtures.ubr;
import static org.drops.atm.cac.Fixtures.vbr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.Resource;
import org.drops.atm.api.admission.AdmissionRequest;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.admission.ResourceState;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.junit.jupiter.api.Test;

class BandwidthTest {

    /** 16 Mbit/s of 8192-byte SDUs: 2·10⁶ B/s / 8192 × 171 cells = 41748.05 cells/s, as the issue rounds it. */
    private static final int PCR_16_MBIT = 41_748;

    @Test
    void eightSixteenMegabitCbrConnectionsFitAtOc3AndTheNinthGetsTheRestAsRecommendation() throws Exception {
        Ledger ledger = ledger();
        for (int i = 0; i < 8; i++) {
            Reservation r = ledger.admit(cbrTx(0, 100 + i, PCR_16_MBIT, 8192));
            assertEquals(PCR_16_MBIT, r.bandwidthCellsPerSecond());
        }
        ResourceState bandwidth = resource(ledger, 0, Resource.BANDWIDTH);
        assertEquals(353_207, bandwidth.capacity());
        assertEquals(333_984, bandwidth.reserved());
        assertEquals(19_223, bandwidth.free());
        assertEquals("cells/s", bandwidth.unit());

        AdmissionException refused = assertThrows(AdmissionException.class,
                () -> ledger.admit(cbrTx(0, 108, PCR_16_MBIT, 8192)));
        assertEquals(Resource.BANDWIDTH, refused.resource());
        TrafficParameters recommended = refused.recommended().orElseThrow().tx();
        assertEquals(TrafficClass.CBR, recommended.trafficClass());
        assertEquals(8192, recommended.maxSduBytes());
        assertEquals(19_223, recommended.topPcrCps());
        assertTrue(refused.getMessage().contains("needs 41748 cells/s (free 19223 of 353207)"), refused.getMessage());

        Reservation ninth = ledger.admit(Fixtures.withQos(cbrTx(0, 108, 1, 8192), refused.recommended().get()));
        assertEquals(19_223, ninth.bandwidthCellsPerSecond());
        assertEquals(0, resource(ledger, 0, Resource.BANDWIDTH).free());
        assertEquals(0, ledger.bestEffortCellsPerSecond(0));
    }

    @Test
    void theSameWithCellRatesRoundingTheSduRateUp() throws Exception {
        int pcr = CellRates.aal5CellsPerSecond(2_000_000, 8192);
        assertEquals(41_749, pcr, "CellRates rounds 41748.05 up, so the contract covers the SDU rate");
        Ledger ledger = ledger();
        for (int i = 0; i < 8; i++) {
            ledger.admit(cbrTx(0, 100 + i, pcr, 8192));
        }
        assertEquals(333_992, resource(ledger, 0, Resource.BANDWIDTH).reserved());
        AdmissionException refused = assertThrows(AdmissionException.class, () -> ledger.admit(cbrTx(0, 108, pcr, 8192)));
        assertEquals(19_215, refused.recommended().orElseThrow().tx().topPcrCps());
    }

    @Test
    void theRecommendationIsAdmittedAndOneCellPerSecondMoreIsNot() throws Exception {
        Ledger ledger = ledger();
        for (int i = 0; i < 8; i++) {
            ledger.admit(cbrTx(0, 100 + i, PCR_16_MBIT, 8192));
        }
        AdmissionException refused = assertThrows(AdmissionException.class,
                () -> ledger.admit(cbrTx(0, 108, PCR_16_MBIT, 8192)));
        int recommended = refused.recommended().orElseThrow().tx().topPcrCps();
        AdmissionException onceMore = assertThrows(AdmissionException.class,
                () -> ledger.admit(cbrTx(0, 108, recommended + 1, 8192)));
        assertEquals(Resource.BANDWIDTH, onceMore.resource());
        assertEquals(recommended, onceMore.recommended().orElseThrow().tx().topPcrCps());
        ledger.admit(cbrTx(0, 108, recommended, 8192));
    }

    @Test
    void maxPcrReservesTheWholeLine() throws Exception {
        Ledger ledger = ledger();
        AdmissionRequest wholeLine = Fixtures.request(0, 100, Direction.TRANSMIT,
                TrafficParameters.builder(TrafficClass.CBR).pcrCps(TrafficParameters.MAX_PCR).maxSduBytes(8192).build());
        Reservation r = ledger.admit(wholeLine);
        assertEquals(OC3, r.bandwidthCellsPerSecond());
        assertEquals(0, ledger.bestEffortCellsPerSecond(0));
        AdmissionException refused = assertThrows(AdmissionException.class, () -> ledger.admit(cbrTx(0, 101, 1, 8192)));
        assertEquals(Resource.BANDWIDTH, refused.resource());
        assertTrue(refused.recommended().isEmpty(), "not even 1 cell/s is left");
        assertTrue(ledger.release(r));
        assertEquals(OC3, ledger.bestEffortCellsPerSecond(0));
    }

    @Test
    void aPeakAboveTheLineRateCanNeverFitAndTheMessageNamesTheField() {
        Ledger ledger = ledger();
        AdmissionException e = assertThrows(AdmissionException.class, () -> ledger.admit(cbrTx(0, 100, 353_208, 8192)));
        assertEquals(Resource.BANDWIDTH, e.resource());
        assertTrue(e.recommended().isEmpty());
        assertTrue(e.getMessage().contains("tx.pcr: 353208 cells/s exceeds the line rate of itf 0, 353207 cells/s"),
                e.getMessage());
        AdmissionRequest byMaxPcr = Fixtures.request(0, 100, Direction.RECEIVE,
                TrafficParameters.builder(TrafficClass.CBR).maxPcrCps(400_000).build());
        e = assertThrows(AdmissionException.class, () -> ledger.admit(byMaxPcr));
        assertTrue(e.getMessage().contains("rx.max_pcr: 400000"), e.getMessage());
        AdmissionRequest vbrPeak = vbr(0, 100, Direction.TRANSMIT, TrafficClass.RT_VBR, 400_000, 1000, 100, 8192, 1000);
        e = assertThrows(AdmissionException.class, () -> ledger.admit(vbrPeak));
        assertTrue(e.getMessage().contains("tx.pcr: 400000"), e.getMessage());
        AdmissionRequest vbrScr = Fixtures.request(0, 100, Direction.TRANSMIT, TrafficParameters.builder(TrafficClass.NRT_VBR)
                .pcrCps(TrafficParameters.MAX_PCR).scrCps(400_000).mbsCells(100).build());
        e = assertThrows(AdmissionException.class, () -> ledger.admit(vbrScr));
        assertTrue(e.getMessage().contains("tx.scr: 400000"), e.getMessage());
        assertEquals(4, ledger.counters().refusedNeverFits());
        assertEquals(0, resource(ledger, 0, Resource.BANDWIDTH).reserved());
    }

    @Test
    void anyclassCarriesNothingToAdmitAndTheMessageNamesTheField() {
        Ledger ledger = ledger();
        AdmissionRequest any = Fixtures.request(0, 100, Direction.TRANSMIT,
                TrafficParameters.builder(TrafficClass.ANYCLASS).build());
        AdmissionException e = assertThrows(AdmissionException.class, () -> ledger.admit(any));
        assertTrue(e.getMessage().contains("tx.class: ANYCLASS carries no traffic parameters"), e.getMessage());
        assertTrue(e.recommended().isEmpty());
        assertEquals(1, ledger.counters().refusedNeverFits());
    }

    @Test
    void vbrReservesItsSustainableRate() throws Exception {
        Ledger ledger = ledger();
        Reservation r = ledger.admit(vbr(0, 100, Direction.TRANSMIT, TrafficClass.RT_VBR, 100_000, 20_000, 1000, 8192, 1000));
        assertEquals(20_000, r.bandwidthCellsPerSecond());
        r = ledger.admit(vbr(0, 101, Direction.RECEIVE, TrafficClass.NRT_VBR, 100_000, 30_000, 1000, 8192, 1000));
        assertEquals(30_000, r.bandwidthCellsPerSecond());
        assertEquals(50_000, resource(ledger, 0, Resource.BANDWIDTH).reserved());
        assertEquals(OC3 - 50_000, ledger.bestEffortCellsPerSecond(0));
    }

    @Test
    void aVbrRecommendationLowersTheSustainableRateAndKeepsThePeak() throws Exception {
        Ledger ledger = ledger();
        ledger.admit(cbrTx(0, 100, 300_000, 8192));
        AdmissionException e = assertThrows(AdmissionException.class,
                () -> ledger.admit(vbr(0, 101, Direction.TRANSMIT, TrafficClass.RT_VBR, 100_000, 60_000, 1000, 8192, 1000)));
        TrafficParameters recommended = e.recommended().orElseThrow().tx();
        assertEquals(53_207, recommended.scrCps());
        assertEquals(100_000, recommended.pcrCps());
        assertEquals(1000, recommended.mbsCells());
        assertEquals(TrafficClass.RT_VBR, recommended.trafficClass());
    }

    @Test
    void ubrIsNeverRefusedForBandwidthAndReservesNone() throws Exception {
        Ledger ledger = ledger();
        ledger.admit(Fixtures.request(0, 100, Direction.TRANSMIT,
                TrafficParameters.builder(TrafficClass.CBR).pcrCps(TrafficParameters.MAX_PCR).maxSduBytes(1500).build()));
        for (int i = 0; i < 10; i++) {
            Reservation r = ledger.admit(ubr(0, 200 + i, i % 2 == 0 ? Direction.TRANSMIT : Direction.RECEIVE, 9180));
            assertEquals(0, r.bandwidthCellsPerSecond());
            assertEquals(0, r.cpuUtilisation());
        }
        assertEquals(OC3, resource(ledger, 0, Resource.BANDWIDTH).reserved());
    }

    @Test
    void theBestEffortShareIsTheLineLessGuaranteedReservations() throws Exception {
        Ledger ledger = ledger();
        assertEquals(OC3, ledger.bestEffortCellsPerSecond(0));
        Reservation a = ledger.admit(cbrTx(0, 100, 100_000, 8192));
        Reservation b = ledger.admit(cbrTx(1, 100, 50_000, 8192));
        assertEquals(OC3 - 100_000, ledger.bestEffortCellsPerSecond(0));
        assertEquals(OC3 - 50_000, ledger.bestEffortCellsPerSecond(1));
        assertEquals(OC3 - 100_000, ledger.state(0).orElseThrow().bestEffortCellsPerSecond());
        ledger.release(a);
        ledger.release(b);
        assertEquals(OC3, ledger.bestEffortCellsPerSecond(0));
        assertEquals(0, ledger.bestEffortCellsPerSecond(5), "no interface 5");
    }

    @Test
    void aBestEffortReserveLowersWhatGuaranteedConnectionsMayTakeButNotTheShareArithmetic() throws Exception {
        Ledger ledger = ledger(AdmissionSettings.DEFAULTS.withBestEffortReserveCellsPerSecond(53_207), Fixtures.FAKE_CPU);
        assertEquals(300_000, resource(ledger, 0, Resource.BANDWIDTH).capacity());
        ledger.admit(cbrTx(0, 100, 250_000, 8192));
        AdmissionException e = assertThrows(AdmissionException.class, () -> ledger.admit(cbrTx(0, 101, 60_000, 8192)));
        assertEquals(50_000, e.recommended().orElseThrow().tx().topPcrCps());
        assertEquals(OC3 - 250_000, ledger.bestEffortCellsPerSecond(0));
    }

    @Test
    void anInterfaceWithoutADeviceIsRefusedByNumber() {
        Ledger ledger = ledger();
        AdmissionException e = assertThrows(AdmissionException.class, () -> ledger.admit(cbrTx(3, 100, 1000, 8192)));
        assertEquals(Resource.BANDWIDTH, e.resource());
        assertTrue(e.recommended().isEmpty());
        assertTrue(e.getMessage().contains("itf 3: no such ATM interface (no AtmDevice service with atm.itf=3"),
                e.getMessage());
        assertThrows(AdmissionException.class, () -> ledger.admit(ubr(3, 100, Direction.RECEIVE, 1500)));
        assertEquals(2, ledger.counters().refusedNoInterface());
        assertTrue(ledger.state(3).isEmpty());
    }

    @Test
    void anInterfaceThatGoesAwayKeepsItsReservationsUntilReleased() throws Exception {
        Ledger ledger = ledger();
        Reservation r = ledger.admit(cbrTx(0, 100, 100_000, 8192));
        ledger.interfaceDown("device0");
        assertEquals(100_000, resource(ledger, 0, Resource.BANDWIDTH).reserved(), "state of a gone interface answers");
        assertEquals(List.of(r), ledger.state(0).orElseThrow().reservations());
        assertEquals(0, ledger.bestEffortCellsPerSecond(0), "nothing flows on a gone interface");
        assertThrows(AdmissionException.class, () -> ledger.admit(cbrTx(0, 101, 1000, 8192)));
        assertTrue(ledger.release(r));
        assertTrue(ledger.state(0).isEmpty(), "a gone interface's account goes with its last reservation");
        assertEquals(List.of(1), ledger.states().stream().map(s -> s.itf()).toList());
    }

    @Test
    void aReconfiguredInterfaceTakesTheNewLineRateAndKeepsItsReservations() throws Exception {
        Ledger ledger = ledger();
        Reservation r = ledger.admit(cbrTx(0, 100, 300_000, 8192));
        // the driver registers the reconfigured interface before the old one goes away
        ledger.interfaceUp("device0-oc12", 0, CellRates.OC12_CELLS_PER_SECOND);
        ledger.interfaceDown("device0");
        assertEquals(CellRates.OC12_PCR, resource(ledger, 0, Resource.BANDWIDTH).capacity());
        assertEquals(300_000, resource(ledger, 0, Resource.BANDWIDTH).reserved());
        ledger.admit(cbrTx(0, 101, 1_000_000, 8192));
        // back to OC-3 below what is reserved: nothing is revoked, the account is over-committed
        ledger.interfaceUp("device0-oc3", 0, CellRates.OC3_CELLS_PER_SECOND);
        ledger.interfaceDown("device0-oc12");
        ResourceState bandwidth = resource(ledger, 0, Resource.BANDWIDTH);
        assertEquals(1_300_000, bandwidth.reserved());
        assertEquals(OC3 - 1_300_000, bandwidth.free());
        assertThrows(AdmissionException.class, () -> ledger.admit(cbrTx(0, 102, 1, 8192)));
        ledger.admit(ubr(0, 103, Direction.RECEIVE, 1500));
        assertTrue(ledger.release(r));
    }

    @Test
    void anUnpacedLineCountsAsTheLargestRateAContractCanName() throws Exception {
        Ledger ledger = new Ledger(AdmissionSettings.DEFAULTS, Fixtures.FAKE_CPU);
        ledger.interfaceUp("fast", 4, Double.POSITIVE_INFINITY);
        assertEquals(Integer.MAX_VALUE, resource(ledger, 4, Resource.BANDWIDTH).capacity());
        assertEquals(1_000_000, ledger.admit(cbrTx(4, 100, 1_000_000, 65535)).bandwidthCellsPerSecond());
    }

    @Test
    void releaseGivesBackExactlyWhatWasReservedOnceAndCountsTheRest() throws Exception {
        Ledger ledger = ledger();
        List<Reservation> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(ledger.admit(cbrTx(0, 100 + i, 10_000 * (i + 1), 1000 * (i + 1))));
        }
        Reservation third = held.get(2);
        double before = resource(ledger, 0, Resource.BANDWIDTH).reserved();
        double bufferBefore = resource(ledger, 0, Resource.BUFFER).reserved();
        assertTrue(ledger.release(third));
        assertEquals(before - 30_000, resource(ledger, 0, Resource.BANDWIDTH).reserved());
        assertEquals(bufferBefore - third.bufferBytes(), resource(ledger, 0, Resource.BUFFER).reserved());
        assertFalse(ledger.release(third), "released twice");
        Reservation forged = new Reservation(held.get(0).id(), held.get(0).request(), 1, 1, 1, 0);
        assertFalse(ledger.release(forged), "same id, different amounts: not ours");
        assertFalse(ledger.release(new Reservation(9999, held.get(0).request(), 1, 1, 1, 0)), "unknown id");
        assertEquals(3, ledger.counters().unknownReleases());
        assertEquals(1, ledger.counters().released());
        assertEquals(before - 30_000, resource(ledger, 0, Resource.BANDWIDTH).reserved(), "nothing changed");
    }
}
