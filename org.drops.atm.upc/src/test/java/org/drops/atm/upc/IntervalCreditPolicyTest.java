package org.drops.atm.upc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.junit.jupiter.api.Test;

class IntervalCreditPolicyTest {

    private final IntervalCreditPolicy policy = new IntervalCreditPolicy();

    private static TrafficParameters cbr(int pcr, int maxSdu, int cdvMicros) {
        return TrafficParameters.builder(TrafficClass.CBR).pcrCps(pcr).maxSduBytes(maxSdu).maxCdvMicros(cdvMicros).build();
    }

    private Meter meter(TrafficParameters contract) {
        return policy.newMeter(contract, Aal.AAL5, Direction.TRANSMIT, 0);
    }

    @Test
    void itIsThePolicyNamedIntervalCredit() {
        assertEquals("interval-credit", policy.name());
        assertEquals(PolicingPolicy.NAME, "atm.policy.name");
        assertTrue(policy.description().contains("no carry-over"));
    }

    @Test
    void theDelayVariationToleranceChoosesTwoTenOrFiftyPdusPerInterval() {
        // 1000-byte SDUs: 21 cells
        assertEquals(2 * 21, meter(cbr(100_000, 1000, 500)).creditCellsPerInterval(), "jitter-sensitive");
        assertEquals(10 * 21, meter(cbr(100_000, 1000, 0)).creditCellsPerInterval(), "default tolerance, 9999 us");
        assertEquals(10 * 21, meter(cbr(100_000, 1000, 20_000)).creditCellsPerInterval());
        assertEquals(50 * 21, meter(cbr(100_000, 1000, 200_000)).creditCellsPerInterval(), "jitter-insensitive");
    }

    @Test
    void thresholdsAndPduCountsAreConfiguration() {
        policy.configure(Annotations.configuration(IntervalCreditConfiguration.class, Map.of(
                "jitter_sensitive_max_cdv_us", 100L, "jitter_insensitive_min_cdv_us", 5_000L,
                "jitter_sensitive_pdus", 1, "default_pdus", 4, "jitter_insensitive_pdus", 20)));
        assertEquals(4 * 21, meter(cbr(100_000, 1000, 500)).creditCellsPerInterval());
        assertEquals(1 * 21, meter(cbr(100_000, 1000, 100)).creditCellsPerInterval());
        assertEquals(20 * 21, meter(cbr(100_000, 1000, 0)).creditCellsPerInterval(), "9999 us is now insensitive");
    }

    @Test
    void aBadConfigurationIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy.configure(
                Annotations.configuration(IntervalCreditConfiguration.class, Map.of("default_pdus", 0))));
        assertTrue(e.getMessage().startsWith("default.pdus"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> policy.configure(
                Annotations.configuration(IntervalCreditConfiguration.class, Map.of("jitter_insensitive_min_cdv_us", 10L))));
        assertTrue(e.getMessage().startsWith("jitter.insensitive.min.cdv.us"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> policy.configure(
                Annotations.configuration(IntervalCreditConfiguration.class, Map.of("link_pcr", 0))));
        assertTrue(e.getMessage().startsWith("link.pcr"), e.getMessage());
    }

    @Test
    void ubrWithoutAPeakRateIsNotMetered() {
        Meter m = meter(TrafficParameters.ubr());
        assertSame(UnlimitedMeter.INSTANCE, m);
        assertEquals(Meter.CONFORMING, m.conform(0, Integer.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, m.availableCells(0));
        assertEquals(0, m.intervalNanos());
        assertEquals(17, m.nextIntervalStartNanos(17));
    }

    @Test
    void ubrWithAPeakRateIsMeteredAtIt() {
        Meter m = meter(TrafficParameters.builder(TrafficClass.UBR).pcrCps(10_000).maxSduBytes(1000).build());
        assertInstanceOf(IntervalCreditMeter.class, m);
        assertEquals(210, m.creditCellsPerInterval());
        assertEquals(21_000_000, m.intervalNanos());
    }

    @Test
    void aPeakRateOfMaxIsTheConfiguredLinkRate() {
        Meter m = meter(TrafficParameters.builder(TrafficClass.CBR).pcrCps(TrafficParameters.MAX_PCR).maxSduBytes(1000).build());
        assertEquals(210L * 1_000_000_000L / CellRates.OC3_PCR + 1, m.intervalNanos());
        policy.configure(Annotations.configuration(IntervalCreditConfiguration.class, Map.of("link_pcr", 210_000)));
        m = meter(TrafficParameters.builder(TrafficClass.CBR).pcrCps(TrafficParameters.MAX_PCR).maxSduBytes(1000).build());
        assertEquals(1_000_000, m.intervalNanos());
    }

    @Test
    void aal0PdusAreSingleCells() {
        Meter m = policy.newMeter(cbr(1000, 52, 0), Aal.AAL0, Direction.RECEIVE, 0);
        assertEquals(10, m.creditCellsPerInterval());
        assertEquals(10_000_000, m.intervalNanos());
    }

    @Test
    void aDirectionWithoutTrafficHasNoMeter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> meter(TrafficParameters.none()));
        assertTrue(e.getMessage().startsWith("class"), e.getMessage());
    }

    @Test
    void pdusLargerThanTheContractsMaxSduNeverConform() {
        Meter m = meter(cbr(100_000, 1000, 500)); // 2 PDUs of 21 cells per interval
        assertEquals(Meter.NEVER, m.conform(0, 43));
        assertEquals(Meter.CONFORMING, m.conform(0, 42));
    }
}
