package org.drops.atm.upc.gcra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.junit.jupiter.api.Test;

class GcraPolicyTest {

    private static final long SECOND = 1_000_000_000L;

    private final GcraPolicy policy = new GcraPolicy();

    private Meter meter(TrafficParameters contract) {
        return policy.newMeter(contract, Aal.AAL5, Direction.TRANSMIT, 0);
    }

    @Test
    void itIsThePolicyNamedGcra() {
        assertEquals("gcra", policy.name());
        assertTrue(policy.description().contains("GCRA"));
    }

    @Test
    void cbrIsGcraOfThePeakRateWithTheContractsTolerance() {
        GcraMeter m = assertInstanceOf(GcraMeter.class, meter(TrafficParameters.builder(TrafficClass.CBR)
                .pcrCps(100_000).maxCdvMicros(250).build()));
        assertEquals(100_000, m.gcra().cellsPerSecond());
        assertEquals(250_000, m.gcra().toleranceNanos());
        GcraMeter defaults = assertInstanceOf(GcraMeter.class, meter(TrafficParameters.cbr(100_000, 1000)));
        assertEquals(9_999_000, defaults.gcra().toleranceNanos(), "max_cdv unspecified: 9999 us");
    }

    @Test
    void ubrWithoutAPeakRateIsNotMeteredAndWithOneIsMeteredAtIt() {
        assertSame(UnlimitedMeter.INSTANCE, meter(TrafficParameters.ubr()));
        GcraMeter m = assertInstanceOf(GcraMeter.class, meter(TrafficParameters.builder(TrafficClass.UBR).pcrCps(5000).build()));
        assertEquals(5000, m.gcra().cellsPerSecond());
    }

    @Test
    void aPeakRateOfMaxIsTheConfiguredLinkRate() {
        TrafficParameters max = TrafficParameters.builder(TrafficClass.CBR).pcrCps(TrafficParameters.MAX_PCR).build();
        assertEquals(CellRates.OC3_PCR, ((GcraMeter) meter(max)).gcra().cellsPerSecond());
        policy.configure(Annotations.configuration(GcraConfiguration.class, Map.of("link_pcr", 1_412_830)));
        assertEquals(1_412_830, ((GcraMeter) meter(max)).gcra().cellsPerSecond());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy.configure(
                Annotations.configuration(GcraConfiguration.class, Map.of("link_pcr", -5))));
        assertTrue(e.getMessage().startsWith("link.pcr"), e.getMessage());
    }

    @Test
    void aDirectionWithoutTrafficHasNoMeter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> meter(TrafficParameters.none()));
        assertTrue(e.getMessage().startsWith("class"), e.getMessage());
    }

    @Test
    void aGreedyWriterIsSpreadAtThePeakRateInsteadOfClumping() {
        // 8192-byte SDUs (171 cells) at 166993 cells/s, CDVT 1 ms: one PDU every T = 171/166993 s = 1.024 ms,
        // each at the exact nanosecond it conforms
        Meter m = meter(TrafficParameters.builder(TrafficClass.CBR).pcrCps(166_993).maxSduBytes(8192).maxCdvMicros(1000).build());
        long t = 0;
        long previous = 0;
        int sent = 0;
        while (t < SECOND) {
            long verdict = m.conform(t, 171);
            if (verdict == Meter.CONFORMING) {
                if (sent > 2) {
                    long gap = t - previous;
                    assertTrue(gap == 1_023_995 || gap == 1_023_996, "gap " + gap + " ns after PDU " + sent);
                }
                previous = t;
                sent++;
            } else {
                t += verdict;
            }
        }
        // PDU 0 at 0; PDU k at its TAT minus τ, k·T − 1 ms, while that is below 1 s: k ≤ 1.001 s / T = 977.5
        assertEquals(1 + 977, sent);
    }
}
