package org.drops.atm.cac;

import static org.drops.atm.cac.Fixtures.cbrRx;
import static org.drops.atm.cac.Fixtures.cbrTx;
import static org.drops.atm.cac.Fixtures.ledger;
import static org.drops.atm.cac.Fixtures.resource;
import static org.drops.atm.cac.Fixtures.settings;
import static org.drops.atm.cac.Fixtures.ubr;
import static org.drops.atm.cac.Fixtures.vbr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.Resource;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.junit.jupiter.api.Test;

class BufferTest {

    @Test
    void transmitSlotsAreSizedByTheMaximumSdu() throws Exception {
        Ledger ledger = ledger();
        // a slow guaranteed writer: T = 171 ms, τ = 9999 µs, P = 1, plus the slot in use: the double buffer
        Reservation r = ledger.admit(cbrTx(0, 100, 1000, 8192));
        assertEquals(2, r.slotCount());
        assertEquals(8192, r.slotBytes());
        assertEquals(16_384, r.bufferBytes());
        Reservation unspecified = ledger.admit(Fixtures.request(0, 101, Direction.TRANSMIT, TrafficParameters.ubr()));
        assertEquals(65535, unspecified.slotBytes(), "max_sdu unspecified: the AAL5 maximum");
        assertEquals(2, unspecified.slotCount(), "best effort: the configured transmit slots");
        assertEquals(16_384 + 2 * 65535, resource(ledger, 0, Resource.BUFFER).reserved());
        assertEquals("bytes", resource(ledger, 0, Resource.BUFFER).unit());
    }

    @Test
    void guaranteedTransmitSlotsCoverAWriterLateByItsToleranceSoNoIntervalCreditIsLost() throws Exception {
        Ledger ledger = ledger();
        // T = 4.096 ms, τ = 24 ms: P = 6, plus the slot in use, as the receiver of the same contract gets
        assertEquals(7, ledger.admit(cbrTx(0, 100, 41_748, 8192, 24_000)).slotCount());
        // Table 2's first writer: 8·10⁶ B/s of 8192-byte SDUs (T = 1.024 ms), τ 9999 µs: P = 10, one interval's credit
        assertEquals(10 + 1, ledger.admit(cbrTx(0, 101, CellRates.aal5CellsPerSecond(8_000_000, 8192), 8192, 9_999)).slotCount());
        // never fewer than the configured double buffer
        assertEquals(2, ledger.admit(cbrTx(0, 102, 100, 8192, 1)).slotCount());
    }

    @Test
    void receiveSlotsFollowTheJitterConstrainedStreamModelPlusTheSlotInUse() throws Exception {
        Ledger ledger = ledger();
        // T = 171/41748 s = 4.096 ms, τ = 24 ms: P = ceil(5.86) = 6, plus the slot in use
        assertEquals(7, ledger.admit(cbrRx(0, 100, 41_748, 8192, 24_000)).slotCount());
        // the paper's example in cells: 13 Mbit/s of 8192-byte SDUs, τ 24 ms: P = 5
        int ravg = CellRates.aal5CellsPerSecond(13_000_000 / 8, 8192);
        assertEquals(33_921, ravg);
        assertEquals(5 + 1, ledger.admit(cbrRx(0, 101, ravg, 8192, 24_000)).slotCount());
        // max_cdv unspecified is Linux-ATM's 9999 µs: P = ceil(2.44) = 3
        assertEquals(3 + 1, ledger.admit(Fixtures.request(0, 102, Direction.RECEIVE,
                TrafficParameters.cbr(41_748, 8192))).slotCount());
        // max_cdv 0 is "unspecified" in Linux-ATM, so the least tolerance is 1 µs: one buffer and the slot in use
        assertEquals(1 + 1, ledger.admit(cbrRx(0, 103, 1000, 8192, 1)).slotCount());
    }

    /** Found by the reliability suite's soak: a reader late by 20 ms or so overflowed the stream model's ring. */
    @Test
    void receiveSlotsAlsoHoldWhatArrivesWhileTheReaderIsLateByTheReceiveSlack() throws Exception {
        Ledger ledger = Fixtures.ledger(AdmissionSettings.DEFAULTS, Fixtures.FAKE_CPU);
        assertEquals(20_000, AdmissionSettings.DEFAULTS.receiveSlackMicros());
        // T = 4.096 ms, τ = 24 ms: P = 6, plus the slot in use, plus ceil(20 / 4.096) = 5 for the late reader
        assertEquals(7 + 5, ledger.admit(cbrRx(0, 100, 41_748, 8192, 24_000)).slotCount());
        // the soak's 20 Mbit/s (T = 3.277 ms), τ = 50 ms: 16 + 1 + ceil(6.10) = 7
        int pcr = CellRates.aal5CellsPerSecond(20_000_000 / 8, 8192);
        assertEquals(16 + 1 + 7, ledger.admit(cbrRx(0, 101, pcr, 8192, 50_000)).slotCount());
        // transmit rings and best effort are not the reader's: unchanged
        assertEquals(7, ledger.admit(cbrTx(0, 102, 41_748, 8192, 24_000)).slotCount());
        assertEquals(AdmissionSettings.DEFAULT_UBR_RECEIVE_SLOTS, ledger.admit(ubr(0, 103, Direction.RECEIVE, 1500)).slotCount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdmissionSettings.DEFAULTS.withReceiveSlackMicros(-1));
        assertTrue(e.getMessage().contains("receive.slack.us"), e.getMessage());
    }

