package org.drops.atm.upc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;

/**
 * Must-show of issue 5 on a simulated clock: over 10 s, a greedy writer gets rate × duration within one
 * interval's credit, for CBR and VBR contracts from 64 kbit/s to 1 Gbit/s and SDUs from 48 to 65535 bytes, with
 * every interval class (jitter-sensitive, default, insensitive); a writer below its contract is never delayed.
 */
class GreedyWriterTest {

    private static final long SECONDS_10 = 10_000_000_000L;

    private final IntervalCreditPolicy policy = new IntervalCreditPolicy();

    /** 64 kbit/s .. 1 Gbit/s of payload, spread evenly over the decades. */
    @Provide
    Arbitrary<Integer> cellRates() {
        return Arbitraries.doubles().between(4.8, 9).ofScale(4).map(exp -> CellRates.fromPayloadBitsPerSecond(Math.max(64_000L,
                (long) Math.pow(10, exp)), false));
    }

    /** A jitter-sensitive, the default (unspecified) and a jitter-insensitive tolerance. */
    @Provide
    Arbitrary<Integer> tolerances() {
        return Arbitraries.of(500, TrafficParameters.UNSPECIFIED, 200_000);
    }

    @Property(tries = 60)
    void greedyCbrWriterGetsRateTimesDurationWithinOneIntervalsCredit(@ForAll("cellRates") int pcr,
            @ForAll @IntRange(min = 48, max = 65_535) int sduBytes, @ForAll("tolerances") int cdvMicros,
            @ForAll @LongRange(min = -1L << 60, max = 1L << 60) long start) {
        TrafficParameters contract = TrafficParameters.builder(TrafficClass.CBR).pcrCps(pcr).maxSduBytes(sduBytes)
                .maxCdvMicros(cdvMicros).build();
        Meter meter = policy.newMeter(contract, Aal.AAL5, Direction.TRANSMIT, start);
        long delivered = SimulatedWriter.greedy(meter, start, SECONDS_10, CellRates.aal5CellsPerSdu(sduBytes));
        long expected = 10L * pcr;
        assertTrue(Math.abs(delivered - expected) <= meter.creditCellsPerInterval(),
                delivered + " cells delivered, " + expected + " expected, within " + meter.creditCellsPerInterval()
                        + " by " + meter);
    }

    @Property(tries = 60)
    void greedyVbrWriterGetsScrTimesDurationWithinOneIntervalsCredit(@ForAll("cellRates") int pcr,
            @ForAll @DoubleRange(min = 0.01, max = 1) double scrShare, @ForAll @IntRange(min = 1, max = 20_000) int mbs,
            @ForAll @IntRange(min = 48, max = 65_535) int sduBytes, @ForAll("tolerances") int cdvMicros,
            @ForAll @LongRange(min = -1L << 60, max = 1L << 60) long start) {
        int scr = (int) Math.max(1, Math.min(pcr, Math.round(pcr * scrShare)));
        TrafficParameters contract = TrafficParameters.builder(TrafficClass.NRT_VBR).pcrCps(pcr).scrCps(scr)
                .mbsCells(mbs).maxSduBytes(sduBytes).maxCdvMicros(cdvMicros).build();
        Meter meter = policy.newMeter(contract, Aal.AAL5, Direction.TRANSMIT, start);
        long delivered = SimulatedWriter.greedy(meter, start, SECONDS_10, CellRates.aal5CellsPerSdu(sduBytes));
        long expected = 10L * scr;
        assertTrue(Math.abs(delivered - expected) <= meter.creditCellsPerInterval(),
                delivered + " cells delivered, " + expected + " expected, within " + meter.creditCellsPerInterval()
                        + " by " + meter);
    }

    @Property(tries = 60)
    void aCbrWriterBelowItsContractIsNeverDelayed(@ForAll("cellRates") int pcr,
            @ForAll @IntRange(min = 48, max = 65_535) int sduBytes, @ForAll("tolerances") int cdvMicros,
            @ForAll @DoubleRange(min = 0.01, max = 0.99) double load, @ForAll @LongRange(min = 0, max = 1L << 40) long phase) {
        TrafficParameters contract = TrafficParameters.builder(TrafficClass.CBR).pcrCps(pcr).maxSduBytes(sduBytes)
                .maxCdvMicros(cdvMicros).build();
        Meter meter = policy.newMeter(contract, Aal.AAL5, Direction.TRANSMIT, 0);
        int cells = CellRates.aal5CellsPerSdu(sduBytes);
        double spacing = cells * 1e9 / (load * pcr);
        long count = Math.min(200_000, (long) (SECONDS_10 / spacing) + 1);
        assertEquals(0, SimulatedWriter.paced(meter, phase, spacing, count, cells), "PDUs delayed, by " + meter);
    }

    @Property(tries = 60)
    void aVbrWriterBelowItsSustainedRateIsNeverDelayed(@ForAll("cellRates") int pcr,
            @ForAll @DoubleRange(min = 0.01, max = 1) double scrShare, @ForAll @IntRange(min = 1, max = 20_000) int mbs,
            @ForAll @IntRange(min = 48, max = 65_535) int sduBytes, @ForAll("tolerances") int cdvMicros,
            @ForAll @DoubleRange(min = 0.01, max = 0.99) double load, @ForAll @LongRange(min = 0, max = 1L << 40) long phase) {
        int scr = (int) Math.max(1, Math.min(pcr, Math.round(pcr * scrShare)));
        TrafficParameters contract = TrafficParameters.builder(TrafficClass.RT_VBR).pcrCps(pcr).scrCps(scr)
                .mbsCells(mbs).maxSduBytes(sduBytes).maxCdvMicros(cdvMicros).build();
        Meter meter = policy.newMeter(contract, Aal.AAL5, Direction.TRANSMIT, 0);
        int cells = CellRates.aal5CellsPerSdu(sduBytes);
        double spacing = cells * 1e9 / (load * scr);
        long count = Math.min(200_000, (long) (SECONDS_10 / spacing) + 1);
        assertEquals(0, SimulatedWriter.paced(meter, phase, spacing, count, cells), "PDUs delayed, by " + meter);
    }
}