    @Test
    void vbrReceiveAddsTheSdusOfAMaximumBurst() throws Exception {
        Ledger ledger = ledger();
        // T = 171/20000 s = 8.55 ms, τ = 10 ms: P = ceil(1.17) = 2; a burst of 1000 cells brings ceil(999/171) = 6
        Reservation r = ledger.admit(vbr(0, 100, Direction.RECEIVE, TrafficClass.RT_VBR, 100_000, 20_000, 1000, 8192, 10_000));
        assertEquals(2 + 6 + 1, r.slotCount());
        // a burst of one cell is no burst
        r = ledger.admit(vbr(0, 101, Direction.RECEIVE, TrafficClass.NRT_VBR, 100_000, 20_000, 1, 8192, 10_000));
        assertEquals(2 + 1, r.slotCount());
        // transmit: the same, so a writer late by its tolerance, or bursting, finds room
        r = ledger.admit(vbr(0, 102, Direction.TRANSMIT, TrafficClass.RT_VBR, 100_000, 20_000, 1000, 8192, 10_000));
        assertEquals(2 + 6 + 1, r.slotCount());
    }

    @Test
    void bestEffortReceiveGetsTheConfiguredSlots() throws Exception {
        Ledger ledger = ledger(settings(0, 1 << 24, 65535, 3, 7, 0.8), Fixtures.FAKE_CPU);
        assertEquals(7, ledger.admit(ubr(0, 100, Direction.RECEIVE, 1500)).slotCount());
        assertEquals(3, ledger.admit(ubr(0, 101, Direction.TRANSMIT, 1500)).slotCount());
    }

    @Test
    void theBudgetBindsAndATransmitRequestHasNoSmallerRateThatHelps() throws Exception {
        Ledger ledger = ledger(settings(0, 100_000, 65535, 2, 4, 0.8), Fixtures.FAKE_CPU);
        for (int i = 0; i < 6; i++) {
            ledger.admit(cbrTx(0, 100 + i, 1000, 8192));
        }
        assertEquals(100_000 - 6 * 16_384, resource(ledger, 0, Resource.BUFFER).free());
        AdmissionException e = assertThrows(AdmissionException.class, () -> ledger.admit(cbrTx(1, 100, 1000, 8192)));
        assertEquals(Resource.BUFFER, e.resource());
        assertTrue(e.recommended().isEmpty(), "transmit slots do not depend on the rate");
        assertTrue(e.getMessage().contains("16384 bytes = 2 slots of 8192 (free 1696 of 100000)"), e.getMessage());
        assertEquals(1, ledger.counters().refusedBuffer());
    }

    @Test
    void aReceiveRequestIsRecommendedTheLargestRateWhoseSlotsFit() throws Exception {
        Ledger ledger = ledger(settings(0, 5 * 8192, 65535, 2, 4, 0.8), Fixtures.FAKE_CPU);
        // at 41748 cells/s it needs 7 slots; 5 fit: P ≤ 4 ⟺ 24000·r / (10⁶·171) ≤ 4 ⟺ r ≤ 28500
        AdmissionException e = assertThrows(AdmissionException.class, () -> ledger.admit(cbrRx(0, 100, 41_748, 8192, 24_000)));
        assertEquals(Resource.BUFFER, e.resource());
        assertEquals(28_500, e.recommended().orElseThrow().rx().topPcrCps());
        assertThrows(AdmissionException.class, () -> ledger.admit(cbrRx(0, 100, 28_501, 8192, 24_000)));
        Reservation r = ledger.admit(cbrRx(0, 100, 28_500, 8192, 24_000));
        assertEquals(5, r.slotCount());
        assertEquals(0, resource(ledger, 0, Resource.BUFFER).free());
    }

    @Test
    void bestEffortIsRefusedForBuffersWithoutRecommendation() {
        Ledger ledger = ledger(settings(0, 10_000, 65535, 2, 4, 0.8), Fixtures.FAKE_CPU);
        AdmissionException e = assertThrows(AdmissionException.class, () -> ledger.admit(ubr(0, 100, Direction.RECEIVE, 9180)));
        assertEquals(Resource.BUFFER, e.resource());
        assertTrue(e.recommended().isEmpty());
    }

    @Test
    void anSduAboveTheLargestCanNeverFitAndTheMessageNamesTheField() {
        Ledger ledger = ledger(settings(0, 1 << 24, 9180, 2, 4, 0.8), Fixtures.FAKE_CPU);
        AdmissionException e = assertThrows(AdmissionException.class, () -> ledger.admit(cbrRx(0, 100, 1000, 9181, 1000)));
        assertEquals(Resource.BUFFER, e.resource());
        assertTrue(e.recommended().isEmpty());
        assertTrue(e.getMessage().contains("rx.max_sdu: 9181 bytes exceeds the largest SDU admitted, 9180 bytes"),
                e.getMessage());
        e = assertThrows(AdmissionException.class,
                () -> ledger.admit(Fixtures.request(0, 100, Direction.TRANSMIT, TrafficParameters.ubr())));
        assertTrue(e.getMessage().contains("tx.max_sdu: 65535 bytes"), e.getMessage());
        assertEquals(2, ledger.counters().refusedNeverFits());
    }
}
